import Foundation
import LoaControl
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout
import LoaRelay
import LoaRunner
import Testing

@Suite struct AnnouncementTests {
    /// Starts the fm channel on the first three items of its day and returns once the second is on air.
    static func runUntilTheSecondItemIsOnAir() async throws
        -> (RunnerFixture, VirtualClock, AnnouncementInbox, [LoaPlanner.PlanEntry], Task<Void, Never>)
    {
        let f = try RunnerFixture()
        let clock = VirtualClock(start: f.at("05:29:59"))
        let inbox = AnnouncementInbox()
        let runner = ChannelRunner(
            station: f.station, channel: f.station.channels[0], log: f.log, clock: clock, player: Slow(clock: clock),
            inbox: inbox)
        let entries = Array(f.entries("fm").prefix(3)), date = f.date
        let task = Task { _ = await runner.run(entries, on: date) }
        while (try f.log.records().contains { $0.entryID == entries[1].id && $0.outcome == .playing }) == false {
            try await Task.sleep(for: .milliseconds(2))
        }
        return (f, clock, inbox, entries, task)
    }

    @Test func anEmergencyCutsInThenTheCutItemPlaysAgain() async throws {
        let (f, clock, inbox, entries, task) = try await Self.runUntilTheSecondItemIsOnAir()
        // Now an emergency arrives for this channel.
        let request = AnnouncementRequest(
            id: "bao", audio: "/nonexistent/bao-lu.wav", channels: ["fm"], level: .emergency, repeatCount: 2,
            everySeconds: 600, requested: clock.now(), duration: 12)
        inbox.add(request.plays(on: "fm"))
        await task.value

        let rows = try f.log.records()
        let cut = rows.filter { $0.entryID == entries[1].id }
        #expect(cut.map(\.outcome) == [.interrupted, .completed], "\(cut.map(\.outcome))")
        #expect(cut.first?.reasonCode == .preempted)
        let announcement = try #require(rows.first { $0.entryID == "announcement/bao/fm/1" })
        #expect(announcement.outcome == .completed && announcement.role == .announcementEmergency)
        #expect(announcement.id! > cut[0].id! && announcement.id! < cut[1].id!, "played between the cut and the replay")
        #expect(rows.filter { $0.entryID.hasPrefix("announcement/bao/fm/") }.count == 1, "the repeat is due in 10 minutes")
        #expect(entries.allSatisfy { entry in rows.contains { $0.entryID == entry.id && $0.outcome == .completed } })
        #expect(try f.log.verify().isIntact)
    }

    @Test func aPriorityAnnouncementWaitsForTheItemBoundary() async throws {
        let (f, clock, inbox, entries, task) = try await Self.runUntilTheSecondItemIsOnAir()
        inbox.add(AnnouncementRequest(
            id: "uu-tien", audio: "/nonexistent/hop.wav", channels: nil, level: .priority, repeatCount: 1,
            everySeconds: 0, requested: clock.now(), duration: 5).plays(on: "fm"))
        await task.value
        let rows = try f.log.records()
        #expect(rows.filter { $0.entryID == entries[1].id }.map(\.outcome) == [.completed], "not cut")
        let order = rows.map(\.entryID)
        #expect(order.firstIndex(of: "announcement/uu-tien/fm/1")! == order.firstIndex(of: entries[1].id)! + 1)
    }

    @Test func spoolHandsRequestsOverOnceAndRepeatsAreSpaced() throws {
        let f = try RunnerFixture()
        let spool = AnnouncementSpool(logPath: f.folder.file("kha-son.sqlite").path)
        #expect(spool.folder.lastPathComponent == "kha-son.spool")
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let request = AnnouncementRequest(
            id: "r1", audio: "/a.wav", channels: ["loa-1"], level: .priority, repeatCount: 3, everySeconds: 900,
            requested: now, duration: 4)
        try spool.submit(request)
        #expect(spool.take() == [request])
        #expect(spool.take().isEmpty, "taken requests are not handed over again")
        #expect(request.plays(on: "fm").isEmpty)
        #expect(request.plays(on: "loa-1").map(\.due) == [now, now.addingTimeInterval(900), now.addingTimeInterval(1800)])
    }
}

/// Items take a little real time (so a test can act while one is on air), honour a stop request,
/// and let their duration pass on the virtual clock.
struct Slow: ItemPlayer {
    let clock: VirtualClock
    func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(PlayoutError) -> any PreparedItem {
        SlowItem(clock: clock, duration: duration)
    }

    func prepareLive(_ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double) throws(PlayoutError)
        -> any PreparedItem
    {
        try SimulatedItemPlayer(clock: clock).prepareLive(broadcast, channel: channel, device: device, gainDB: gainDB)
    }

    func prepareRelay(_ source: RelaySource, device: String, gainDB: Double, until end: Date)
        throws(PlayoutError) -> any PreparedItem
    {
        SlowItem(clock: clock, duration: max(0, end.timeIntervalSince(clock.now())))
    }
}

struct SlowItem: PreparedItem {
    let clock: VirtualClock
    let duration: Double
    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        for step in 1...20 {
            try? await Task.sleep(for: .milliseconds(5))
            if control.isStopRequested {
                clock.advance(by: .seconds(duration * Double(step) / 20))
                return PlayedItem(seconds: duration * Double(step) / 20, completed: false)
            }
        }
        clock.advance(by: .seconds(duration))
        return PlayedItem(seconds: duration, completed: true)
    }
}
