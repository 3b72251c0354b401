import Foundation

/// Calls back when files are written, renamed or removed in some folders, from a thread of its own
/// blocked on inotify: the daemon notices a new announcement or a config edit at once, without
/// waking to poll while nothing happens.
public enum FolderWatch {
    /// Throws when inotify cannot watch every folder (too many watches, a folder missing); the
    /// caller then falls back to polling.
    public static func start(_ folders: [String], thread name: String, changed: @escaping @Sendable () -> Void) throws(SystemError) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw SystemError.last("inotify_init1 for", folders.joined(separator: ", ")) }
        let events = UInt32(IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE)
        for folder in folders where inotify_add_watch(fd, folder, events) < 0 {
            let failure = SystemError.last("watch", folder)
            close(fd)
            throw failure
        }
        Thread.detachNewThread {
            Thread.current.name = name
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(fd, &buffer, buffer.count) > 0 { changed() }
        }
    }
}
