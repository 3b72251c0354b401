import CSndFile
import Foundation

/// A live broadcast written as it arrives: 16-bit mono FLAC through libsndfile, under a hidden
/// name (`.NAME.part`, which the library does not list) until ``finish()`` renames it into place.
public final class Recording: @unchecked Sendable {
    public let url: URL
    private let partial: URL
    private var handle: OpaquePointer?
    public private(set) var frames = 0
    public let rate: Int

    public init(_ url: URL, rate: Int) throws(AudioFileError) {
        self.url = url
        self.rate = rate
        partial = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".part")
        var info = SF_INFO(
            frames: 0, samplerate: Int32(rate), channels: 1, format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), sections: 0, seekable: 0)
        guard let handle = sf_open(partial.path, Int32(SFM_WRITE), &info) else {
            throw AudioFileError(kind: .unreadable, path: url.path, detail: "cannot be written: \(String(cString: sf_strerror(nil)))")
        }
        self.handle = handle
    }

    deinit { if let handle { sf_close(handle) } }

    /// Appends samples; false when the disk refuses them (the broadcast goes on unrecorded).
    @discardableResult
    public func append(_ samples: [Int16]) -> Bool {
        guard let handle else { return false }
        let written = samples.withUnsafeBufferPointer { sf_writef_short(handle, $0.baseAddress, sf_count_t($0.count)) }
        frames += Int(written)
        return written == samples.count
    }

    public var seconds: Double { Double(frames) / Double(rate) }

    /// Closes the file, synced, under its name; false when it could not be.
    @discardableResult
    public func finish() -> Bool {
        guard let handle else { return false }
        self.handle = nil
        guard sf_close(handle) == 0 else { return false }
        let descriptor = open(partial.path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        return rename(partial.path, url.path) == 0
    }
}
