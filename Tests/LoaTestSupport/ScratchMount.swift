import Foundation

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
