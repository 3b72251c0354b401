import Foundation

/// Calls back when files are written, renamed or removed in some folders, from a thread of its own
/// blocked on inotify: the daemon notices a new announcement or a config edit at once, without
/// waking to poll while nothing happens.
enum FolderWatch {
    /// Returns false when inotify cannot watch every folder (the caller then falls back to polling).
    @discardableResult
    static func start(_ folders: [String], thread name: String, changed: @escaping @Sendable () -> Void) -> Bool {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return false }
        let events = UInt32(IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE)
        guard folders.allSatisfy({ inotify_add_watch(fd, $0, events) >= 0 }) else {
            close(fd)
            return false
        }
        Thread.detachNewThread {
            Thread.current.name = name
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(fd, &buffer, buffer.count) > 0 { changed() }
        }
        return true
    }
}
