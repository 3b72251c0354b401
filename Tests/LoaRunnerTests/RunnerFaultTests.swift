import Foundation
import LoaControl
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout
import LoaRunner
import Testing

/// The runner against faults at the clock, the device and the plan, on virtual clocks.
@Suite struct RunnerFaultTests {
    /// A PC whose RTC keeps local time boots 7 h ahead (11:00 for 04:00); NTP steps it back 30
    /// minutes later, before the morning session. Nothing decided on the wrong clock stands.
    @Test func aClockSetBackAfterABootAheadAirsTheSessionItHadGivenUp() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(
            start: f.at("04:00").addingTimeInterval(7 * 3600), jumps: [(at: .seconds(1800), by: -7 * 3600)], synchronized: false)
        let end = await f.runner("fm", clock: clock).run(f.entries("fm"), on: f.date, servingUntil: f.at("23:59"))
        #expect(end == .dayDone)
        let rows = try f.log.records()
        #expect(rows.filter { $0.outcome == .missed }.isEmpty, "\(rows.map { "\($0.entryID) \($0.outcome)" })")
        #expect(rows.count == f.entries("fm").count && rows.allSatisfy { $0.outcome == .completed })
        #expect(rows.first?.actualStart == LogTime.string(f.at("05:30")), "the morning session airs on time after the step")
    }

    /// On a clock the kernel calls synchronised, a missed entry is written at once, as before.
    @Test func onASynchronisedClockMissedEntriesAreWrittenAtOnce() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("06:40"))
        let runner = f.runner("fm", clock: clock, player: Stalling())
        let entries = f.entries("fm"), date = f.date
        let task = Task { await runner.run(entries, on: date) }
        while (try f.log.records().first { $0.outcome == .playing }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try f.log.records().filter { $0.outcome == .missed }.count == f.entries("fm").filter { $0.session == "s1" }.count)
        task.cancel()
        _ = await task.value
    }

    /// A device resting after failures past its session's end: the entries it takes out are
    /// missed because of the device, not skipped for want of time.
    @Test func entriesLostToADevicesBackoffAreMissedDeviceUnavailable() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("05:29"))
        let settings = RunnerSettings(grace: .seconds(3600), firstBackoff: .seconds(600), maximumBackoff: .seconds(3600))
        await f.runner("fm", clock: clock, player: FaultyPlayer(clock: clock, deviceRefuses: true), settings: settings)
            .run(f.entries("fm"), on: f.date)
        let rows = try f.log.records()
        #expect(rows.allSatisfy { $0.reasonCode == .deviceUnavailable }, "\(rows.map { "\($0.entryID) \($0.outcome) \($0.reasonCode?.rawValue ?? "")" })")
        #expect(rows.contains { $0.outcome == .missed }, "the backoff outlasted a session: \(rows.map { "\($0.entryID) \($0.outcome) \($0.scheduledStart) \($0.reason ?? "")" })")
    }

    /// A device unplugged before the first session and plugged back during the second: the first
    /// session's items fail, and once it answers again the channel plays on.
    @Test func aDeviceThatComesBackIsUsedAgain() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("05:29"))
        let player = FaultyPlayer(clock: clock, deviceDownUntil: f.at("06:31"))
        await f.runner("fm", clock: clock, player: player).run(f.entries("fm"), on: f.date)
        let finals = try f.finalRows()
        for entry in f.entries("fm") {
            let row = try #require(finals[entry.id]?.first)
            switch entry.session {
            case "s1": #expect(row.outcome != .completed && row.reasonCode == .deviceUnavailable, "\(entry.id)")
            case "s3", "s4": #expect(row.outcome == .completed, "\(entry.id): \(row.outcome)")
            default: break
            }
        }
        #expect(finals.values.allSatisfy { $0.count == 1 })
    }

    @Test func anItemWhoseDeviceFailsMidwayLogsTheSecondsItWasOnAir() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("05:29"))
        await f.runner("fm", clock: clock, player: FaultyPlayer(clock: clock, deviceGoesAwayDuring: ["m2"])).run(f.entries("fm"), on: f.date)
        let cut = try f.log.records().filter { $0.message == "m2" && $0.outcome == .interrupted }
        #expect(!cut.isEmpty && cut.allSatisfy { $0.playedSeconds == 15 }, "\(cut.map(\.playedSeconds))")
    }

    @Test func silenceWhereTheAudioHasSoundIsNeverCompleted() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("05:29"))
        await f.runner("fm", clock: clock, player: FaultyPlayer(clock: clock, silentOutput: true)).run(Array(f.entries("fm").prefix(2)), on: f.date)
        let rows = try f.log.records()
        #expect(rows.count == 2 && rows.allSatisfy { $0.outcome == .failed && $0.reasonCode == .silentOutput })
    }

    /// A new plan while an item is on air: kept if its entry is still planned, cut if withdrawn.
    @Test func aNewPlanLetsThePlannedItemPlayOnAndCutsAWithdrawnOne() async throws {
        let f = try RunnerFixture()
        let entries = Array(f.entries("fm").prefix(3))
        for withdraw in [false, true] {
            let clock = VirtualClock(start: f.at("05:29:59"))
            let updates = PlanUpdates()
            let runner = ChannelRunner(
                station: f.station, channel: f.station.channels[0], log: f.log, clock: clock, player: Slow(clock: clock),
                updates: updates)
            let date = f.date
            let task = Task { await runner.run(entries, on: date) }
            while try f.log.records().contains(where: { $0.outcome == .playing }) == false { try await Task.sleep(for: .milliseconds(1)) }
            let onAir = try #require(try f.log.records().first { $0.outcome == .playing })
            updates.publish(planned: withdraw ? [] : Set(entries.map(\.id)))
            #expect(await task.value == .replanned)
            let row = try #require(try f.log.records().first { $0.id == onAir.id })
            if withdraw {
                #expect(row.outcome == .interrupted && row.reasonCode == .withdrawn)
            } else {
                #expect(row.outcome == .completed, "a plan that still holds it lets it play on")
            }
        }
    }

    @Test func malformedSpoolRequestsAreMovedAsideWithTheirReason() throws {
        let f = try RunnerFixture()
        let spool = AnnouncementSpool(logPath: f.folder.file("kha-son.sqlite").path)
        let good = AnnouncementRequest(
            id: "r1", audio: "/a.wav", channels: ["fm"], level: .emergency, repeatCount: 2, everySeconds: 3600,
            requested: Date(timeIntervalSince1970: 1_700_000_000), duration: 4)
        var huge = good
        huge.id = "r2"
        huge.repeatCount = 2_147_483_647
        #expect(throws: AnnouncementRefused.self) { try spool.submit(huge) }
        var noChannels = good
        noChannels.channels = [""]
        #expect(throws: AnnouncementRefused.self) { try spool.submit(noChannels) }
        try spool.submit(good)
        // Written by hand or by an older tool: past the checks of `submit`.
        let folder = spool.folder
        try Data(#"{"id":"r2","audio":"/a.wav","level":"priority","repeatCount":2147483647,"everySeconds":3600,"requested":"2024-11-25T00:00:00Z","duration":4}"#.utf8)
            .write(to: folder.appendingPathComponent("r2.json"))
        try Data("{\"id\": ".utf8).write(to: folder.appendingPathComponent("r3.json"))
        try Data(repeating: 0x20, count: 100_000).write(to: folder.appendingPathComponent("r4.json"))
        let flood = (0..<200).map { "z\($0).json" }
        for name in flood { try Data("[]".utf8).write(to: folder.appendingPathComponent(name)) }
        #expect(spool.take() == [good])
        let rejected = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("rejected").path)
        #expect(rejected.filter { $0.hasSuffix(".json") }.count == 3 + flood.count)
        let reason = try String(contentsOf: folder.appendingPathComponent("rejected/r2.json.reason"), encoding: .utf8)
        #expect(reason.contains("repeatCount 2147483647 is outside 1-48"))
        #expect(spool.take().isEmpty)
    }
}
