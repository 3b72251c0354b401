import Glibc
import SystemPackage

/// Writes and moves that a power cut cannot leave half done: the station's config, the
/// announcement spool and the caches beside the audio all go through here.
public enum DurableFile {
    /// Writes `bytes` to `path` through a temporary file in the same folder: written, fsynced,
    /// renamed over the old file, then the folder fsynced. A power cut leaves the old file or the
    /// new one, never part of one.
    /// `permissions`: the new file's mode (a key is its owner's only).
    public static func write(
        _ bytes: some Sequence<UInt8>, to path: String, permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
    ) throws(SystemError) {
        let folder = folder(of: path)
        let name = FilePath(path).lastComponent?.string ?? "file"
        let temporary = folder + "/.\(name).\(getpid()).tmp"
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                temporary, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: permissions)
        } catch {
            throw SystemError("create", temporary, errno: error as? Errno ?? .ioError)
        }
        var failure: SystemError?
        do {
            _ = try descriptor.writeAll(bytes)
            if fsync(descriptor.rawValue) != 0 { failure = .last("fsync", temporary) }
        } catch {
            failure = SystemError("write", temporary, errno: error as? Errno ?? .ioError)
        }
        if let failure {
            try? descriptor.close()
            unlink(temporary)
            throw failure
        }
        do { try descriptor.close() } catch { throw SystemError("close", temporary, errno: error as? Errno ?? .ioError) }
        guard rename(temporary, path) == 0 else {
            let failure = SystemError.last("rename to", path)
            unlink(temporary)
            throw failure
        }
        try syncFolder(folder)
    }

    /// Renames `source` to `destination` (same file system) and fsyncs both folders, so the move
    /// is still there after a power cut.
    public static func move(_ source: String, to destination: String) throws(SystemError) {
        guard rename(source, destination) == 0 else { throw SystemError.last("rename \(source) to", destination) }
        let from = folder(of: source), to = folder(of: destination)
        try syncFolder(to)
        if from != to { try syncFolder(from) }
    }

    /// Makes a file another library wrote (libsndfile's FLAC) durable before it is moved into place.
    public static func syncFile(_ path: String) throws(SystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError.last("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SystemError.last("fsync", path) }
    }

    /// The folder a path is in; "." for a bare name.
    private static func folder(of path: String) -> String {
        let folder = FilePath(path).removingLastComponent().string
        return folder.isEmpty ? "." : folder
    }

    /// Makes the folder's entries (a file created, renamed or removed in it) durable.
    public static func syncFolder(_ folder: String) throws(SystemError) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError.last("open folder", folder) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SystemError.last("fsync folder", folder) }
    }
}
