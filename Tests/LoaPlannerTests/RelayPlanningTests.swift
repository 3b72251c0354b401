import LoaModel
import LoaPlanner
import Testing

/// Relay blocks are fixed items: planned on every day their session runs, and the session's own
/// items (opening, messages, closing) fit in the time left.
@Suite struct RelayPlanningTests {
    static func station(campaigns: [Campaign]) -> Station {
        var sang = Fixture.session("sang", "05:30", "06:00", channels: ["fm", "loa-1"], opening: "mo.wav", closing: "dong.wav")
        sang.relays = [RelayBlock(source: "vov1", from: Fixture.time("05:45"), location: Fixture.here)]
        var chieu = Fixture.session("chieu", "17:00", "17:30", channels: ["fm"])
        chieu.relays = [RelayBlock(source: "tinh", to: Fixture.time("17:10"), location: Fixture.here)]
        var toi = Fixture.session("toi", "19:00", "19:30", channels: ["loa-1"])
        toi.relays = [RelayBlock(source: "vov1", location: Fixture.here)]
        var station = Fixture.station(channels: ["fm", "loa-1"], sessions: [sang, chieu, toi], campaigns: campaigns, gap: 2)
        station.relaySources = [
            RelaySource(id: "vov1", name: "VOV1", input: .url("https://vov.vn/live.m3u8"), origin: Fixture.here),
            RelaySource(id: "tinh", name: "Đài tỉnh", input: .lineIn("hw:1"), origin: Fixture.here),
        ]
        return station
    }

    static let durations: AudioDurations = ["mo.wav": 5, "dong.wav": 5, "a.wav": 100, "b.wav": 200]

    @Test func relayBlocksArePlannedAndMessagesFitAroundThem() {
        let campaign = Fixture.campaign(
            "c", "2024-11-25", "2024-11-26", quota: .perSession(3), messages: [("a.wav", 1), ("b.wav", 1)],
            channels: ["fm", "loa-1"], sessions: ["sang", "chieu", "toi"])
        let plan = Planner(station: Self.station(campaigns: [campaign]), durations: Self.durations)
            .plan(from: Fixture.date("2024-11-25"), through: Fixture.date("2024-11-26"))
        let relays = plan.entries.filter { $0.role == .relay }
        // Two days: sang on fm and loa-1, chieu on fm, toi (all relay) on loa-1.
        #expect(relays.count == 8)
        let fmDay = plan.entries.filter { $0.channel == "fm" && $0.date == Fixture.date("2024-11-25") }
        #expect(fmDay.map(\.start) == fmDay.map(\.start).sorted(), "in time order")
        let vov = relays.first { $0.session == "sang" && $0.channel == "fm" }
        #expect(vov?.start == 5 * 3600 + 45 * 60 && vov?.slot == 900 && vov?.message == "vov1" && vov?.audio == "https://vov.vn/live.m3u8")
        #expect(vov?.id == "2024-11-25/fm/sang/relay/05:45:00")
        // Nothing of the session's own runs into its relays: sang's items end by 05:45, chieu's start at 17:10.
        for entry in plan.entries where entry.role != .relay {
            switch entry.session {
            case "sang": #expect(entry.end <= 5 * 3600 + 45 * 60, "\(entry.id)")
            case "chieu": #expect(entry.start >= 17 * 3600 + 600 && entry.end <= 17 * 3600 + 1800, "\(entry.id)")
            default: Issue.record("\(entry.id) in an all-relay session")
            }
        }
        // sang holds 900 s of its own: opening, closing and 3 plays (100 + 200 + 100 with gaps) fit.
        // toi is all relay: it is no session of the campaign's, so loa-1 owes 3 plays (sang's), not 6.
        #expect(plan.messages(on: "2024-11-25", channel: "fm", session: "sang").count == 3)
        #expect(plan.messages(on: "2024-11-25", channel: "loa-1").count == 3)
        #expect(plan.messages(on: "2024-11-25", channel: "loa-1", session: "toi").isEmpty)
        #expect(plan.shortfalls.isEmpty, "\(plan.shortfalls)")
    }

    @Test func aSessionOfRelayAloneIsPlannedWithoutCampaigns() {
        let plan = Planner(station: Self.station(campaigns: []), durations: Self.durations)
            .plan(from: Fixture.date("2024-11-25"), through: Fixture.date("2024-11-25"))
        #expect(plan.entries.map(\.role) == [.relay, .relay, .relay, .relay], "no nhạc hiệu without messages")
        #expect(plan.entries.filter { $0.session == "toi" }.map(\.slot) == [1800])
    }
}
