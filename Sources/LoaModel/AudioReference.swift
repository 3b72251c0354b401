import Foundation

/// An audio file named in the config: the path as the operator wrote it, and where it is.
public struct AudioReference: Hashable, Sendable {
    /// As configured, relative to the audio library (or absolute).
    public var path: String
    public var url: URL
    public var location: SourceLocation
    /// What the operator's pages and reports call it, where the config says (a nhạc hiệu's
    /// `{audio, title}`); a message keeps its own title.
    public var title: String?

    public init(path: String, url: URL, location: SourceLocation, title: String? = nil) {
        self.path = path
        self.url = url
        self.location = location
        self.title = title
    }

    /// The file name without folder or extension: a message's default id.
    public var stem: String { url.deletingPathExtension().lastPathComponent }
}

/// What probing an audio file found: enough to plan with, or why it cannot be played.
public enum AudioProbe: Sendable, Equatable {
    case playable(AudioFacts)
    case unplayable(AudioProblem)
}

public struct AudioFacts: Sendable, Equatable {
    public var duration: Double
    /// "WAV 16-bit, 22050 Hz, mono": said in `check` and `probe` output.
    public var format: String
    /// The largest absolute sample, 0...1, when probing decoded the file.
    public var peak: Double?

    public init(duration: Double, format: String, peak: Double? = nil) {
        self.duration = duration
        self.format = format
        self.peak = peak
    }
}

/// Why an audio file cannot be played: the one list of reasons, which the decoder's errors
/// carry too.
public struct AudioProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case missing, empty, unsupported, unreadable
    }

    public var kind: Kind
    /// The decoder's own words, or ours when it has none.
    public var detail: String

    public init(_ kind: Kind, detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    public static let missing = AudioProblem(.missing, detail: "no such file")

    public var description: String {
        switch kind {
        case .missing: "file not found"
        case .empty: "file is empty"
        case .unsupported: "unsupported audio format (\(detail))"
        case .unreadable: "cannot be decoded (\(detail))"
        }
    }

    public var vietnamese: String {
        switch kind {
        case .missing: "không tìm thấy tệp"
        case .empty: "tệp rỗng"
        // The decoder's detail is English, for the engineer; the operator needs only what to do.
        case .unsupported: "định dạng âm thanh không được hỗ trợ; hãy xuất lại thành WAV hoặc MP3"
        case .unreadable: "tệp hỏng, không giải mã được; hãy chép hoặc xuất lại tệp"
        }
    }
}

/// Durations of the audio a station names, keyed by the path as configured. The planner's only
/// knowledge of audio: it never opens a file.
public typealias AudioDurations = [String: Double]

extension [String: AudioProbe] {
    /// The probed peaks of the files that can be played.
    public var playablePeaks: [String: Double] {
        compactMapValues { probe in
            if case .playable(let facts) = probe { return facts.peak }
            return nil
        }
    }

    /// The durations of the files that can be played; unplayable ones are left out.
    public var playableDurations: AudioDurations {
        compactMapValues { probe in
            if case .playable(let facts) = probe { return facts.duration }
            return nil
        }
    }
}

public enum AudioPath {
    /// Resolves a configured path against the library. A name written in NFD (as macOS writes
    /// Vietnamese file names) finds a file stored in NFC and the other way round, because Swift
    /// compares strings by canonical equivalence.
    public static func resolve(_ path: String, in library: URL) -> URL {
        let direct = path.hasPrefix("/") ? URL(fileURLWithPath: path) : library.appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: direct.path) { return direct }
        var resolved = path.hasPrefix("/") ? URL(fileURLWithPath: "/") : library
        for component in path.split(separator: "/").map(String.init) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: resolved.path)) ?? []
            resolved.appendPathComponent(entries.first { $0 == component } ?? component)
        }
        return resolved
    }
}
