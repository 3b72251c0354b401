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
        /// A stream that stays connected but brings nothing new (a stall, not a failure to connect).
        case noData
        /// Decodes to materially less than the file declares (seconds): cut short in transit, or
        /// damaged midway.
        case truncated(declared: Double, decoded: Double)
    }

    public var kind: Kind
    public var path: String
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }

    /// For the operator: what is wrong with the file, without FFmpeg's words.
    public var vietnamese: String {
        switch kind {
        case .unreadable: "tệp hỏng hoặc không phải tệp âm thanh, video đọc được"
        case .noAudio: "tệp không có tiếng"
        case .tooLong: "tệp dài quá 6 giờ"
        case .silent: "tệp chỉ có im lặng"
        case .noData: "nguồn không gửi tiếng"
        case .truncated(let declared, let decoded):
            "tệp bị cắt: tệp ghi dài \(Self.seconds(declared)) giây nhưng chỉ đọc được \(Self.seconds(decoded)) giây, hãy xin gửi lại tệp"
        }
    }

    /// "7,0": seconds as the operator reads them.
    static func seconds(_ value: Double) -> String {
        String(format: "%.1f", value).replacingOccurrences(of: ".", with: ",")
    }
}

/// Lets another thread stop an input's blocking calls, and gives each of them a deadline.
/// Shared by the decoder and whoever may stop it, so neither outlives the other's memory.
public final class MediaInterrupt: @unchecked Sendable {
    let pointer = UnsafeMutablePointer<loa_deadline>.allocate(capacity: 1)

    public init() { pointer.initialize(to: loa_deadline(deadline_us: 0, stop: 0)) }
    deinit { pointer.deallocate() }

    /// Every blocking call from now on gives up (AVERROR_EXIT) at once.
    public func stop() { loa_deadline_stop(pointer) }
    /// The blocking call about to be made gives up after `seconds`.
    func arm(seconds: Double) { loa_deadline_set(pointer, av_gettime_relative() + Int64(seconds * 1_000_000)) }
    /// No deadline until the next ``arm(seconds:)`` (FFmpeg also asks between its own steps).
    func disarm() { loa_deadline_set(pointer, 0) }
    var isStopped: Bool { loa_deadline_stopped(pointer) != 0 }
}

/// Where a decoder reads from: a local file (an import) or a network stream (a relay).
public enum MediaInput: Sendable {
    case file(String)
    /// An HTTP(S) stream (Icecast or ICY MP3, AAC, Ogg): each read gives up after `readTimeout` seconds.
    case stream(String, readTimeout: Double)
    /// An HLS stream's segments, as its feed hands them on.
    case hls(HLSFeed)

    var address: String {
        switch self {
        case .file(let path): path
        case .stream(let url, _): url
        case .hls(let feed): feed.url
        }
    }
}

/// The audio track of a file or a stream, decoded by FFmpeg (libavformat, libavcodec,
/// libswresample) into interleaved floats, in mono or stereo at the input's own rate (or
/// resampled to a rate and channel count asked for), a frame of packets at a time: whatever the
/// container (MP4, M4A, 3GP, WebM, ASF/WMA, AMR, MP3, Ogg, HLS), never the whole input in
/// memory. A file is opened with FFmpeg's `file` protocol alone and a stream with its network
/// protocols alone, each from a list of containers, so a hostile playlist cannot make it read
/// anything else; every blocking call has a deadline.
public final class MediaDecoder {
    /// Containers an import may be: what phones, Zalo and cameras send, and what a station
    /// receives from broadcasters (MPEG-TS and MPEG-PS recordings of DVB or the province's TV, raw
    /// MP2 through the mpegaudio demuxer, raw AC-3 and E-AC-3). Every other FFmpeg demuxer stays
    /// shut: playlists and concat lists would read other files, image and subtitle parsers are
    /// attack surface with no sound in them.
    static let formats = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,asf,amr,mp3,aac,ogg,wav,flac,aiff,mpegts,mpeg,ac3,eac3"
    /// Less than the file declares by more than this (seconds, or this share of it) is a file cut short.
    static let truncationTolerance = (seconds: 0.5, share: 0.03)
    /// What a relay stream may be: Icecast MP3, AAC or Ogg; and an HLS segment (MPEG-TS, ADTS,
    /// MP3 or fragmented MP4). HLS itself is read by ``HLSFeed``, never by FFmpeg's demuxer.
    static let streamFormats = "mpegts,aac,mp3,ogg,mov,mp4,m4a,3gp,3g2,mj2,flac,wav"
    /// Bad packets tolerated before the file is called damaged (a phone recording may have one).
    static let badPacketLimit = 16
    /// Seconds an open or a whole file's decode may take before it is given up.
    static let deadlineSeconds = 600.0

    public let path: String
    public let sampleRate: Int
    public let channels: Int
    /// "aac in mov,mp4,m4a,3gp,3g2,mj2", for what the import says it did.
    public let source: String

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    /// The custom input an HLS feed reads through, freed with the decoder.
    private var customInput: UnsafeMutablePointer<AVIOContext>?
    private let feed: HLSFeed?
    /// The seconds a file's container declares, where it declares them (not estimated from its size).
    private let declaredSeconds: Double?
    private let interrupt: MediaInterrupt
    private let readTimeout: Double?
    private let streamIndex: Int32

    public convenience init(path: String) throws(MediaError) { try self.init(.file(path)) }

    /// Opens the input; `rate` and `channels`, when given, are what the decoded audio is made into.
    public init(
        _ input: MediaInput, rate outputRate: Int? = nil, channels outputChannels: Int? = nil,
        interrupt: MediaInterrupt = MediaInterrupt()
    ) throws(MediaError) {
        let path = input.address
        self.path = path
        self.interrupt = interrupt
        loa_ffmpeg_quiet()
        var format: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        var codec: UnsafeMutablePointer<AVCodecContext>?
        var resampler: OpaquePointer?
        var customInput: UnsafeMutablePointer<AVIOContext>?
        if case .hls(let feed) = input {
            self.feed = feed
            feed.beginSession()
        } else {
            feed = nil
        }
        func fail(_ kind: MediaError.Kind, _ detail: String) -> MediaError {
            Self.close(format: &format, codec: &codec, resampler: &resampler, customInput: &customInput)
            return MediaError(kind: kind, path: path, detail: detail)
        }

        guard let allocated = format else { throw fail(.unreadable, "out of memory") }
        loa_set_interrupt(allocated, interrupt.pointer)
        var options: OpaquePointer?
        switch input {
        case .file:
            readTimeout = nil
            interrupt.arm(seconds: Self.deadlineSeconds)
            av_dict_set(&options, "protocol_whitelist", "file", 0)
            av_dict_set(&options, "format_whitelist", Self.formats, 0)
        case .stream(_, let timeout):
            readTimeout = timeout
            interrupt.arm(seconds: timeout * 2)
            Self.network(&options, timeout: timeout)
            av_dict_set(&options, "format_whitelist", Self.streamFormats, 0)
            Self.listenBriefly(&options)
        case .hls(let feed):
            // The feed fetches with deadlines of its own; FFmpeg reads its bytes through a custom input.
            readTimeout = nil
            interrupt.disarm()
            av_dict_set(&options, "format_whitelist", Self.streamFormats, 0)
            Self.listenBriefly(&options)
            let size = 65_536
            guard let buffer = av_malloc(size)?.assumingMemoryBound(to: UInt8.self) else { throw fail(.unreadable, "out of memory") }
            customInput = avio_alloc_context(buffer, Int32(size), 0, Unmanaged.passUnretained(feed).toOpaque(), Self.readFeed, nil, nil)
            guard let customInput else {
                av_free(buffer)
                throw fail(.unreadable, "out of memory")
            }
            allocated.pointee.pb = customInput
            allocated.pointee.flags |= loa_avfmt_flag_custom_io()
        }
        let opened = avformat_open_input(&format, feed == nil ? path : "", nil, &options)
        av_dict_free(&options)
        // A failed open frees the context itself.
        guard opened >= 0, let context = format else {
            format = nil
            if let failure = feed?.failure { throw fail(failure.kind, failure.detail) }
            if case .file = input { throw fail(.unreadable, "not an audio or video file FFmpeg can read (\(Self.message(opened)))") }
            let error = Self.networkError(opened, path: path, opening: true)
            throw fail(error.kind, error.detail)
        }
        guard avformat_find_stream_info(context, nil) >= 0 else {
            if let failure = feed?.failure { throw fail(failure.kind, failure.detail) }
            throw fail(.unreadable, "damaged: its streams cannot be read")
        }
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
        let channels = outputChannels ?? min(inputChannels, 2)
        let outRate = outputRate ?? rate
        var outLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, Int32(channels))
        var inLayout = opener.pointee.ch_layout
        if inLayout.order == AV_CHANNEL_ORDER_UNSPEC { av_channel_layout_default(&inLayout, Int32(inputChannels)) }
        guard swr_alloc_set_opts2(&resampler, &outLayout, AV_SAMPLE_FMT_FLT, Int32(outRate), &inLayout, opener.pointee.sample_fmt, Int32(rate), 0, nil) >= 0,
            swr_init(resampler) >= 0
        else { throw fail(.unreadable, "its audio cannot be converted") }
        source = "\(String(cString: decoder.pointee.name)) in \(String(cString: context.pointee.iformat.pointee.name))"
        declaredSeconds =
            if case .file = input {
                DeclaredLength.seconds(path: path, container: String(cString: context.pointee.iformat.pointee.name))
                    ?? Self.declaredSeconds(context, stream)
            } else { nil }
        sampleRate = outRate
        self.channels = channels
        streamIndex = index
        self.format = format
        self.codec = codec
        self.resampler = resampler
        self.customInput = customInput
    }

    deinit { Self.close(format: &format, codec: &codec, resampler: &resampler, customInput: &customInput) }

    private static func close(
        format: inout UnsafeMutablePointer<AVFormatContext>?, codec: inout UnsafeMutablePointer<AVCodecContext>?,
        resampler: inout OpaquePointer?, customInput: inout UnsafeMutablePointer<AVIOContext>?
    ) {
        if resampler != nil { swr_free(&resampler) }
        if codec != nil { avcodec_free_context(&codec) }
        if format != nil { avformat_close_input(&format) }
        if let input = customInput {
            av_freep(&input.pointee.buffer)
            avio_context_free(&customInput)
        }
    }

    /// What the container says the audio lasts: the stream's own duration, else the file's,
    /// unless FFmpeg only guessed it from the size and bitrate (then a cut file declares its cut
    /// length, and nothing tells it).
    private static func declaredSeconds(_ context: UnsafeMutablePointer<AVFormatContext>, _ stream: UnsafeMutablePointer<AVStream>) -> Double? {
        guard context.pointee.duration_estimation_method != AVFMT_DURATION_FROM_BITRATE else { return nil }
        let base = stream.pointee.time_base
        if stream.pointee.duration > 0, base.den > 0 { return Double(stream.pointee.duration) * Double(base.num) / Double(base.den) }
        if context.pointee.duration > 0 { return Double(context.pointee.duration) / Double(AV_TIME_BASE) }
        return nil
    }

    /// The network a relay may use, for a stream and for an HLS feed's fetches alike: HTTP(S)
    /// alone, FFmpeg's own timeout (microseconds) beside the interrupt's deadline, and its name.
    static func network(_ options: inout OpaquePointer?, timeout: Double) {
        av_dict_set(&options, "protocol_whitelist", "http,https,tcp,tls,crypto", 0)
        av_dict_set(&options, "rw_timeout", String(Int(timeout * 1_000_000)), 0)
        av_dict_set(&options, "user_agent", "Loa relay", 0)
    }

    /// A stream's container and codec are known from its first kilobytes: FFmpeg's defaults
    /// (probe up to 1 MB, analyse 5 s) held a relay's first sound back by seconds (an MP3 stream
    /// joined mid-frame, as Icecast sends it, was probed for 4 s at 128 kbit/s).
    private static func listenBriefly(_ options: inout OpaquePointer?) {
        av_dict_set(&options, "formatprobesize", "16384", 0)
        av_dict_set(&options, "analyzeduration", "500000", 0)
        av_dict_set(&options, "probesize", "65536", 0)
    }

    /// FFmpeg's read callback for an HLS feed.
    private static let readFeed: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
        opaque, buffer, size in
        guard let opaque, let buffer else { return loa_averror_eof() }
        return Unmanaged<HLSFeed>.fromOpaque(opaque).takeUnretainedValue().read(into: buffer, size: Int(size))
    }

    /// A network open or read that failed: no answer within the deadline is a stall (the server
    /// holds the connection and sends nothing); anything else (refused, an HTTP error, a drop) is
    /// a source that is not there.
    static func networkError(_ code: Int32, path: String, opening: Bool) -> MediaError {
        if code == loa_averror_exit() || code == loa_averror_timedout() {
            return MediaError(kind: .noData, path: path, detail: "connected, but nothing came")
        }
        let detail = opening ? "cannot open the stream (\(message(code)))" : "the stream dropped (\(message(code)))"
        return MediaError(kind: .unreadable, path: path, detail: detail)
    }

    /// Decodes the whole track (a stream: until it ends, fails or is stopped), handing each run of
    /// interleaved frames to `body`, at most `maximumFrames` in all.
    public func decode(maximumFrames: Int, _ body: (UnsafeBufferPointer<Float>) throws(MediaError) -> Void) throws(MediaError) {
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
            if let readTimeout { interrupt.arm(seconds: readTimeout) }
            let read = av_read_frame(format, packet)
            if read == loa_averror_eof() { break }
            guard read >= 0 else {
                if let failure = feed?.failure { throw failure }
                if let readTimeout {
                    let error = Self.networkError(read, path: path, opening: false)
                    throw error.kind == .noData ? fail(.noData, "no data for \(Self.seconds(readTimeout)) s") : error
                }
                // A file that cannot be read at all is damaged; one that fails midway is cut short.
                if decoded == 0 { throw fail(.unreadable, "damaged: \(Self.message(read))") }
                let at = Double(decoded) / Double(sampleRate)
                throw fail(
                    .truncated(declared: declaredSeconds ?? at, decoded: at), "damaged after \(Self.seconds(at)) s: \(Self.message(read))")
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
        let seconds = Double(decoded) / Double(sampleRate)
        if let declared = declaredSeconds,
            declared - seconds > max(Self.truncationTolerance.seconds, declared * Self.truncationTolerance.share)
        {
            throw fail(
                .truncated(declared: declared, decoded: seconds),
                "cut short: the file declares \(Self.seconds(declared)) s of audio, only \(Self.seconds(seconds)) s decodes")
        }
    }

    static func seconds(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }

    static func message(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 256)
        av_strerror(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
