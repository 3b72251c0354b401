import Glibc
import SystemPackage

/// A system call that failed: what was being done, to which file, and the errno it gave, so the
/// engineer reads "rename /var/lib/loa/x.json: Read-only file system" rather than a generic
/// write error.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Errno

    public init(_ operation: String, _ path: String, errno: Errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// The failure of the call just made, from the thread's `errno`.
    static func last(_ operation: String, _ path: String) -> SystemError {
        SystemError(operation, path, errno: Errno(rawValue: Glibc.errno))
    }

    public var description: String { "\(operation) \(path): \(errno)" }
}
