import CSndFile
import Foundation
import LoaAudio

/// Writes test audio through libsndfile, so fixtures in every format come from one known encoder.
public enum AudioFixture {
    public enum Kind: Sendable {
        case wav8, wav16, wav24, wav32, wavFloat, wavDouble, aiff16, flac, flac24, ogg, mp3

        public static let all: [Kind] = [.wav8, .wav16, .wav24, .wav32, .wavFloat, .wavDouble, .aiff16, .flac, .flac24, .ogg, .mp3]

        var format: Int32 {
            switch self {
            case .wav8: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_U8)
            case .wav16: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
            case .wav24: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
            case .wav32: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_32)
            case .wavFloat: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
            case .wavDouble: Int32(SF_FORMAT_WAV | SF_FORMAT_DOUBLE)
            case .aiff16: Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16)
            case .flac: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
            case .flac24: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
            case .ogg: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
            case .mp3: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
            }
        }
    }

    /// A sine tone of `seconds`, written to `url`.
    @discardableResult
    public static func tone(
        _ url: URL, kind: Kind = .wav16, seconds: Double, rate: Int = 16_000, channels: Int = 1,
        frequency: Double = 440
    ) -> URL {
        do {
            try Tone.write(url, format: kind.format, seconds: seconds, rate: rate, channels: channels, frequency: frequency)
        } catch {
            fatalError("libsndfile cannot write \(url.path): \(error)")
        }
        return url
    }
}

/// A folder under the system's temporary directory, removed when the test is done with it.
public final class TemporaryFolder: Sendable {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("loa-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public var path: String { url.path }

    @discardableResult
    public func write(_ relativePath: String, _ text: String) -> URL {
        let file = url.appendingPathComponent(relativePath)
        try! FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: file)
        return file
    }

    public func file(_ relativePath: String) -> URL {
        let file = url.appendingPathComponent(relativePath)
        try! FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        return file
    }
}

/// A small tmpfs mounted for one test, to fill up or make read-only; unmounted when released.
/// Mounting needs root (CI runs as root): `init` returns nil where it is refused, and the test
/// says it skipped.
public final class ScratchMount {
    public let folder = TemporaryFolder()
    public var path: String { folder.path }

    public init?(megabytes: Int) {
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", folder.path]) else {
            print("skipped: cannot mount a tmpfs here; run as root")
            return nil
        }
    }

    deinit { _ = Self.run("/bin/umount", ["-l", folder.path]) }

    public func remountReadOnly() -> Bool { Self.run("/bin/mount", ["-o", "remount,ro", folder.path]) }

    /// Writes zeros until the filesystem is full.
    public func fill(_ name: String) {
        guard FileManager.default.createFile(atPath: path + "/" + name, contents: nil),
            let handle = FileHandle(forWritingAtPath: path + "/" + name)
        else { return }
        let block = Data(count: 64 * 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.synchronize()
        try? handle.close()
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
