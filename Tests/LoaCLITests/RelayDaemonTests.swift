import Foundation
import LoaLog
import LoaTestSupport
import Testing

/// `loa run` airs a session of its own messages and a relay of an HLS stream served on
/// 127.0.0.1; the server is killed mid-relay and started again. The log must say what aired:
/// the messages, the relay with the seconds its source was on air, and the fallback's outage.
@Suite(.serialized) struct RelayDaemonTests {
    @Test func aDaemonAirsMessagesThenARelayThatSurvivesItsServerDying() async throws {
        let folder = TemporaryFolder()
        // Made and served off the test pool, which the timing tests of other suites need.
        let server = try await offThePool {
            AudioFixture.tone(folder.file("audio/tin.wav"), seconds: 2, rate: 48_000)
            AudioFixture.tone(folder.file("audio/cho.wav"), seconds: 2, rate: 48_000)
            let stream = folder.url.appendingPathComponent("hls")
            try FFmpegCLI.hls(["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=60", "-ac", "2"], in: stream)
            return try LoopbackServer(.files(stream))
        }

        // A session 12 s from now, its relay from 20 s.
        let (clock, date) = try await Self.soon()
        Self.writeStation(
            folder, url: server.url("live.m3u8"), fallback: "cho.wav",
            session: "{id: sang, name: Buổi sáng, start: \"\(clock(12))\", end: \"\(clock(44))\", channels: all, relay: {source: vov1, from: \"\(clock(20))\"}}")
        folder.write("campaigns/tin.yaml", """
            id: tin
            title: Tin của xã
            window: {first: \(date), last: \(date)}
            messages: [tin.wav]
            plays-per-day: 1
            """)
        let check = try await offThePool { try LoaProcess.run(["check", folder.path]) }
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let (daemon, output, logPath) = try await Self.runUntilTheRelayIsOnAir(folder)
        defer { if daemon.isRunning { daemon.terminate() } }
        @Sendable func rows() -> [BroadcastRecord] { (try? BroadcastLog.existing(path: logPath).records()) ?? [] }
        let status = try await offThePool { try LoaProcess.run(["status", folder.path, "--log", logPath]) }
        #expect(status.stdout.contains("Đang phát: vov1 (tiếp sóng)"), "\(status.stdout)")
        try await offThePool {
            Thread.sleep(forTimeInterval: 3)
            server.kill()
            Thread.sleep(forTimeInterval: 10)
            try server.start()
        }
        try await DaemonTests.waitFor("the relay to end", output: output, timeout: 40) {
            rows().contains { $0.role == .relay && $0.outcome.isFinal }
        }
        daemon.terminate()
        daemon.waitUntilExit()

        let all = rows()
        let message = try #require(all.first { $0.role == .message }, "\(all)")
        #expect(message.outcome == .completed && message.campaign == "tin")
        let relay = try #require(all.first { $0.role == .relay })
        #expect(relay.outcome == .completed && relay.audio == server.url("live.m3u8") && relay.message == "vov1", "\(relay)")
        // On air from its second to its end (24 s), of which the source for all but the outage.
        let fallbacks = all.filter { $0.role == .relayFallback }
        let outage = try #require(fallbacks.first, "the dead server's outage is logged: \(all)")
        #expect(outage.reasonCode == .sourceUnavailable && outage.outcome == .completed && outage.message == "cho", "\(outage)")
        #expect(outage.playedSeconds > 3 && outage.playedSeconds < 18, "\(outage.playedSeconds)")
        let fallbackSeconds = fallbacks.reduce(0) { $0 + $1.playedSeconds }
        #expect(abs(relay.playedSeconds + fallbackSeconds - 24) < 0.5, "relayed \(relay.playedSeconds) + fallback \(fallbackSeconds)")
        #expect(relay.reason?.contains("fallback") == true)
        let scheduled = try #require(LogTime.date(relay.scheduledStart)), started = try #require(relay.actualStart.flatMap(LogTime.date))
        #expect(abs(started.timeIntervalSince(scheduled)) < 0.1, "on its second: \(relay.scheduledStart) \(relay.actualStart ?? "")")
        let fm = Data((try? Data(contentsOf: folder.file("fm.raw"))) ?? Data())
        // The file PCM is opened anew for each item: it holds the relay's frames, exactly 24 s of them.
        #expect(fm.count == 24 * 48_000 * 4, "the relay ends on its second")

        let verify = try await offThePool { try LoaProcess.run(["log", "verify", folder.path, "--log", logPath]) }
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let week = try await offThePool { try LoaProcess.run(["report", folder.path, "--period", "week", "--at", date, "--log", logPath]) }
        #expect(week.stdout.contains("2/2 mục, 0:26, 1 sự cố; Tin; Tiếp sóng VOV1") && week.stdout.contains("phát dự phòng"), "\(week.stdout)")
    }

    /// An emergency announcement cuts into a relay of a live stream; after it the relay is back
    /// at once, at the source's current second: no silence, no fallback, no outage (the channel
    /// used to reconnect, airing 2 s of silence and 2 s of fallback though the source never failed).
    @Test func anEmergencyCutsARelayAndTheRelayIsBackAtOnce() async throws {
        let folder = TemporaryFolder()
        let (encoder, server) = try await offThePool {
            AudioFixture.tone(folder.file("audio/khan-cap.wav"), seconds: 4, rate: 48_000, frequency: 1_000)
            try FFmpegCLI.run(["-f", "lavfi", "-i", "sine=frequency=3000:sample_rate=48000:duration=3"], output: folder.file("audio/cho.flac"))
            let encoder = try LiveHLSEncoder(folder: folder.url.appendingPathComponent("hls"))
            try encoder.start(SecondTone())
            return (encoder, try LoopbackServer(.files(encoder.folder)))
        }
        defer { encoder.kill() }
        let (clock, _) = try await Self.soon()
        Self.writeStation(
            folder, url: server.url("live.m3u8"), fallback: "cho.flac",
            session: "{id: sang, name: Buổi sáng, start: \"\(clock(12))\", end: \"\(clock(40))\", channels: all, relay: {source: vov1}}")
        let (daemon, output, logPath) = try await Self.runUntilTheRelayIsOnAir(folder)
        defer { if daemon.isRunning { daemon.terminate() } }
        @Sendable func rows() -> [BroadcastRecord] { (try? BroadcastLog.existing(path: logPath).records()) ?? [] }
        let announced = try await offThePool {
            Thread.sleep(forTimeInterval: 5)
            return try LoaProcess.run(["announce", folder.path, folder.file("audio/khan-cap.wav").path, "--log", logPath])
        }
        #expect(announced.status == 0, "\(announced.stderr)")
        try await DaemonTests.waitFor(
            "the relay's end", output: output, timeout: 40,
            state: { rows().map { "\($0.role.rawValue) \($0.outcome.rawValue) \($0.reason ?? "")" }.joined(separator: "; ") }
        ) {
            rows().contains { $0.role == .relay && $0.outcome == .completed }
        }
        daemon.terminate()
        daemon.waitUntilExit()

        let all = rows()
        let relays = all.filter { $0.role == .relay }
        let announcement = try #require(all.first { $0.role == .announcementEmergency }, "\(all)")
        #expect(relays.count == 2 && relays[0].outcome == .interrupted && relays[1].outcome == .completed, "\(relays)")
        #expect(!all.contains { $0.role == .relayFallback }, "no outage: the source never failed: \(all)")
        let ended = try #require(announcement.actualEnd.flatMap(LogTime.date)), back = try #require(relays[1].actualStart.flatMap(LogTime.date))
        #expect(back.timeIntervalSince(ended) < 0.5, "back \(back.timeIntervalSince(ended)) s after the announcement")
        // The file PCM is opened anew for each item: it holds the rest of the relay, the source's
        // seconds from its first window on.
        let capture = (try? Data(contentsOf: folder.file("fm.raw"))) ?? Data()
        let heard = SecondTone.read(capture.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }, bases: [400])
        // From its first window the source's seconds (a window across a change of second reads
        // unclear), never silence or the fallback.
        let first = heard.prefix(3)
        #expect(first.filter { if case .second = $0 { true } else { false } }.count >= 2 && !first.contains(.silence), "\(heard.prefix(6))")
        #expect(!heard.contains(.tone(3000)) && !heard.dropFirst().contains(.silence), "\(heard)")
    }

    /// `loa run` on the station, returned once its relay is on air, with its output and log.
    static func runUntilTheRelayIsOnAir(_ folder: TemporaryFolder) async throws -> (Process, URL, String) {
        let output = folder.file("daemon.txt"), logPath = folder.path + "/log.sqlite"
        let daemon = try DaemonTests.start(folder, output: output)
        do {
            try await DaemonTests.waitFor("the relay to go on air", output: output, timeout: 40) {
                ((try? BroadcastLog.existing(path: logPath).records()) ?? []).contains { $0.role == .relay && $0.outcome == .playing }
            }
        } catch {
            daemon.terminate()
            throw error
        }
        return (daemon, output, logPath)
    }

    /// A station of one FM channel captured to fm.raw, relaying `url` (VOV1) with `fallback`
    /// after a 2 s stall, in one `session`.
    static func writeStation(_ folder: TemporaryFolder, url: String, fallback: String, session: String) {
        folder.write("station.yaml", """
            station:
              name: Đài thử tiếp sóng
              audio-library: audio
            channels:
              - {id: fm, kind: fm, name: FM, device: "file:'\(folder.path)/fm.raw',raw"}
            relay-sources:
              - {id: vov1, name: VOV1, url: "\(url)", fallback: \(fallback), stall-seconds: 2}
            sessions:
              - \(session)
            """)
    }

    /// Local wall time in the station's zone `offset` seconds from now, and today's date; the
    /// sessions a test makes must start and end on one day, so within a minute of midnight it
    /// waits that out first.
    static func soon() async throws -> (clock: @Sendable (Double) -> String, date: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        if !calendar.isDate(Date(), inSameDayAs: Date().addingTimeInterval(60)) { try await Task.sleep(for: .seconds(61)) }
        let now = Date()
        let clock: @Sendable (Double) -> String = { [calendar] offset in
            let parts = calendar.dateComponents([.hour, .minute, .second], from: now.addingTimeInterval(offset))
            return String(format: "%02d:%02d:%02d", parts.hour!, parts.minute!, parts.second!)
        }
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        return (clock, String(format: "%04d-%02d-%02d", today.year!, today.month!, today.day!))
    }
}
