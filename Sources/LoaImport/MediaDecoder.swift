import CFFmpeg
import Foundation

/// Why FFmpeg could not give the audio of a file.
public struct MediaError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not a container FFmpeg reads here, or damaged before its audio.
        case unreadable
        /// A container with no audio track (a silent video, a picture).
        case noAudio
        /// Longer than an import may be.
        case tooLong
        /// Nothing above the silence threshold.
        case silent
    }

    public var kind: Kind
    public var path: String
    public var detail: String

    public var description: String { "\(path): \(detail)" }

    /// For the operator: what is wrong with the file, without FFmpeg's words.
    public var vietnamese: String {
        switch kind {
        case .unreadable: "tệp hỏng hoặc không phải tệp âm thanh, video đọc được"
        case .noAudio: "tệp không có tiếng"
        case .tooLong: "tệp dài quá 6 giờ"
        case .silent: "tệp chỉ có im lặng"
        }
    }
}

/// The audio track of a file, decoded by FFmpeg (libavformat, libavcodec, libswresample) into
/// interleaved floats at the file's own rate, in mono or stereo, a frame of packets at a time:
/// whatever the container (MP4, M4A, 3GP, WebM, ASF/WMA, AMR, MP3, Ogg), never the whole file
/// in memory. Only local files are opened (FFmpeg's `file` protocol alone), from a list of
/// audio and video containers, so a hostile playlist cannot make it read anything else; every
/// blocking call has a deadline.
final class MediaDecoder {
    /// Containers an import may be: what phones, Zalo and cameras send.
    static let formats = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,asf,amr,mp3,aac,ogg,wav,flac,aiff"
    /// Bad packets tolerated before the file is called damaged (a phone recording may have one).
    static let badPacketLimit = 16
    /// Seconds an open or a whole decode may take before it is given up.
    static let deadlineSeconds: Int64 = 600

    let path: String
    let sampleRate: Int
    let channels: Int
    /// "aac in mov,mp4,m4a,3gp,3g2,mj2", for what the import says it did.
    let source: String

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    private let deadline: UnsafeMutablePointer<loa_deadline>
    private let streamIndex: Int32

    init(path: String) throws(MediaError) {
        self.path = path
        loa_ffmpeg_quiet()
        let deadline = UnsafeMutablePointer<loa_deadline>.allocate(capacity: 1)
        deadline.pointee.deadline_us = av_gettime_relative() + Self.deadlineSeconds * 1_000_000
        var format: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        var codec: UnsafeMutablePointer<AVCodecContext>?
        var resampler: OpaquePointer?
        func fail(_ kind: MediaError.Kind, _ detail: String) -> MediaError {
            Self.close(format: &format, codec: &codec, resampler: &resampler, deadline: deadline)
            return MediaError(kind: kind, path: path, detail: detail)
        }

        guard let allocated = format else { throw fail(.unreadable, "out of memory") }
        loa_set_interrupt(allocated, deadline)
        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        av_dict_set(&options, "format_whitelist", Self.formats, 0)
        let opened = avformat_open_input(&format, path, nil, &options)
        av_dict_free(&options)
        // A failed open frees the context itself.
        guard opened >= 0, let context = format else {
            format = nil
            throw fail(.unreadable, "not an audio or video file FFmpeg can read (\(Self.message(opened)))")
        }
        guard avformat_find_stream_info(context, nil) >= 0 else { throw fail(.unreadable, "damaged: its streams cannot be read") }
        var decoder: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0)
        guard index >= 0, let decoder, let stream = context.pointee.streams[Int(index)] else {
            throw index == loa_averror_decoder_not_found()
                ? fail(.unreadable, "its audio codec is not one FFmpeg decodes here") : fail(.noAudio, "has no audio track")
        }
        codec = avcodec_alloc_context3(decoder)
        guard let opener = codec, avcodec_parameters_to_context(opener, stream.pointee.codecpar) >= 0, avcodec_open2(opener, decoder, nil) >= 0
        else { throw fail(.unreadable, "its audio codec cannot be opened") }
        let rate = Int(opener.pointee.sample_rate), inputChannels = Int(opener.pointee.ch_layout.nb_channels)
        guard (8_000...192_000).contains(rate), inputChannels > 0 else {
            throw fail(.unreadable, "its audio has \(inputChannels) channels at \(rate) Hz")
        }
        let channels = min(inputChannels, 2)
        var outLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, Int32(channels))
        var inLayout = opener.pointee.ch_layout
        if inLayout.order == AV_CHANNEL_ORDER_UNSPEC { av_channel_layout_default(&inLayout, Int32(inputChannels)) }
        guard swr_alloc_set_opts2(&resampler, &outLayout, AV_SAMPLE_FMT_FLT, Int32(rate), &inLayout, opener.pointee.sample_fmt, Int32(rate), 0, nil) >= 0,
            swr_init(resampler) >= 0
        else { throw fail(.unreadable, "its audio cannot be converted") }
        source = "\(String(cString: decoder.pointee.name)) in \(String(cString: context.pointee.iformat.pointee.name))"
        sampleRate = rate
        self.channels = channels
        streamIndex = index
        self.format = format
        self.codec = codec
        self.resampler = resampler
        self.deadline = deadline
    }

    deinit { Self.close(format: &format, codec: &codec, resampler: &resampler, deadline: deadline) }

    private static func close(
        format: inout UnsafeMutablePointer<AVFormatContext>?, codec: inout UnsafeMutablePointer<AVCodecContext>?,
        resampler: inout OpaquePointer?, deadline: UnsafeMutablePointer<loa_deadline>
    ) {
        if resampler != nil { swr_free(&resampler) }
        if codec != nil { avcodec_free_context(&codec) }
        if format != nil { avformat_close_input(&format) }
        deadline.deallocate()
    }

    /// Decodes the whole track, handing each run of interleaved frames to `body`, at most
    /// `maximumFrames` in all.
    func decode(maximumFrames: Int, _ body: (UnsafeBufferPointer<Float>) throws(MediaError) -> Void) throws(MediaError) {
        guard let format, let codec, let resampler else { return }
        let packet = av_packet_alloc(), frame = av_frame_alloc()
        defer {
            var packet = packet, frame = frame
            av_packet_free(&packet)
            av_frame_free(&frame)
        }
        var buffer: [Float] = []
        var decoded = 0, badPackets = 0
        func fail(_ kind: MediaError.Kind, _ detail: String) -> MediaError { MediaError(kind: kind, path: path, detail: detail) }

        func emit(_ frames: Int) throws(MediaError) {
            guard frames > 0 else { return }
            decoded += frames
            guard decoded <= maximumFrames else {
                throw fail(.tooLong, "longer than \(maximumFrames / sampleRate / 3600) hours, the most an import may be")
            }
            let count = frames * channels
            try buffer.withUnsafeBufferPointer { (all) throws(MediaError) in try body(UnsafeBufferPointer(rebasing: all[0..<count])) }
        }
        /// Converts a decoded frame, or with nil drains what the resampler holds.
        func convert(_ input: UnsafeMutablePointer<AVFrame>?) throws(MediaError) {
            let samples = input.map { Int($0.pointee.nb_samples) } ?? 0
            let room = Int(swr_get_out_samples(resampler, Int32(samples))) + 32
            if buffer.count < room * channels { buffer = [Float](repeating: 0, count: room * channels) }
            let converted = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                var target: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: UInt8.self)
                let source = input.map { UnsafeMutableRawPointer($0.pointee.extended_data).assumingMemoryBound(to: UnsafePointer<UInt8>?.self) }
                return swr_convert(resampler, &target, Int32(room), source, Int32(samples))
            }
            guard converted >= 0 else { throw fail(.unreadable, "its audio cannot be converted (\(Self.message(converted)))") }
            try emit(Int(converted))
        }
        func receive() throws(MediaError) {
            while true {
                let result = avcodec_receive_frame(codec, frame)
                if result == loa_averror_eagain() || result == loa_averror_eof() { return }
                guard result >= 0 else {
                    badPackets += 1
                    if badPackets > Self.badPacketLimit { throw fail(.unreadable, "damaged: \(badPackets) audio packets do not decode") }
                    return
                }
                try convert(frame)
                av_frame_unref(frame)
            }
        }

        while true {
            let read = av_read_frame(format, packet)
            if read == loa_averror_eof() { break }
            guard read >= 0 else {
                // A file cut short ends at its last whole packet; one that cannot be read at all is damaged.
                if decoded == 0 { throw fail(.unreadable, "damaged: \(Self.message(read))") }
                break
            }
            defer { av_packet_unref(packet) }
            guard packet?.pointee.stream_index == streamIndex else { continue }
            if avcodec_send_packet(codec, packet) < 0 {
                badPackets += 1
                if badPackets > Self.badPacketLimit { throw fail(.unreadable, "damaged: \(badPackets) audio packets do not decode") }
                continue
            }
            try receive()
        }
        avcodec_send_packet(codec, nil)
        try receive()
        try convert(nil)
        guard decoded > 0 else { throw fail(.unreadable, "damaged: its audio track holds no sound that decodes") }
    }

    static func message(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 256)
        av_strerror(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
