import Foundation
import Glibc
import LoaSystem
import Synchronization
import SystemPackage

/// The local channel a live broadcast reaches the daemon by: a Unix socket beside the log
/// (`kha-son.live`), mode 0660, so nothing off the PC can reach it. SOCK_SEQPACKET keeps each
/// ``LiveFrame`` one message, so neither side parses lengths out of a byte stream.
public final class LiveLink: @unchecked Sendable {
    private let descriptor: Int32
    private let closed = Atomic(false)

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close() }

    public static func socketPath(logPath: String) -> String {
        URL(fileURLWithPath: logPath).deletingPathExtension().path + ".live"
    }

    /// Connects to the daemon of this log; a SystemError (ENOENT, ECONNREFUSED) when none listens.
    public static func connect(logPath: String) throws(SystemError) -> LiveLink {
        let path = socketPath(logPath: logPath)
        let descriptor = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SystemError("socket", path, errno: Errno(rawValue: errno)) }
        let result = withAddress(path) { Glibc.connect(descriptor, $0, $1) }
        guard result == 0 else {
            let error = SystemError("connect", path, errno: Errno(rawValue: errno))
            Glibc.close(descriptor)
            throw error
        }
        return LiveLink(descriptor: descriptor)
    }

    /// Sends one message without waiting: false when the other side does not take it now (its
    /// buffer is full, or it is gone), so a stuck peer never holds up the sender.
    @discardableResult
    public func send(_ frame: LiveFrame) -> Bool {
        let data = frame.encoded
        let sent = data.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        return sent == data.count
    }

    public enum Received: Equatable {
        case frame(LiveFrame)
        case malformed(String)
        /// Nothing within the timeout.
        case nothing
        /// The other side closed, or the link failed.
        case closed
    }

    /// The next message, waiting up to `timeout` seconds.
    public func receive(timeout: Double) -> Received {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(max(0, timeout) * 1000))
        if ready == 0 || (ready < 0 && errno == EINTR) { return .nothing }
        guard ready > 0 else { return .closed }
        var buffer = [UInt8](repeating: 0, count: LiveFrame.Limits.messageBytes + 1)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count < 0, errno == EAGAIN || errno == EINTR { return .nothing }
        guard count > 0 else { return .closed }
        let result = buffer.withUnsafeBytes { bytes in
            Result { () throws(LiveFrame.Malformed) in try LiveFrame.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<count])) }
        }
        switch result {
        case .success(let frame): return .frame(frame)
        case .failure(let malformed): return .malformed(malformed.reason)
        }
    }

    /// Closes the link; the other side reads `.closed`.
    public func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        Glibc.close(descriptor)
    }

    fileprivate static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}

/// The daemon's end: listens on the live socket and hands out each connection.
public final class LiveListener: @unchecked Sendable {
    private let descriptor: Int32
    public let path: String

    /// Listens on the socket beside the log, replacing one a killed daemon left behind.
    public init(logPath: String) throws(SystemError) {
        path = LiveLink.socketPath(logPath: logPath)
        guard path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw SystemError("bind", path, errno: .fileNameTooLong)
        }
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SystemError("socket", path, errno: Errno(rawValue: errno)) }
        let listening = LiveLink.withAddress(path) { bind(descriptor, $0, $1) } == 0 && chmod(path, 0o660) == 0 && listen(descriptor, 8) == 0
        guard listening else {
            let error = SystemError("listen", path, errno: Errno(rawValue: errno))
            Glibc.close(descriptor)
            throw error
        }
    }

    deinit {
        Glibc.close(descriptor)
        unlink(path)
    }

    /// Wakes a waiting ``accept()``, which then returns nil, and every later one.
    public func close() { shutdown(descriptor, Int32(SHUT_RDWR)) }


    /// The next connection, waiting for it (an idle daemon wakes for nothing); nil once
    /// ``close()`` was called, or when accept fails.
    public func accept() -> LiveLink? {
        let client = Glibc.accept(descriptor, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        return LiveLink(descriptor: client)
    }
}
