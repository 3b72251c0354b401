import LoaModel
import LoaPlanner
import PropertyBased
import Testing

/// Rules 1, 2, 6 and 7 over generated stations: any seed gives a station of 1-4 channels, 1-4
/// sessions (some with nhạc hiệu, some on a few weekdays, some clipped by allowed hours) and
/// 1-6 campaigns with random windows, quotas, priorities and message lengths.
@Suite struct PlannerPropertyTests {
    typealias F = Fixture

    @Test func placementsRespectEveryConstraint() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...Int.max)) { seed in
            let (station, durations) = RandomStation.make(seed: UInt64(seed))
            let plan = Planner(station: station, durations: durations).plan(
                from: RandomStation.start, through: RandomStation.start.adding(days: 40))
            let sessions = Dictionary(uniqueKeysWithValues: station.sessions.map { ($0.id, $0) })
            let campaigns = Dictionary(uniqueKeysWithValues: station.campaigns.map { ($0.id, $0) })
            for entry in plan.entries {
                let session = sessions[entry.session]!
                // Rule 1
                #expect(session.runs(on: entry.date) && session.channels.contains(entry.channel))
                #expect(entry.start >= max(session.start.seconds, station.earliest.seconds))
                #expect(entry.end <= min(session.end.seconds, station.latest.seconds), "\(entry.id)")
                if let id = entry.campaign {
                    let campaign = campaigns[id]!
                    #expect(campaign.runs(on: entry.date), "\(entry.id) outside its window or days")
                    #expect(campaign.channels.contains(entry.channel) && campaign.sessions.contains(entry.session))
                }
            }
            // Rule 2: per channel and day, in time order, nothing overlaps, and within a session
            // the gap is kept (a session may start the second the one before it ends); per
            // session, the opening comes first and the closing last.
            for group in Dictionary(grouping: plan.entries, by: { "\($0.date)/\($0.channel)" }).values {
                let ordered = group.sorted { $0.start < $1.start }
                for (a, b) in zip(ordered, ordered.dropFirst()) {
                    let gap = a.session == b.session ? station.gapSeconds : 0
                    #expect(b.start >= a.end + gap, "\(a.id) overlaps \(b.id)")
                }
                for session in Dictionary(grouping: ordered, by: \.session).values {
                    #expect(session.filter { $0.role == .opening }.allSatisfy { $0.id == session.first!.id })
                    #expect(session.filter { $0.role == .closing }.allSatisfy { $0.id == session.last!.id })
                    #expect(session.contains { $0.role == .message }, "a session aired only nhạc hiệu")
                }
            }
        }
    }

    @Test func demandIsPlannedOrRecordedNeverDropped() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...Int.max)) { seed in
            let (station, durations) = RandomStation.make(seed: UInt64(seed))
            let first = RandomStation.start, last = first.adding(days: 40)
            let plan = Planner(station: station, durations: durations).plan(from: first, through: last)
            var planned: [String: Int] = [:]
            for entry in plan.messages { planned["\(entry.campaign!)|\(entry.channel)|\(entry.date)", default: 0] += 1 }
            var missing: [String: (Int, Int)] = [:]
            for shortfall in plan.shortfalls {
                let key = "\(shortfall.campaign)|\(shortfall.channel)|\(shortfall.date)"
                #expect(missing[key] == nil, "two shortfalls for \(key)")
                missing[key] = (shortfall.missing, shortfall.planned)
            }
            var expectedKeys = Set<String>()
            for campaign in station.campaigns {
                for date in DateWindow(first: first, last: last).days where campaign.runs(on: date) {
                    for channel in campaign.channels {
                        let key = "\(campaign.id)|\(channel)|\(date)"
                        expectedKeys.insert(key)
                        let allowed = station.sessions.filter {
                            campaign.sessions.contains($0.id) && $0.channels.contains(channel) && $0.runs(on: date)
                                && !$0.airtime(earliest: station.earliest, latest: station.latest).isEmpty
                        }.count
                        let required: Int
                        switch campaign.quota {
                        case .perDay(let n): required = n
                        case .perSession(let n): required = n * max(allowed, 1)
                        }
                        let got = planned[key, default: 0]
                        #expect(got <= required, "\(key): planned \(got) of \(required)")
                        #expect(got + (missing[key]?.0 ?? 0) == required, "\(key): \(got) planned, \(missing[key]?.0 ?? 0) recorded missing, \(required) required")
                        if let recorded = missing[key] { #expect(recorded.1 == got) }
                    }
                }
            }
            #expect(Set(planned.keys).isSubset(of: expectedKeys))
            #expect(Set(missing.keys).isSubset(of: expectedKeys))
        }
    }

    @Test func aDaysPlanIsIndependentOfTheRangeAndRepeatable() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int.max), Gen.int(in: 0...40)) { seed, offset in
            let (station, durations) = RandomStation.make(seed: UInt64(seed))
            let planner = Planner(station: station, durations: durations)
            let first = RandomStation.start, last = first.adding(days: 40)
            let whole = planner.plan(from: first, through: last)
            let day = first.adding(days: offset)
            let alone = planner.plan(from: day, through: day)
            #expect(alone.entries == whole.entries.filter { $0.date == day })
            #expect(alone.shortfalls == whole.shortfalls.filter { $0.date == day })
            let tail = planner.plan(from: day, through: last)
            #expect(tail.entries == whole.entries.filter { $0.date >= day })
            let again = Planner(station: station, durations: durations).plan(from: first, through: last)
            #expect(PlanFormat.json.render(again, station: station) == PlanFormat.json.render(whole, station: station))
        }
    }
}

/// Generates stations from a seed (SplitMix64), so a failing seed reproduces.
enum RandomStation {
    static let start = Fixture.date("2024-11-20")

    static func make(seed: UInt64) -> (Station, AudioDurations) {
        var rng = SplitMix64(seed: seed)
        let channels = (0..<rng.int(1...4)).map { "ch\($0)" }
        var sessions: [Session] = []
        var minute = 4 * 60 + rng.int(0...90)
        for index in 0..<rng.int(1...4) {
            let length = rng.int(1...20)
            let users = channels.filter { _ in rng.int(0...3) > 0 }
            let days = rng.int(0...3) == 0 ? DaySet(Weekday.allCases.filter { _ in rng.int(0...1) == 1 }) : .daily
            let off: Set<CivilDate> = rng.int(0...2) == 0 ? [start.adding(days: rng.int(0...40))] : []
            sessions.append(Fixture.session(
                "s\(index)", clock(minute), clock(minute + length), channels: users.isEmpty ? [channels[0]] : users,
                days: days, opening: rng.int(0...1) == 0 ? "open" : nil, closing: rng.int(0...2) == 0 ? "close" : nil,
                off: off))
            minute += length + rng.int(0...300)
        }
        var durations: AudioDurations = ["open": Double(rng.int(2...9)) + 0.5, "close": Double(rng.int(2...6))]
        var campaigns: [Campaign] = []
        for index in 0..<rng.int(1...6) {
            let firstDay = rng.int(-10...30)
            let messages = (0..<rng.int(1...4)).map { ("c\(index)m\($0)", rng.int(1...3)) }
            for (id, _) in messages { durations[id] = Double(rng.int(5_000...240_000)) / 1000 }
            let campaignChannels = channels.filter { _ in rng.int(0...2) > 0 }
            let campaignSessions = sessions.map(\.id).filter { _ in rng.int(0...3) > 0 }
            campaigns.append(Fixture.campaign(
                "camp\(index)", "\(start.adding(days: firstDay))", "\(start.adding(days: firstDay + rng.int(0...25)))",
                quota: rng.int(0...3) == 0 ? .perSession(rng.int(1...3)) : .perDay(rng.int(1...6)),
                priority: Priority.allCases[rng.int(0...2)], messages: messages,
                channels: campaignChannels.isEmpty ? [channels[0]] : campaignChannels,
                sessions: campaignSessions.isEmpty ? [sessions[0].id] : campaignSessions,
                days: rng.int(0...4) == 0 ? DaySet([.monday, .wednesday, .friday, .sunday]) : .daily,
                spacing: rng.int(0...2)))
        }
        let station = Fixture.station(
            channels: channels, sessions: sessions, campaigns: campaigns, gap: rng.int(0...3),
            earliest: rng.int(0...1) == 0 ? "05:00" : "00:00", latest: "21:00")
        return (station, durations)
    }

    private static func clock(_ minute: Int) -> String {
        let m = min(minute, 24 * 60)
        return CivilDate.padded(m / 60) + ":" + CivilDate.padded(m % 60)
    }
}

struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
