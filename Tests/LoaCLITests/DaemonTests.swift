import Foundation
import LoaControl
import LoaLog
import LoaTestSupport
import Testing

/// `loa run` as a process: announcements through the spool, and an idle daemon that does not wake.
@Suite(.serialized) struct DaemonTests {
    /// A station whose only session is hours away, so the daemon idles until told otherwise.
    static func idleStation(_ folder: TemporaryFolder) {
        AudioFixture.tone(folder.file("audio/tin.wav"), seconds: 1, rate: 8_000)
        folder.write("station.yaml", """
            station:
              name: Đài thử
              audio-library: audio
            channels:
              - {id: fm, kind: fm, name: FM, device: "file:'\(folder.path)/fm.raw',raw"}
              - {id: loa-1, kind: loudspeaker, name: Loa 1, device: "file:'\(folder.path)/loa-1.raw',raw"}
            sessions:
              - {id: dem, name: Buổi đêm, start: "00:00", end: "00:01", channels: all}
            """)
    }

    static func start(_ folder: TemporaryFolder, output: URL) throws -> Process {
        let process = Process()
        process.executableURL = LoaProcess.binary
        process.arguments = ["run", folder.path, "--log", folder.path + "/log.sqlite"]
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Waits for `condition`, and fails with what the daemon said and `state()` if it does not come.
    static func waitFor(
        _ what: String, output: URL, timeout: Double = 15, state: @escaping @Sendable () -> String = { "" },
        _ condition: @escaping @Sendable () -> Bool
    ) async throws {
        let met = await poll(timeout: timeout, condition)
        try #require(
            met, "timed out waiting for \(what) \(state()); the daemon said: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
    }

    @Test func anEmergencyAnnouncementAirsOnItsChannelsAndIsLogged() async throws {
        let folder = TemporaryFolder()
        Self.idleStation(folder)
        let output = folder.file("daemon.txt")
        let daemon = try Self.start(folder, output: output)
        defer { if daemon.isRunning { daemon.terminate() } }
        let logPath = folder.path + "/log.sqlite"
        try await Self.waitFor("the daemon to start", output: output) { (try? String(contentsOf: output, encoding: .utf8))?.contains("playing") == true }

        // Running: its pid is a live `loa` and its heartbeat fresh; silent for three heartbeats, a
        // daemon whose pid lives is hung, and taken as not running.
        var state = try #require(DaemonState.read(logPath: logPath))
        #expect(state.isRunning && state.pid == daemon.processIdentifier)
        state.updatedAt = Date().addingTimeInterval(-4 * DaemonState.heartbeatSeconds)
        #expect(!state.isRunning)

        let bad = try LoaProcess.run(["announce", folder.path, folder.path + "/audio/tin.wav", "--channels", "loa-9", "--log", logPath])
        #expect(bad.status != 0 && bad.stderr.contains("unknown channel 'loa-9'"))
        let missing = try LoaProcess.run(["announce", folder.path, folder.path + "/khong-co.wav", "--log", logPath])
        #expect(missing.status == 1 && missing.stderr.contains("khong-co.wav: file not found"))

        let sent = try LoaProcess.run(["announce", folder.path, folder.path + "/audio/tin.wav", "--channels", "fm", "--log", logPath])
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.hasPrefix("Phát khẩn"))
        try await Self.waitFor("the announcement to be logged", output: output) {
            ((try? BroadcastLog.existing(path: logPath).records()) ?? []).contains { $0.outcome == .completed }
        }
        // Back to idle after a broadcast: it sleeps until its next event. No libdispatch worker
        // thread was ever started (the first one arms a pool monitor that wakes the process every
        // second), and over five seconds the daemon's threads do not wake.
        let idle = try Self.threads(of: daemon.processIdentifier)
        #expect(!idle.values.contains { $0.name.hasSuffix("default-qos") }, "\(idle.values.map(\.name))")
        try await Task.sleep(for: .seconds(5))
        let wakeUps = Self.wakeUps(from: idle, to: try Self.threads(of: daemon.processIdentifier))
        #expect(wakeUps <= 2, "\(wakeUps) wake-ups in 5 s while idle")
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        // Its last state is written as it stops: the time the console says it stopped at.
        let stopped = try #require(DaemonState.read(logPath: logPath))
        #expect(!stopped.isRunning && abs(stopped.updatedAt.timeIntervalSinceNow) < 5, "\(stopped.updatedAt)")
        let rows = try BroadcastLog.existing(path: logPath).records()
        #expect(rows.count == 1)
        #expect(rows.first?.channel == "fm" && rows.first?.role == .announcementEmergency)
        #expect(rows.first?.audioSHA256?.count == 64)
        let captured = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/fm.raw"))
        #expect(captured.count == 8_000 * 2, "one second of 8 kHz 16-bit mono reached the device")
    }

    /// The process's threads by id: name, and voluntary context switches (each one wake-up
    /// after a wait), from /proc.
    static func threads(of pid: Int32) throws -> [String: (name: String, wakeUps: Int)] {
        var threads: [String: (name: String, wakeUps: Int)] = [:]
        for task in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            guard let comm = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8),
                let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("voluntary_ctxt_switches:") }),
                let wakeUps = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces))
            else { continue }
            threads[task] = (comm.trimmingCharacters(in: .whitespacesAndNewlines), wakeUps)
        }
        return threads
    }

    /// Wake-ups between two readings, thread by thread (a thread that ended takes its count with it).
    static func wakeUps(from before: [String: (name: String, wakeUps: Int)], to after: [String: (name: String, wakeUps: Int)]) -> Int {
        after.reduce(0) { sum, thread in sum + thread.value.wakeUps - (before[thread.key]?.wakeUps ?? 0) }
    }
}
