import Foundation

/// A web server on 127.0.0.1 for relay tests, run as a process the test can kill and start
/// again on the same port: Python's `http.server` over a folder, a server that accepts
/// connections and never answers, one that answers with bytes that are not audio, or a live
/// MP3 stream as Icecast serves one.
public final class LoopbackServer: @unchecked Sendable {
    public enum Kind {
        case files(URL)
        case mute
        /// Random bytes as `audio/mpeg`, for ever.
        case garbage
        /// A constant-bitrate MP3 file aired as a live source that began when the server
        /// started: a listener gets the last `burst` seconds (Icecast's burst-on-connect) at
        /// `burstSpeed` times real time (a slow line), then the source's bytes as they come; each
        /// connection is dropped after `dropAfter` seconds, when given.
        case live(URL, bytesPerSecond: Int, burst: Double, burstSpeed: Double = 1000, dropAfter: Double? = nil)
    }

    public let port: Int
    private let kind: Kind
    private var process: Process?
    /// When the server (for ``Kind/live``: its source's second 0) started.
    public private(set) var started = Date()
    /// `http.server`'s log of the requests it answered, kept across restarts.
    private let requestLog = FileManager.default.temporaryDirectory.appendingPathComponent("loopback-\(UUID().uuidString).log")

    public init(_ kind: Kind) throws {
        self.kind = kind
        port = Self.freePort()
        try start()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: requestLog)
    }

    /// How many times `path` was asked for.
    public func requests(for path: String) -> Int {
        let log = (try? String(contentsOf: requestLog, encoding: .utf8)) ?? ""
        return log.components(separatedBy: "\"GET /\(path) ").count - 1
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        // The Python servers' common parts: a socket listening on the port, and a thread per client running `serve`.
        let listening =
            "import socket,os,time,threading\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
            + "s.bind(('127.0.0.1',\(port)))\ns.listen(8)\n"
        let serving = "while True:\n  c,_=s.accept()\n  threading.Thread(target=serve,args=(c,),daemon=True).start()\n"
        switch kind {
        case .files(let folder):
            process.arguments = ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder.path, String(port)]
        case .garbage:
            process.arguments = [
                "-c",
                listening
                    + "def serve(c):\n  c.recv(4096)\n  c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Type: audio/mpeg\\r\\n\\r\\n')\n"
                    + "  try:\n    while True: c.sendall(os.urandom(4096))\n  except OSError: pass\n" + serving,
            ]
        case .live(let file, let bytesPerSecond, let burst, let burstSpeed, let dropAfter):
            process.arguments = [
                "-c",
                listening + "data=open('\(file.path)','rb').read()\nstart=time.time()\n"
                    + "def serve(c):\n  c.recv(4096)\n  c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Type: audio/mpeg\\r\\nicy-name: loa\\r\\n\\r\\n')\n"
                    + "  joined=time.time()\n  first=max(0,int((joined-start-\(burst))*\(bytesPerSecond)))\n  at=first\n"
                    + "  try:\n    while at<len(data) and time.time()-joined<\(dropAfter ?? 1e9):\n"
                    + "      now=min(len(data),int((time.time()-start)*\(bytesPerSecond)),first+int((time.time()-joined)*\(bytesPerSecond)*\(burstSpeed)))\n"
                    + "      if now>at: c.sendall(data[at:now]); at=now\n      time.sleep(0.02)\n  except OSError: pass\n  c.close()\n" + serving,
            ]
        case .mute:
            process.arguments = ["-c", listening + "held=[]\nwhile True:\n  c,_=s.accept()\n  held.append(c)\n"]
        }
        process.standardOutput = FileHandle.nullDevice
        if !FileManager.default.fileExists(atPath: requestLog.path) { FileManager.default.createFile(atPath: requestLog.path, contents: nil) }
        let log = try FileHandle(forWritingTo: requestLog)
        log.seekToEndOfFile()
        process.standardError = log
        try process.run()
        self.process = process
        // Listening once a connection is taken.
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        started = Date()
    }

    /// Kills the server outright (SIGKILL), as a dead link or a crashed encoder would end it.
    public func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }


    private static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
