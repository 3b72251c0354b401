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

    @Test func aCampaignsOneOffRelayIsPlannedOnItsDateAmongTheSessions() {
        // A national address on the 26th, 12:00-12:45, on both channels; a relay-only campaign
        // on the 25th at 20:00 on loa-1, with no messages and so no plays owed.
        var address = Fixture.campaign(
            "quoc-khanh", "2024-11-25", "2024-11-26", quota: .perDay(1), messages: [("a.wav", 1)],
            channels: ["fm", "loa-1"], sessions: ["sang"])
        address.relays = [
            CampaignRelay(source: "vov1", date: Fixture.date("2024-11-26"), from: Fixture.time("12:00"), to: Fixture.time("12:45"), location: Fixture.here)
        ]
        var evening = Fixture.campaign("dai-tinh", "2024-11-25", "2024-11-25", messages: [], channels: ["loa-1"], sessions: [])
        evening.relays = [
            CampaignRelay(source: "tinh", date: Fixture.date("2024-11-25"), from: Fixture.time("20:00"), to: Fixture.time("20:30"), location: Fixture.here)
        ]
        let plan = Planner(station: Self.station(campaigns: [address, evening]), durations: Self.durations)
            .plan(from: Fixture.date("2024-11-25"), through: Fixture.date("2024-11-26"))
        let oneOffs = plan.entries.filter { $0.role == .relay && ($0.session == "quoc-khanh" || $0.session == "dai-tinh") }
        #expect(oneOffs.map(\.id) == ["2024-11-25/loa-1/dai-tinh/relay/20:00:00", "2024-11-26/fm/quoc-khanh/relay/12:00:00", "2024-11-26/loa-1/quoc-khanh/relay/12:00:00"])
        #expect(oneOffs.allSatisfy { $0.campaign == nil }, "a relay is no play of its campaign")
        #expect(oneOffs.last?.slot == 2700 && oneOffs.last?.message == "vov1" && oneOffs.last?.audio == "https://vov.vn/live.m3u8")
        // In time order among the day's sessions on every channel.
        for date in ["2024-11-25", "2024-11-26"] {
            for channel in ["fm", "loa-1"] {
                let day = plan.entries.filter { $0.channel == channel && $0.date == Fixture.date(date) }
                #expect(day.map(\.start) == day.map(\.start).sorted(), "\(date) \(channel)")
            }
        }
        // The campaign with messages still gets its plays; the relay-only one asks none.
        #expect(plan.messages(on: "2024-11-26", channel: "fm").count == 1)
        #expect(plan.shortfalls.isEmpty, "\(plan.shortfalls)")
    }
}
