import Foundation
import LoaTestSupport
import Testing

/// The built `loa` against inputs that used to take a station down or make it lie: audio no
/// sound card plays, a float WAV, an endless campaign window, and a request that killed the console.
@Suite struct BadInputTests {
    /// One definition of playable: `check` refuses what the player would refuse at air time.
    /// A value refused while a subcommand runs is answered with that subcommand's usage (exit 64),
    /// not the top-level one; both programs say their version.
    @Test func aSubcommandsUsageErrorShowsItsOwnUsage() throws {
        let unknown = try LoaProcess.run(["report", CheckAndPlanTests.example, "--campaign", "khong-co"])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown campaign 'khong-co'"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("Usage: loa report <station>") && !unknown.stderr.contains("loa <subcommand>"), "\(unknown.stderr)")
        let version = try LoaProcess.run(["--version"])
        #expect(version.status == 0 && version.stdout.split(separator: ".").count == 3, "\(version.stdout)")
        let console = try LoaProcess.run(["console", "--version"])
        #expect(console.status == 0 && console.stdout == version.stdout, "\(console.stdout) \(console.stderr)")
    }

    /// A mistyped subcommand is an error that names the nearest, with or without --help, at
    /// every level; the real ones and `help` still work.
    @Test func anUnknownSubcommandIsAnErrorWithTheNearestNames() throws {
        for (arguments, near) in [(["plna", "--help"], "'plan'"), (["NOSUCH"], nil), (["central", "migrat"], "'migrate'"), (["lgo", "verify"], "'log'"), (["central", "campaign", "publsh"], "'publish'")] {
            let result = try LoaProcess.run(arguments)
            #expect(result.status == 64 && result.stderr.contains("is not a subcommand"), "\(arguments): \(result.status) \(result.stderr)")
            if let near { #expect(result.stderr.contains("Did you mean \(near)"), "\(result.stderr)") }
        }
        for arguments in [["plan", "--help"], ["help", "check"], ["central", "--help"], ["--version"], ["log", CheckAndPlanTests.example, "--help"]] {
            let result = try LoaProcess.run(arguments)
            #expect(result.status == 0 && !result.stdout.isEmpty, "\(arguments): \(result.stderr)")
        }
    }

    @Test func checkRefusesShapesNoSoundCardPlays() throws {
        let folder = TemporaryFolder()
        folder.write("station.yaml", """
            station: {name: Đài thử, audio-library: audio}
            channels: [{id: fm, kind: fm, name: FM, device: "null"}]
            sessions: [{id: sang, name: Sáng, start: "05:30", end: "06:00", channels: all}]
            """)
        for (rate, channels) in [(7, 1), (3_000_000, 1), (8_000, 256)] {
            var data = Data()
            func le(_ value: Int, _ bytes: Int) { for i in 0..<bytes { data.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
            data.append(contentsOf: Array("RIFF".utf8)); le(36 + 4 * channels, 4); data.append(contentsOf: Array("WAVEfmt ".utf8))
            le(16, 4); le(1, 2); le(channels, 2); le(rate, 4); le(rate * channels * 2, 4); le(channels * 2, 2); le(16, 2)
            data.append(contentsOf: Array("data".utf8)); le(4 * channels, 4); data.append(Data(count: 4 * channels))
            try FileManager.default.createDirectory(at: folder.file("audio"), withIntermediateDirectories: true)
            try data.write(to: folder.file("audio/tin.wav"))
            folder.write("campaigns/thu.yaml", "id: thu\ntitle: Thử\nwindow: {first: 2024-11-25, last: 2024-11-30}\nmessages: [tin.wav]\n")
            let checked = try LoaProcess.run(["check", folder.path])
            #expect(checked.status == 1 && checked.stderr.contains("tin.wav"), "\(rate) Hz, \(channels) channels: \(checked.stderr)")
        }
    }

    @Test func aFloatWavReachesTheDeviceAsSound() throws {
        let folder = TemporaryFolder()
        let source = AudioFixture.tone(folder.file("float.wav"), kind: .wavFloat, seconds: 0.5, rate: 22_050)
        let capture = folder.file("out.raw")
        let played = try LoaProcess.run(["play", source.path, "--device", "file:'\(capture.path)',raw"])
        #expect(played.status == 0, "\(played.stderr)")
        let samples = try Data(contentsOf: capture).withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        let peak = samples.map { abs(Double($0)) }.max() ?? 0
        #expect(abs(peak / 2_147_483_648 - 0.5) < 0.01, "the 0.5 tone airs at 0.5 of full scale, not as silence: \(peak)")
    }

    @Test func anEndlessCampaignWindowIsAnErrorFoundQuickly() throws {
        let folder = TemporaryFolder()
        try FileManager.default.copyItem(atPath: CheckAndPlanTests.example, toPath: folder.path + "/kha-son")
        let campaigns = folder.path + "/kha-son/campaigns"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: campaigns).first { $0.hasSuffix(".yaml") })
        // The copy's audio is the repository's, so the check goes all the way through.
        let stationFile = folder.path + "/kha-son/station.yaml"
        let station = try String(contentsOfFile: stationFile, encoding: .utf8)
        try station.replacingOccurrences(of: #"audio-library: .*"#, with: "audio-library: \(LoaProcess.repository.path)/audio", options: .regularExpression)
            .write(toFile: stationFile, atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: campaigns + "/" + name, encoding: .utf8)
        let endless = text.replacingOccurrences(of: #"first: \d{4}-\d{2}-\d{2}"#, with: "first: 0001-01-01", options: .regularExpression)
            .replacingOccurrences(of: #"last: \d{4}-\d{2}-\d{2}"#, with: "last: 9999-12-31", options: .regularExpression)
        try endless.write(toFile: campaigns + "/" + name, atomically: true, encoding: .utf8)
        let started = Date()
        let checked = try LoaProcess.run(["check", folder.path + "/kha-son"])
        #expect(Date().timeIntervalSince(started) < 10, "before the bound this took 26 s")
        #expect(checked.status == 1 && checked.stderr.contains("must be a date in the years 2000-2099"), "\(checked.stderr)")
    }

    /// The request that stopped the console before any login: a form body with raw UTF-8 and a space.
    @Test func aRawFormBodyGetsA400AndTheConsoleServesOn() async throws {
        let folder = TemporaryFolder()
        let port = 19_000 + Int(getpid() % 2000)
        let server = Process()
        server.executableURL = LoaProcess.binary
        server.arguments = ["console", CheckAndPlanTests.example, "--log", folder.path + "/log.sqlite", "--listen", "127.0.0.1:\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let body = Array("ten=ấ b&mat-khau=x".utf8)
        let request = Array("POST /dang-nhap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
        var answer = ""
        for _ in 0..<100 where answer.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            answer = Self.exchange(request, port: port)
        }
        #expect(answer.hasPrefix("HTTP/1.1 4"), "\(answer.prefix(200))")
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.isRunning, "one request must not stop the console")
        #expect(Self.exchange(Array("GET /dang-nhap HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), port: port).hasPrefix("HTTP/1.1 200"))
    }

    /// Sends bytes to 127.0.0.1:port and reads the answer until the server closes.
    static func exchange(_ bytes: [UInt8], port: Int) -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return "" }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, send(socket, bytes, bytes.count, 0) == bytes.count else { return "" }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let count = recv(socket, &buffer, buffer.count, 0), count > 0 { received += buffer.prefix(count) }
        return String(decoding: received, as: UTF8.self)
    }
}
