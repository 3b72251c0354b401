import Foundation
import LoaLog
import LoaModel
import LoaTestSupport
import Testing

/// The real `loa run` playing to ALSA `file` PCMs in real time (paced), killed with SIGKILL in the
/// middle of broadcasts again and again, and started again each time.
@Suite(.serialized) struct CrashTests {
    @Test func killedTwentyTimesItNeitherLosesNorRepeatsABroadcast() async throws {
        let folder = TemporaryFolder()
        let kills = 20
        let items = 36  // 18 plays in the session on each of the two channels
        AudioFixture.tone(folder.file("audio/a.wav"), seconds: 1.0, rate: 8_000)
        AudioFixture.tone(folder.file("audio/b.wav"), seconds: 0.8, rate: 8_000, frequency: 660)
        // A session starting a few seconds from now in the station's zone, long enough for all items
        // even after every restart.
        let time = StationTime(zone: Station.defaultTimeZone)
        let now = time.wallTime(of: Date().addingTimeInterval(4))
        let start = Int(now.seconds.rounded(.up))
        try #require(start + 180 < 86_400, "too close to midnight to run this test now")
        folder.write("station.yaml", """
            station:
              name: Đài thử nghiệm
              audio-library: audio
            channels:
              - {id: fm, kind: fm, name: FM, device: "file:'\(folder.path)/fm.raw',raw"}
              - {id: loa-1, kind: loudspeaker, name: Loa 1, device: "file:'\(folder.path)/loa-1.raw',raw"}
            sessions:
              - id: thu
                name: Buổi thử
                start: "\(TimeOfDay(seconds: start).withSeconds)"
                end: "\(TimeOfDay(seconds: start + 170).withSeconds)"
                channels: all
            """)
        folder.write("campaigns/thu.yaml", """
            id: thu
            title: Thử
            window: {first: \(now.date), last: \(now.date)}
            plays-per-session: \(items / 2)
            messages: [a.wav, b.wav]
            """)
        let logPath = folder.url.appendingPathComponent("log.sqlite").path
        let daemonOutput = folder.file("daemon.txt")
        _ = FileManager.default.createFile(atPath: daemonOutput.path, contents: nil)
        func startDaemon() throws -> Process {
            let process = Process()
            process.executableURL = LoaProcess.binary
            process.arguments = ["run", folder.path, "--log", logPath]
            // Appended across restarts, so a failure can show what the daemons said.
            let output = try FileHandle(forWritingTo: daemonOutput)
            output.seekToEndOfFile()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return process
        }
        @Sendable func rows() -> [BroadcastRecord] {
            (try? BroadcastLog.existing(path: logPath).records()) ?? []
        }

        var daemon = try startDaemon()
        var killedWhilePlaying: [Int64] = []
        for _ in 0..<kills {
            // Wait for a broadcast to be on air, then kill somewhere inside it: looked for and
            // killed from a thread of its own, so a test pool kept busy by other suites cannot
            // make the kill land after the broadcast.
            // The row the last kill left `playing` stays so until the new daemon starts and settles
            // it (slowly on a loaded machine): only a newer row is a broadcast of this daemon.
            let pid = daemon.processIdentifier, lastKilled = killedWhilePlaying.last ?? 0
            let playing = try await offThePool { () -> BroadcastRecord? in
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline {
                    if let on = rows().last(where: { $0.outcome == .playing && ($0.id ?? 0) > lastKilled }) {
                        Thread.sleep(forTimeInterval: Double.random(in: 0...0.3))
                        kill(pid, SIGKILL)
                        return on
                    }
                    Thread.sleep(forTimeInterval: 0.02)
                }
                return nil
            }
            let on = try #require(
                playing,
                """
                nothing came on air within 30 s after \(killedWhilePlaying.count) kills; \(rows().filter { $0.outcome.isFinal }.count) \
                of \(items) entries settled; the daemons said: \((try? String(contentsOf: daemonOutput, encoding: .utf8))?.suffix(3000) ?? "")
                """)
            daemon.waitUntilExit()
            killedWhilePlaying.append(on.id!)
            daemon = try startDaemon()
        }
        // Let the last run play out the session, then stop it the polite way.
        let sessionEnd = time.instant(now.date, start + 170)
        while Date() < sessionEnd, rows().filter({ $0.outcome.isFinal }).count < items {
            try await Task.sleep(for: .milliseconds(200))
        }
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0, "SIGTERM ends loa run cleanly")

        let all = rows()
        let log = try BroadcastLog.existing(path: logPath)
        let byEntry = Dictionary(grouping: all, by: \.entryID)
        #expect(byEntry.count == items, "every planned entry has rows")
        for (entry, attempts) in byEntry {
            #expect(attempts.filter { $0.outcome == .completed }.count == 1, "\(entry): \(attempts.map(\.outcome))")
            #expect(attempts.filter { $0.outcome.isFinal }.count == 1, "\(entry) settled more than once")
        }
        // The row on air when the kill was sent is interrupted by the crash, unless the broadcast
        // ended in the few milliseconds between the look and the kill.
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id!, $0) })
        for id in killedWhilePlaying {
            let row = try #require(byID[id])
            #expect(row.reasonCode == .powerLossOrCrash || row.outcome == .completed, "row \(id): \(row.outcome)")
        }
        let crashed = all.filter { $0.reasonCode == .powerLossOrCrash }
        #expect(crashed.count >= kills * 3 / 4, "only \(crashed.count) of \(kills) kills landed mid-broadcast")
        #expect(all.allSatisfy { $0.outcome != .playing })
        #expect(try log.verify().isIntact)
    }
}
