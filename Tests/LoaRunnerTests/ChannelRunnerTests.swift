import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout
import LoaRelay
import LoaRunner
import Testing

/// The runner's rules over a whole day in milliseconds, on virtual clocks.
@Suite struct ChannelRunnerTests {
    @Test func aDayPlaysEveryEntryOnTimeOnce() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("00:00"))
        await f.runner("fm", clock: clock).run(f.entries("fm"), on: f.date)
        let rows = try f.log.records()
        #expect(rows.count == f.entries("fm").count)
        #expect(rows.allSatisfy { $0.outcome == .completed })
        // Started exactly at the planned second: the virtual clock has no jitter.
        #expect(rows.allSatisfy { $0.actualStart == $0.scheduledStart })
        #expect(try f.log.verify().isIntact)
    }

    @Test func aRestartNeverReplaysCompletedEntriesAndReplaysTheInterruptedOne() async throws {
        let f = try RunnerFixture()
        let entries = f.entries("fm")
        // Before the crash: the first two completed, the third was playing when power went.
        for (index, entry) in entries.prefix(3).enumerated() {
            let id = try f.log.started(BroadcastRecord(
                entryID: entry.id, date: f.date, station: "Thử", channel: "fm", channelKind: .fm, session: entry.session,
                campaign: entry.campaign, message: entry.message, role: entry.role.logged, audio: entry.audio,
                audioSHA256: nil, scheduledStart: LogTime.string(f.at("05:30")), timeZone: f.station.timeZone, device: "x"))
            if index < 2 { try f.log.finished(id: id, outcome: .completed, actualEnd: Date(), playedSeconds: 1) }
        }
        #expect(try f.log.recoverInterrupted() == 1)
        // Back up 10 seconds after the third item's start, inside the session.
        let clock = VirtualClock(start: f.at("05:30").addingTimeInterval(Double(entries[2].start - 19_800) + 10))
        await f.runner("fm", clock: clock).run(entries, on: f.date)
        let finals = try f.finalRows()
        #expect(finals.values.allSatisfy { $0.count == 1 }, "an entry settled twice")
        #expect(finals[entries[0].id]?.first?.playedSeconds == 1, "completed before the crash, not replayed")
        #expect(finals[entries[2].id]?.first?.outcome == .completed, "the interrupted item plays again from its start")
        #expect(entries.allSatisfy { finals[$0.id]?.first?.outcome == .completed })
    }

    @Test func lateStartWithinGracePlaysWhatFitsAndBeyondGraceIsMissed() async throws {
        let f = try RunnerFixture()
        // Started at 06:40: s1 (05:30) is beyond the 10-minute grace; s2 (06:30) is within it.
        let clock = VirtualClock(start: f.at("06:40"))
        await f.runner("fm", clock: clock).run(f.entries("fm"), on: f.date)
        let finals = try f.finalRows()
        let s1 = f.entries("fm").filter { $0.session == "s1" }
        let s2 = f.entries("fm").filter { $0.session == "s2" }
        #expect(s1.allSatisfy { finals[$0.id]?.first?.outcome == .missed && finals[$0.id]?.first?.reasonCode == .daemonNotRunning })
        #expect(s2.allSatisfy { finals[$0.id]?.first?.outcome == .completed })
        // Played back to back from 06:40, not at the planned 06:30 times.
        let firstS2 = try #require(finals[s2[0].id]?.first?.actualStart)
        #expect(firstS2 == LogTime.string(f.at("06:40")))
        #expect(finals.values.allSatisfy { $0.count == 1 })
    }

    @Test func itemsThatCannotEndBeforeTheSessionEndsAreSkipped() async throws {
        let f = try RunnerFixture()
        // With an hour's grace, starting at 06:59:40 is in time for s2's items, but only 20 s are
        // left before s2 ends: nothing of 20 s or more fits (each item also waits for the last).
        let clock = VirtualClock(start: f.at("06:59").addingTimeInterval(40))
        await f.runner("fm", clock: clock, settings: RunnerSettings(grace: .seconds(3600))).run(f.entries("fm"), on: f.date)
        let s2 = f.entries("fm").filter { $0.session == "s2" }
        let finals = try f.finalRows()
        #expect(s2.contains { finals[$0.id]?.first?.reasonCode == .noTimeLeft })
        #expect(s2.allSatisfy { ["completed", "skipped"].contains(finals[$0.id]?.first?.outcome.rawValue) })
        #expect(s2.filter { finals[$0.id]?.first?.outcome == .completed }.allSatisfy { $0.duration <= 20 })
    }

    @Test func clockJumpsForwardMissAndBackwardNeverReplay() async throws {
        let f = try RunnerFixture()
        // From midnight: at 06:00 monotonic the wall clock leaps 2 h ahead (NTP fixing a dead RTC),
        // then at 08:20 (monotonic 06:20) it steps back 1 h.
        let clock = VirtualClock(start: f.at("00:00"), jumps: [(at: .seconds(6 * 3600), by: 7200), (at: .seconds(6 * 3600 + 1200), by: -3600)])
        await f.runner("fm", clock: clock).run(f.entries("fm"), on: f.date)
        let finals = try f.finalRows()
        #expect(finals.values.allSatisfy { $0.count == 1 }, "nothing is played or settled twice")
        for entry in f.entries("fm") {
            let row = try #require(finals[entry.id]?.first)
            switch entry.session {
            case "s1", "s4": #expect(row.outcome == .completed, "\(entry.id)")
            case "s2": #expect(row.outcome == .missed && row.reasonCode == .clockJump, "\(entry.id): \(row.outcome)")
            default: #expect(row.outcome == .completed || row.outcome == .missed, "\(entry.id)")
            }
        }
        // A second runner on the same log after the backward jump replays nothing.
        let again = VirtualClock(start: f.at("05:29"))
        let before = try f.log.records().count
        await f.runner("fm", clock: again).run(f.entries("fm"), on: f.date)
        #expect(try f.log.records().count == before)
    }

    @Test func badFilesAndDevicesFailTheirItemsAndTheOtherChannelPlaysOn() async throws {
        let f = try RunnerFixture()
        let fmClock = VirtualClock(start: f.at("00:00")), loaClock = VirtualClock(start: f.at("00:00"))
        let broken = FaultyPlayer(clock: fmClock, unreadable: ["m1"], deviceGoesAwayDuring: ["m2"])
        let fmRunner = f.runner("fm", clock: fmClock, player: broken), loaRunner = f.runner("loa-1", clock: loaClock)
        let fmEntries = f.entries("fm"), loaEntries = f.entries("loa-1"), date = f.date
        async let fm = fmRunner.run(fmEntries, on: date)
        async let loa = loaRunner.run(loaEntries, on: date)
        _ = await (fm, loa)
        let rows = try f.log.records()
        let fmRows = rows.filter { $0.channel == "fm" }
        #expect(fmRows.filter { $0.message == "m1" }.allSatisfy { $0.outcome == .failed && $0.reasonCode == .audioUnreadable })
        let vanished = fmRows.filter { $0.message == "m2" && $0.outcome == .interrupted }
        #expect(!vanished.isEmpty && vanished.allSatisfy { $0.reasonCode == .deviceUnavailable })
        #expect(vanished.first?.reason == "ALSA device 'device-fm': write: No such device")
        #expect(fmRows.contains { $0.role == .opening && $0.outcome == .completed }, "the session goes on after a bad file")
        #expect(rows.filter { $0.channel == "loa-1" }.allSatisfy { $0.outcome == .completed })
        #expect(rows.filter { $0.channel == "loa-1" }.count == f.entries("loa-1").count)
    }

    @Test func aDeviceThatWillNotOpenFailsItemsThenMissesThemWhileDown() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("00:00"))
        await f.runner("fm", clock: clock, player: FaultyPlayer(clock: clock, deviceRefuses: true)).run(f.entries("fm"), on: f.date)
        let finals = try f.finalRows()
        #expect(finals.values.allSatisfy { $0.count == 1 })
        #expect(finals.values.allSatisfy { $0[0].outcome == .failed && $0[0].reasonCode == .deviceUnavailable })
        #expect(finals.values.first?.first?.reason?.contains("ALSA device 'device-fm': open") == true)
    }

    @Test func cancellingMidItemLogsItInterrupted() async throws {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("05:29"))
        let runner = f.runner("fm", clock: clock, player: Stalling())
        let entries = f.entries("fm"), date = f.date
        let task = Task { _ = await runner.run(entries, on: date) }
        while (try f.log.records().first { $0.outcome == .playing }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        await task.value
        let rows = try f.log.records()
        #expect(rows.count == 1)
        #expect(rows.first?.outcome == .interrupted && rows.first?.reasonCode == .shutdown)
    }

    @Test func simulatingTheWholeWindowCompletesEveryPlannedEntry() async throws {
        let f = try RunnerFixture()
        let planned = await Simulation.run(station: f.station, durations: f.durations, from: f.date, through: f.date, log: f.log)
        let rows = try f.log.records()
        #expect(planned == f.plan.entries.count)
        #expect(rows.filter { $0.outcome == .completed }.count == planned)
        #expect(Set(rows.map(\.entryID)) == Set(f.plan.entries.map(\.id)))
        #expect(try f.log.verify().isIntact)
    }
}

/// Plays until told to stop, then reports being cut off, as a real playback fades out.
struct Stalling: ItemPlayer {
    func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(LoaPlayout.PlayoutError) -> any PreparedItem {
        StallingItem()
    }

    func prepareLive(_ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double) throws(PlayoutError)
        -> any PreparedItem
    {
        StallingItem()
    }

    func prepareRelay(_ source: RelaySource, device: String, gainDB: Double, until end: Date)
        throws(LoaPlayout.PlayoutError) -> any PreparedItem
    {
        StallingItem()
    }
}

struct StallingItem: PreparedItem {
    func play(control: LoaPlayout.PlaybackControl) async throws(LoaPlayout.PlayoutError) -> PlayedItem {
        while !control.isStopRequested { try? await Task.sleep(for: .milliseconds(2)) }
        return PlayedItem(seconds: 0.5, completed: false)
    }
}
