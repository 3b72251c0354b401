import LoaModel
import LoaPlanner
import PropertyBased
import Testing

/// Issue 18: a session's order keeps spacing whenever some order does, whatever order the plays
/// were handed out in; and messages keep to their weighted shares within one play.
@Suite struct SpacingAndWeightTests {
    typealias F = Fixture

    /// A storm warning fills the morning for two days, so a two-message campaign falls behind and
    /// is handed out first afterwards; its session partner has one message played twice.
    @Test func aCampaignThatFellBehindDoesNotPushRepeatsTogether() {
        let session = F.session("sang", "05:00", "05:10", channels: ["a"])
        let station = F.station(
            channels: ["a"], sessions: [session],
            campaigns: [
                F.campaign("bao", "2024-11-25", "2024-11-26", quota: .perSession(10), priority: .emergency,
                    messages: [("z", 1)], channels: ["a"], sessions: ["sang"], spacing: 0),
                F.campaign("an-toan", "2024-11-25", "2024-11-29", quota: .perSession(2), messages: [("y1", 1), ("y2", 1)],
                    channels: ["a"], sessions: ["sang"]),
                F.campaign("lich-tiem", "2024-11-27", "2024-11-29", quota: .perSession(2), messages: [("x1", 1)],
                    channels: ["a"], sessions: ["sang"]),
            ])
        let plan = Planner(station: station, durations: ["z": 59, "y1": 20, "y2": 20, "x1": 20]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-29"))
        for day in 27...29 {
            let order = plan.messages(on: "2024-11-\(day)").map(\.message)
            #expect(order.filter { $0 == "x1" }.count == 2 && order.count == 4, "\(order)")
            for (a, b) in zip(order, order.dropFirst()) { #expect(a != b, "back to back on \(day)/11: \(order)") }
        }
    }

    @Test func weightsThreeOneOneOneStayWithinOnePlayOfTheirShares() {
        let station = F.station(
            channels: ["a"], sessions: [F.session("s", "05:00", "05:30", channels: ["a"])],
            campaigns: [F.campaign("c", "2024-11-01", "2024-11-21", quota: .perDay(1),
                messages: [("m1", 3), ("m2", 1), ("m3", 1), ("m4", 1)], channels: ["a"], sessions: ["s"])])
        let plan = Planner(station: station, durations: ["m1": 20, "m2": 20, "m3": 20, "m4": 20]).plan(
            from: F.date("2024-11-01"), through: F.date("2024-11-21"))
        let order = plan.messages.map(\.message)
        #expect(order.count == 21)
        let weights = ["m1": 3.0, "m2": 1, "m3": 1, "m4": 1]
        for t in 1...order.count {
            for (message, weight) in weights {
                let share = Double(t) * weight / 6
                let plays = Double(order.prefix(t).filter { $0 == message }.count)
                #expect(abs(plays - share) < 1, "\(message) after \(t): \(plays) plays for a share of \(share)")
            }
        }
    }

    /// Generated stations whose messages fit every session: for every session, if any order of
    /// its items (priorities not rising) keeps every message its campaign's spacing away from its
    /// own other plays, the plan's order does.
    @Test func anOrderThatKeepsSpacingIsFoundWheneverOneExists() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            let (station, durations) = Self.station(seed: UInt64(seed))
            let plan = Planner(station: station, durations: durations).plan(from: Self.start, through: Self.start.adding(days: 6))
            let campaigns = Dictionary(uniqueKeysWithValues: station.campaigns.map { ($0.id, $0) })
            for group in Dictionary(grouping: plan.messages, by: { "\($0.date)/\($0.channel)/\($0.session)" }).values {
                let items = group.sorted { $0.start < $1.start }.map {
                    Item(campaign: $0.campaign!, message: $0.message, rank: campaigns[$0.campaign!]!.priority.rank,
                        spacing: campaigns[$0.campaign!]!.spacing)
                }
                if !Self.keepsSpacing(items) {
                    #expect(!Self.someOrderKeepsSpacing(items), "seed \(seed): \(items.map { "\($0.campaign)/\($0.message)" }) has a spaced order")
                }
            }
        }
    }

    /// At the end of every day, each message of a campaign has played within one play of its
    /// weighted share of the campaign's plays on that channel so far.
    @Test func everyMessageStaysWithinOnePlayOfItsShare() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            let (station, durations) = Self.station(seed: UInt64(seed))
            let plan = Planner(station: station, durations: durations).plan(from: Self.start, through: Self.start.adding(days: 6))
            for campaign in station.campaigns {
                let weights = Dictionary(uniqueKeysWithValues: campaign.messages.map { ($0.id, Double($0.weight)) })
                let total = weights.values.reduce(0, +)
                for channel in station.channels.map(\.id) {
                    let plays = plan.messages.filter { $0.campaign == campaign.id && $0.channel == channel }
                    for day in 0...6 {
                        let sofar = plays.filter { $0.date <= Self.start.adding(days: day) }
                        for (message, weight) in weights {
                            let share = Double(sofar.count) * weight / total
                            let count = Double(sofar.filter { $0.message == message }.count)
                            #expect(abs(count - share) < 1, "seed \(seed): \(campaign.id)/\(message) on \(channel) day \(day): \(count) for \(share)")
                        }
                    }
                }
            }
        }
    }

    struct Item {
        var campaign: String
        var message: String
        var rank: Int
        var spacing: Int
    }

    static func keepsSpacing(_ items: [Item]) -> Bool {
        for (index, item) in items.enumerated() {
            let recent = items[max(0, index - item.spacing)..<index]
            if recent.contains(where: { $0.campaign == item.campaign && $0.message == item.message }) { return false }
        }
        return zip(items, items.dropFirst()).allSatisfy { $0.rank >= $1.rank }
    }

    /// Every distinct arrangement, pruned as it goes, with the states already found to lead
    /// nowhere remembered (plays left of each message, and how long ago each last played, capped
    /// at its spacing): the oracle the planner's order is held to, in time polynomial in the
    /// session's length rather than factorial when no spaced order exists.
    static func someOrderKeepsSpacing(_ items: [Item]) -> Bool {
        var groups: [Item] = []
        var left: [Int] = []
        for item in items {
            if let g = groups.firstIndex(where: { $0.campaign == item.campaign && $0.message == item.message }) {
                left[g] += 1
            } else {
                groups.append(item)
                left.append(1)
            }
        }
        // Items since each group's last play, capped at spacing + 1 (then it may play again).
        var since = groups.map { $0.spacing + 1 }
        var lastRank = Int.max
        var deadEnds = Set<[Int]>()
        func extend() -> Bool {
            guard left.contains(where: { $0 > 0 }) else { return true }
            let state = left + since + [lastRank]
            if deadEnds.contains(state) { return false }
            let top = groups.indices.filter { left[$0] > 0 }.map { groups[$0].rank }.max()!
            for g in groups.indices where left[g] > 0 && groups[g].rank == top && top <= lastRank && since[g] > groups[g].spacing {
                let saved = (since, lastRank)
                left[g] -= 1
                since = since.indices.map { $0 == g ? 1 : min(since[$0] + 1, groups[$0].spacing + 1) }
                lastRank = top
                if extend() { return true }
                left[g] += 1
                (since, lastRank) = saved
            }
            deadEnds.insert(state)
            return false
        }
        return extend()
    }

    static let start = CivilDate(year: 2024, month: 11, day: 25)!

    /// 1-2 channels, 1-3 sessions of half an hour, 1-4 campaigns of 1-4 messages of one length
    /// each (so every message fits every session), weights 1-5, spacing 0-3, quotas and
    /// priorities at random.
    static func station(seed: UInt64) -> (Station, AudioDurations) {
        var random = SplitMix64(seed: seed)
        let channels = (0..<(1 + random.int(0...1))).map { "k\($0)" }
        let sessions = (0..<(1 + random.int(0...2))).map { n in
            F.session("s\(n)", "0\(5 + 2 * n):00", "0\(5 + 2 * n):30", channels: channels)
        }
        var durations: AudioDurations = [:]
        let campaigns = (0..<(1 + random.int(0...3))).map { n -> Campaign in
            let length = Double(10 + random.int(0...39))
            let messages = (0..<(1 + random.int(0...3))).map { m -> (String, Int) in
                durations["c\(n)m\(m)"] = length
                return ("c\(n)m\(m)", 1 + random.int(0...4))
            }
            let quota: Quota = random.int(0...1) == 0 ? .perDay(1 + random.int(0...5)) : .perSession(1 + random.int(0...2))
            let priority = [Priority.normal, .normal, .priority, .emergency][random.int(0...3)]
            return F.campaign(
                "c\(n)", "2024-11-25", "2024-12-01", quota: quota, priority: priority, messages: messages,
                channels: channels, sessions: sessions.map(\.id), spacing: random.int(0...3))
        }
        return (F.station(channels: channels, sessions: sessions, campaigns: campaigns, gap: random.int(0...2)), durations)
    }
}
