import CEBUR128
import Crypto
import Foundation
import LoaAudio
import LoaModel
import LoaSystem
import Synchronization

/// A file's loudness as EBU R128 measures it, and its sample peak.
public struct LoudnessMeasurement: Codable, Sendable, Equatable {
    /// Integrated loudness in LUFS; -infinity for silence (stored as -999).
    public var integratedLUFS: Double
    /// The largest absolute sample over all channels, 1.0 being full scale.
    public var samplePeak: Double

    public init(integratedLUFS: Double, samplePeak: Double) {
        self.integratedLUFS = integratedLUFS
        self.samplePeak = samplePeak
    }

    /// The linear gain that brings the file to `target` LUFS, lowered where needed so its peak stays
    /// at or under `ceiling` dBFS: normalising never clips. Silence is left as it is.
    public func normalizingGain(toward target: Double, ceiling: Double = -1) -> Double {
        guard integratedLUFS > -70 else { return 1 }
        let wanted = pow(10, (target - integratedLUFS) / 20)
        guard samplePeak > 0 else { return wanted }
        return min(wanted, pow(10, ceiling / 20) / samplePeak)
    }
}

public enum Loudness {
    /// Decodes the whole file once and measures it. The corresponding C functions are libebur128's
    /// `ebur128_add_frames_float`, `ebur128_loudness_global` and `ebur128_sample_peak`.
    public static func measure(_ url: URL) throws(AudioFileError) -> LoudnessMeasurement {
        let file = try AudioFile(url: url)
        let channels = file.format.channels
        guard let state = ebur128_init(
            UInt32(channels), UInt(file.format.sampleRate), Int32(EBUR128_MODE_I.rawValue | EBUR128_MODE_SAMPLE_PEAK.rawValue))
        else { throw AudioFileError(kind: .unreadable, path: url.path, detail: "libebur128 could not start") }
        var handle: UnsafeMutablePointer<ebur128_state>? = state
        defer { ebur128_destroy(&handle) }
        let chunk = 8192
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: chunk * channels)
        defer { buffer.deallocate() }
        while case let count = try file.read(into: buffer, frames: chunk), count > 0 {
            ebur128_add_frames_float(state, buffer, count)
        }
        var loudness = 0.0
        ebur128_loudness_global(state, &loudness)
        var peak = 0.0
        for channel in 0..<channels {
            var value = 0.0
            ebur128_sample_peak(state, UInt32(channel), &value)
            peak = max(peak, value)
        }
        return LoudnessMeasurement(integratedLUFS: loudness.isFinite ? loudness : -999, samplePeak: peak)
    }
}

/// Measurements kept in a JSON file, keyed by the SHA-256 of each file's content, so a file is
/// measured once however often it airs and whatever it is renamed to.
public final class LoudnessCache: Sendable {
    public let file: URL
    private let entries: Mutex<[String: LoudnessMeasurement]>

    public init(file: URL) {
        self.file = file
        let stored = (try? Data(contentsOf: file)).flatMap {
            try? JSONDecoder().decode([String: LoudnessMeasurement].self, from: $0)
        }
        entries = Mutex(stored ?? [:])
    }

    /// The cached measurement for the file's content, measuring (and saving) it the first time.
    public func measurement(for url: URL) throws(AudioFileError) -> LoudnessMeasurement {
        let key = try Self.contentHash(of: url)
        if let known = entries.withLock({ $0[key] }) { return known }
        let measured = try Loudness.measure(url)
        let snapshot = entries.withLock { entries in
            entries[key] = measured
            return entries
        }
        save(snapshot)
        return measured
    }

    /// SHA-256 of the file's bytes, read in chunks, as lowercase hex.
    public static func contentHash(of url: URL) throws(AudioFileError) -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw AudioFileError(kind: .missing, path: url.path, detail: "no such file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return Hex.string(hasher.finalize())
    }

    /// Written durably (see `DurableFile`), so a power cut never leaves half a cache.
    private func save(_ snapshot: [String: LoudnessMeasurement]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(snapshot) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A cache that cannot be saved is measured again next time: nothing more is lost.
        try? DurableFile.write(data, to: file.path)
    }
}
