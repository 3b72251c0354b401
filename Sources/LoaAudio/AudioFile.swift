import CSndFile
import Foundation
import LoaModel

/// Why an audio file cannot be played (the model's ``AudioProblem``), with the path so the
/// message stands on its own.
public struct AudioFileError: Error, Equatable, CustomStringConvertible {
    public var problem: AudioProblem
    public var path: String

    public init(kind: AudioProblem.Kind, path: String, detail: String) {
        problem = AudioProblem(kind, detail: detail)
        self.path = path
    }

    public var kind: AudioProblem.Kind { problem.kind }
    /// libsndfile's own words, or ours when it has none.
    public var detail: String { problem.detail }

    public var description: String { "\(path): \(problem)" }
}

/// What a file holds, as libsndfile reports it.
public struct AudioFormat: Equatable, Sendable {
    public var sampleRate: Int
    public var channels: Int
    /// Frames the header announces (exact for WAV and FLAC; libsndfile counts MP3 frames gaplessly).
    public var frames: Int
    /// "WAV", "FLAC", "OGG", "MP3", ...
    public var container: String
    /// "16-bit", "24-bit", "float", "Vorbis", "Layer III", ...
    public var encoding: String
    /// The largest absolute sample (0...1) over the whole file, once probing has decoded it.
    public var peak: Double?

    public var duration: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }

    /// Whether samples carry more than 16 bits (24-bit, 32-bit, float): played as 32-bit to keep them.
    public var isHighResolution: Bool { ["24-bit", "32-bit", "float", "double"].contains(encoding) }

    /// "WAV 16-bit, 22050 Hz, mono"
    public var summary: String {
        let layout = channels == 1 ? "mono" : channels == 2 ? "stereo" : "\(channels) channels"
        return "\(container) \(encoding), \(sampleRate) Hz, \(layout)"
    }
}

/// An open audio file that decodes in chunks, so an hour-long relay is never held in memory whole.
/// Owns its `SNDFILE *`; the corresponding C functions are `sf_open`, `sf_readf_*` and `sf_close`.
public final class AudioFile {
    public let url: URL
    public let format: AudioFormat
    private let handle: OpaquePointer
    /// Float and double samples are -1...1: libsndfile's integer reads truncate them to 0 (the file
    /// airs as silence) or, asked to scale, normalise them to the file's peak. They are read as
    /// doubles and scaled here instead.
    private let isFloatingPoint: Bool
    private var doubles: [Double] = []

    public init(url: URL) throws(AudioFileError) {
        self.url = url
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw AudioFileError(kind: .missing, path: path, detail: "no such file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { throw AudioFileError(kind: .empty, path: path, detail: "0 bytes") }

        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            let reason = String(cString: sf_strerror(nil))
            let unsupported = ["not recognised", "unknown format", "not supported"].contains {
                reason.localizedCaseInsensitiveContains($0)
            }
            let kind: AudioProblem.Kind = unsupported ? .unsupported : .unreadable
            throw AudioFileError(kind: kind, path: path, detail: reason)
        }
        guard info.channels > 0, info.samplerate > 0 else {
            sf_close(handle)
            throw AudioFileError(kind: .unreadable, path: path, detail: "no channels or sample rate in the header")
        }
        if let note = Self.truncationNote(handle) {
            sf_close(handle)
            throw AudioFileError(kind: .unreadable, path: path, detail: "truncated: \(note)")
        }
        if let problem = Playable.problem(sampleRate: Int(info.samplerate), channels: Int(info.channels)) {
            sf_close(handle)
            throw AudioFileError(kind: .unsupported, path: path, detail: problem)
        }
        self.handle = handle
        let subtype = Int(info.format) & Int(SF_FORMAT_SUBMASK)
        isFloatingPoint = subtype == Int(SF_FORMAT_FLOAT) || subtype == Int(SF_FORMAT_DOUBLE)
        format = AudioFormat(
            sampleRate: Int(info.samplerate), channels: Int(info.channels), frames: Int(info.frames),
            container: Self.containerName(info.format), encoding: Self.encodingName(info.format))
    }

    deinit { sf_close(handle) }

    /// Decodes up to `frames` interleaved frames as floats in [-1, 1]. Returns the frames read:
    /// 0 at the end. The corresponding C function is `sf_readf_float`.
    public func read(into buffer: UnsafeMutablePointer<Float>, frames: Int) throws(AudioFileError) -> Int {
        let count = Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
        try checkError()
        return count
    }

    /// Decodes up to `frames` interleaved frames as 16-bit integers, as the file holds them when it
    /// is 16-bit PCM. The corresponding C function is `sf_readf_short`.
    public func read(into buffer: UnsafeMutablePointer<Int16>, frames: Int) throws(AudioFileError) -> Int {
        let count = Int(sf_readf_short(handle, buffer, sf_count_t(frames)))
        try checkError()
        return count
    }

    /// Decodes up to `frames` interleaved frames as 32-bit integers (24-bit samples shifted left by
    /// 8, exactly). The corresponding C function is `sf_readf_int`.
    public func read(into buffer: UnsafeMutablePointer<Int32>, frames: Int) throws(AudioFileError) -> Int {
        guard isFloatingPoint else {
            let count = Int(sf_readf_int(handle, buffer, sf_count_t(frames)))
            try checkError()
            return count
        }
        let samples = frames * format.channels
        if doubles.count < samples { doubles = [Double](repeating: 0, count: samples) }
        let count = doubles.withUnsafeMutableBufferPointer { Int(sf_readf_double(handle, $0.baseAddress!, sf_count_t(frames))) }
        try checkError()
        for index in 0..<(count * format.channels) {
            // Full scale is 2^31, as for 24-bit samples shifted left by 8; beyond it saturates.
            buffer[index] = Int32(max(-2_147_483_648, min(2_147_483_647, (doubles[index] * 2_147_483_648).rounded())))
        }
        return count
    }

    /// Opens the file and decodes it to the end, so a truncated or corrupt file is found now
    /// rather than on air. Returns the format with the frames actually decoded.
    public static func probe(url: URL) throws(AudioFileError) -> AudioFormat {
        let file = try AudioFile(url: url)
        let chunk = 4096
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: chunk * file.format.channels)
        defer { buffer.deallocate() }
        var decoded = 0
        var peak: Float = 0
        while true {
            let count = try file.read(into: buffer, frames: chunk)
            if count == 0 { break }
            decoded += count
            for index in 0..<(count * file.format.channels) { peak = max(peak, abs(buffer[index])) }
        }
        guard decoded > 0 else {
            throw AudioFileError(kind: .unreadable, path: url.path, detail: "no audio frames could be decoded")
        }
        if file.format.frames > 0, decoded < file.format.frames {
            throw AudioFileError(
                kind: .unreadable, path: url.path,
                detail: "truncated: the header announces \(file.format.frames) frames, only \(decoded) decode")
        }
        var format = file.format
        format.frames = decoded
        format.peak = Double(peak)
        return format
    }

    /// libsndfile quietly shortens a WAV or AIFF whose data chunk runs past the end of the file,
    /// noting it in its log ("data : 64000 (should be 31956)"); that note is the only trace.
    /// The corresponding C function is `sf_command(SFC_GET_LOG_INFO)`.
    private static func truncationNote(_ handle: OpaquePointer) -> String? {
        var log = [CChar](repeating: 0, count: 8192)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        let text = String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: "\n").first { line in
            (line.hasPrefix("data") || line.hasPrefix("SSND")) && line.contains("(should be")
        }.map { "header says \($0.trimmingCharacters(in: .whitespaces))" }
    }

    private func checkError() throws(AudioFileError) {
        let code = sf_error(handle)
        guard code == 0 else {
            throw AudioFileError(kind: .unreadable, path: url.path, detail: String(cString: sf_error_number(code)))
        }
    }

    private static func containerName(_ format: Int32) -> String {
        switch Int(format) & Int(SF_FORMAT_TYPEMASK) {
        case Int(SF_FORMAT_WAV), Int(SF_FORMAT_WAVEX): "WAV"
        case Int(SF_FORMAT_FLAC): "FLAC"
        case Int(SF_FORMAT_OGG): "OGG"
        case Int(SF_FORMAT_MPEG): "MP3"
        case Int(SF_FORMAT_AIFF): "AIFF"
        default: String(format: "format 0x%06x", Int(format) & Int(SF_FORMAT_TYPEMASK))
        }
    }

    private static func encodingName(_ format: Int32) -> String {
        switch Int(format) & Int(SF_FORMAT_SUBMASK) {
        case Int(SF_FORMAT_PCM_U8), Int(SF_FORMAT_PCM_S8): "8-bit"
        case Int(SF_FORMAT_PCM_16): "16-bit"
        case Int(SF_FORMAT_PCM_24): "24-bit"
        case Int(SF_FORMAT_PCM_32): "32-bit"
        case Int(SF_FORMAT_FLOAT): "float"
        case Int(SF_FORMAT_DOUBLE): "double"
        case Int(SF_FORMAT_VORBIS): "Vorbis"
        case Int(SF_FORMAT_OPUS): "Opus"
        case Int(SF_FORMAT_MPEG_LAYER_III): "Layer III"
        case Int(SF_FORMAT_MPEG_LAYER_II): "Layer II"
        case Int(SF_FORMAT_MPEG_LAYER_I): "Layer I"
        default: String(format: "subtype 0x%04x", Int(format) & Int(SF_FORMAT_SUBMASK))
        }
    }
}

/// What the player can send to a sound card: the one definition that `check`, `probe`, the
/// console's upload and the daemon share, applied where every file is opened.
public enum Playable {
    /// Telephone quality to studio rates; outside this no sound card plays it.
    public static let sampleRates = 8_000...192_000
    /// Mono to 7.1.
    public static let channels = 1...8

    /// Why a file of this shape cannot be played, or nil.
    public static func problem(sampleRate: Int, channels: Int) -> String? {
        if !sampleRates.contains(sampleRate) {
            return "\(sampleRate) Hz; Loa plays \(sampleRates.lowerBound)-\(sampleRates.upperBound) Hz"
        }
        if !self.channels.contains(channels) {
            return "\(channels) channels; Loa plays \(self.channels.lowerBound)-\(self.channels.upperBound)"
        }
        return nil
    }
}
