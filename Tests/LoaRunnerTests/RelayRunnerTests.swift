import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout
import LoaRelay
import LoaRunner
import LoaTestSupport
import Testing

/// Relay blocks through the channel runner on a virtual clock, their sources' outages injected:
/// the block's row and one row per outage, what a block that relayed nothing says, a block
/// joined late after a restart, and messages kept clear of the relay.
@Suite struct RelayRunnerTests {
    typealias B = StationBuilder
    let folder = TemporaryFolder()
    let date = CivilDate(year: 2024, month: 11, day: 25)!
    let station: Station
    let log: BroadcastLog

    init() throws {
        var sang = B.session("sang", "05:30", "06:00", channels: ["fm"])
        sang.relays = [RelayBlock(source: "vov1", from: B.time("05:40"), location: B.here)]
        var chieu = B.session("chieu", "17:00", "17:30", channels: ["fm"])
        chieu.relays = [RelayBlock(source: "tinh", location: B.here)]
        let campaign = B.campaign("c", "2024-11-25", "2024-11-25", quota: .perSession(2), messages: [("m1", 1)], channels: ["fm"], sessions: ["sang"])
        var station = B.station(channels: ["fm"], sessions: [sang, chieu], campaigns: [campaign], gap: 1)
        station.relaySources = [
            RelaySource(id: "vov1", name: "VOV1", input: .url("https://vov.vn/live.m3u8"), fallback: [B.audio("cho.wav")], origin: B.here),
            RelaySource(id: "tinh", name: "Đài tỉnh", input: .lineIn("hw:1"), origin: B.here),
        ]
        self.station = station
        log = try BroadcastLog(path: folder.file("log.sqlite").path)
    }

    var entries: [PlanEntry] { Planner(station: station, durations: ["m1": 60, "cho.wav": 5]).plan(from: date, through: date).entries }
    func at(_ clock: String) -> Date { StationTime(zone: station.timeZone).instant(date, TimeOfDay(parsing: clock)!.seconds) }

    func run(from start: String, player: (VirtualClock) -> any ItemPlayer) async throws -> [BroadcastRecord] {
        let clock = VirtualClock(start: at(start))
        let runner = ChannelRunner(station: station, channel: station.channels[0], log: log, clock: clock, player: player(clock))
        #expect(await runner.run(entries, on: date, servingUntil: at("23:59")) == .dayDone)
        return try log.records()
    }

    @Test func eachOutageIsARowAndTheBlockCountsItsSourceAlone() async throws {
        let outages = [
            RelayPlay.Outage(offset: 60, seconds: 30, reason: .sourceStalled, detail: "no audio from the source for 5 s"),
            RelayPlay.Outage(offset: 300, seconds: 120, reason: .sourceSilent, detail: "the source was below -28 dBFS for 10 s"),
        ]
        let rows = try await run(from: "05:00") { OutagePlayer(clock: $0, outages: ["vov1": outages, "tinh": [
            RelayPlay.Outage(offset: 0, seconds: 1800, reason: .sourceUnavailable, detail: "cannot open capture device 'hw:1'")
        ]]) }
        let messages = rows.filter { $0.role == .message }
        #expect(messages.count == 2 && messages.allSatisfy { $0.outcome == .completed })
        #expect(messages.allSatisfy { LogTime.date($0.actualEnd!)! <= at("05:40") }, "the session's own items end before its relay")
        let vov = try #require(rows.first { $0.role == .relay && $0.message == "vov1" })
        #expect(vov.outcome == .completed && vov.playedSeconds == 1200 - 150 && vov.audio == "https://vov.vn/live.m3u8")
        #expect(vov.actualStart == LogTime.string(at("05:40")) && vov.actualEnd == LogTime.string(at("06:00")))
        #expect(vov.reason == "relayed 1050 s; fallback 150 s in 2 outage(s)", "\(vov.reason ?? "")")
        let fallbacks = rows.filter { $0.role == .relayFallback && $0.entryID.hasPrefix(vov.entryID) }
        #expect(fallbacks.map(\.reasonCode) == [.sourceStalled, .sourceSilent])
        #expect(fallbacks.map(\.playedSeconds) == [30, 120] && fallbacks.allSatisfy { $0.message == "cho" && $0.outcome == .completed })
        #expect(fallbacks.first?.actualStart == LogTime.string(at("05:41")) && fallbacks.first?.actualEnd == LogTime.string(at("05:41:30")))
        #expect(fallbacks.first?.entryID == vov.entryID + "/fallback/05:41:00")
        // A block that relayed nothing failed, for its first outage's reason; its fallback was silence.
        let tinh = try #require(rows.first { $0.role == .relay && $0.message == "tinh" })
        #expect(tinh.outcome == .failed && tinh.reasonCode == .sourceUnavailable && tinh.playedSeconds == 0)
        let silence = try #require(rows.first { $0.role == .relayFallback && $0.entryID.hasPrefix(tinh.entryID) })
        #expect(silence.message == "silence" && silence.audio == "" && silence.playedSeconds == 1800)
        #expect(try log.verify().isIntact)
    }

    @Test func aDaemonStartedMidRelayJoinsForWhatIsLeft() async throws {
        let rows = try await run(from: "05:50") { OutagePlayer(clock: $0, outages: [:]) }
        let vov = try #require(rows.first { $0.role == .relay && $0.message == "vov1" })
        #expect(vov.outcome == .completed && vov.scheduledStart == LogTime.string(at("05:40")))
        #expect(vov.actualStart == LogTime.string(at("05:50")) && vov.playedSeconds == 600, "\(vov)")
        #expect(rows.filter { $0.role == .message }.allSatisfy { $0.outcome == .missed || $0.outcome == .skipped })
    }

    /// `loa run --simulate`'s player relays from the block's second, though it is prepared ahead.
    @Test func aSimulatedRelayEndsOnItsBlocksSecond() async throws {
        let rows = try await run(from: "05:00") { SimulatedItemPlayer(clock: $0) }
        let vov = try #require(rows.first { $0.role == .relay && $0.message == "vov1" })
        #expect(vov.actualStart == LogTime.string(at("05:40")) && vov.actualEnd == LogTime.string(at("06:00")) && vov.playedSeconds == 1200)
    }

    @Test func aCampaignsOneOffRelayAirsOnItsHoursAndCountsAsNoPlay() async throws {
        var station = station
        station.campaigns[0].relays = [CampaignRelay(source: "vov1", date: date, from: B.time("12:00"), to: B.time("12:45"), location: B.here)]
        let entries = Planner(station: station, durations: ["m1": 60, "cho.wav": 5]).plan(from: date, through: date).entries
        let clock = VirtualClock(start: at("11:00"))
        let runner = ChannelRunner(
            station: station, channel: station.channels[0], log: log, clock: clock,
            player: OutagePlayer(clock: clock, outages: ["vov1": [RelayPlay.Outage(offset: 600, seconds: 60, reason: .sourceStalled, detail: "stalled")]]))
        #expect(await runner.run(entries, on: date, servingUntil: at("23:59")) == .dayDone)
        let rows = try log.records()
        let address = try #require(rows.first { $0.role == .relay && $0.session == "c" })
        #expect(address.entryID == "2024-11-25/fm/c/relay/12:00:00" && address.campaign == nil && address.outcome == .completed)
        #expect(address.actualStart == LogTime.string(at("12:00")) && address.actualEnd == LogTime.string(at("12:45")) && address.playedSeconds == 2640)
        #expect(rows.contains { $0.role == .relayFallback && $0.entryID.hasPrefix(address.entryID) && $0.playedSeconds == 60 })
        // The evening's session relay still airs after it; the campaign's tallies hold no relay.
        #expect(rows.contains { $0.role == .relay && $0.session == "chieu" && $0.outcome == .completed })
        let audit = try log.audit()
        #expect(audit.chain.isIntact && audit.counts.allSatisfy { $0.session != "c" }, "\(audit.counts)")
    }
}

/// Relays whose sources fail as told, per source id; files play as in a simulation.
struct OutagePlayer: ItemPlayer {
    let clock: VirtualClock
    let outages: [String: [RelayPlay.Outage]]

    func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(PlayoutError) -> any PreparedItem {
        try SimulatedItemPlayer(clock: clock).prepare(audio: audio, device: device, gainDB: gainDB, duration: duration, sourcePeak: sourcePeak)
    }

    func prepareLive(_ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double) throws(PlayoutError)
        -> any PreparedItem
    {
        try SimulatedItemPlayer(clock: clock).prepareLive(broadcast, channel: channel, device: device, gainDB: gainDB)
    }

    func prepareRelay(_ source: RelaySource, device: String, gainDB: Double, until end: Date) throws(PlayoutError)
        -> any PreparedItem
    {
        OutageItem(clock: clock, end: end, outages: outages[source.id] ?? [])
    }
}

struct OutageItem: PreparedItem {
    let clock: VirtualClock
    let end: Date
    let outages: [RelayPlay.Outage]

    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        let seconds = end.timeIntervalSince(clock.now())
        clock.advance(by: .seconds(seconds))
        let fallback = outages.reduce(0) { $0 + $1.seconds }
        return PlayedItem(seconds: seconds, completed: true, relay: RelayPlay(relayedSeconds: seconds - fallback, outages: outages))
    }
}
