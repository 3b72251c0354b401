import Glibc
import Synchronization

/// A file's size and modification time, from one `stat`: what tells a cache that a file changed.
public struct FileStamp: Hashable, Sendable {
    public var size: Int64
    /// Nanoseconds since 1970.
    public var modified: Int64

    /// Nil when the file cannot be stat'ed (missing, no permission).
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

/// Values worked out from files (a probe, a hash), remembered by path until the file's stamp
/// changes, so a file is read once however often it is asked about.
public final class StampCache<Value: Sendable>: Sendable {
    private let known = Mutex([String: (stamp: FileStamp, value: Value)]())

    public init() {}

    /// The remembered value while the file is unchanged, else `compute`'s (remembered when not nil).
    /// A file that cannot be stat'ed is computed every time (and `compute` says why it failed).
    public func value(for path: String, _ compute: (String) -> Value?) -> Value? {
        guard let stamp = FileStamp(path: path) else { return compute(path) }
        if let cached = known.withLock({ $0[path] }), cached.stamp == stamp { return cached.value }
        guard let value = compute(path) else { return nil }
        known.withLock { $0[path] = (stamp, value) }
        return value
    }

    /// The same for a computation that always gives a value (a probe says what is wrong itself).
    public func value(for path: String, always compute: (String) -> Value) -> Value {
        let stamp = FileStamp(path: path)
        if let stamp, let cached = known.withLock({ $0[path] }), cached.stamp == stamp { return cached.value }
        let value = compute(path)
        if let stamp { known.withLock { $0[path] = (stamp, value) } }
        return value
    }
}
