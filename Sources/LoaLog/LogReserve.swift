import Foundation

/// Disk space held beside the log so that a broadcast that aired can always be settled, even
/// when something else fills the disk: the first settle that fails for want of space gives the
/// reserve up and writes its row into the room it leaves.
///
/// Why a reserve rather than a side journal or retrying: a row that cannot be settled stays
/// `playing`, and a restart would log it `interrupted` and air it again (a double play the log
/// counts once). With the reserve the settle commits at once; while the reserve is spent, nothing
/// new starts (``BroadcastLog/started(_:)`` refuses), so no play can be left unsettled. The
/// reserve is made again as soon as the disk has room for it, and airing resumes.
public final class LogReserve: Sendable {
    /// Enough for hundreds of settles (each a few WAL pages), small beside any disk.
    public static let defaultBytes = 2 * 1024 * 1024

    public let path: String
    public let bytes: Int

    init(logPath: String, bytes: Int) {
        path = logPath + ".reserve"
        self.bytes = bytes
    }

    /// Whether the reserve is in place, making it first if it is not and the disk has room.
    func ensure() -> Bool {
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size == bytes { return true }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        // Real blocks, not a sparse file: the space must be there when it is given up.
        guard posix_fallocate(descriptor, 0, off_t(bytes)) == 0, fsync(descriptor) == 0 else {
            ftruncate(descriptor, 0)
            unlink(path)
            return false
        }
        return true
    }

    /// Gives the space up; false when there was none to give.
    func release() -> Bool {
        unlink(path) == 0
    }
}
