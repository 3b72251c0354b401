import LoaModel
import LoaPlanner
import Testing

/// One test (or more) per planner rule of issue #2, each written so that breaking the rule fails it.
@Suite struct PlannerRuleTests {
    typealias F = Fixture

    // Rule 1: only inside the window, on allowed days, channels and sessions, inside allowed hours.
    @Test func placesOnlyInsideWindowDaysChannelsAndSessions() {
        let station = F.station(
            channels: ["a", "b"],
            sessions: [
                F.session("s1", "06:00", "06:30", channels: ["a", "b"]),
                F.session("s2", "17:00", "17:30", channels: ["a", "b"]),
            ],
            campaigns: [
                F.campaign(
                    "c", "2024-11-25", "2024-12-01", quota: .perDay(2), messages: [("m", 1)], channels: ["b"],
                    sessions: ["s2"], days: DaySet([.monday, .wednesday]))
            ])
        let plan = Planner(station: station, durations: ["m": 30]).plan(
            from: F.date("2024-11-20"), through: F.date("2024-12-10"))
        #expect(!plan.messages.isEmpty)
        for entry in plan.messages {
            #expect(entry.date >= F.date("2024-11-25") && entry.date <= F.date("2024-12-01"))
            #expect([Weekday.monday, .wednesday].contains(entry.date.weekday))
            #expect(entry.channel == "b")
            #expect(entry.session == "s2")
        }
        #expect(Set(plan.messages.map(\.date)) == [F.date("2024-11-25"), F.date("2024-11-27")])
    }

    @Test func neverAirsOutsideTheStationsAllowedHours() {
        let station = F.station(
            channels: ["a"], sessions: [F.session("early", "04:30", "05:10", channels: ["a"])],
            campaigns: [F.campaign("c", "2024-11-25", "2024-11-25", quota: .perSession(3), messages: [("m", 1)],
                channels: ["a"], sessions: ["early"])],
            earliest: "05:00")
        let plan = Planner(station: station, durations: ["m": 200]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-25"))
        // 600 s between 05:00 and 05:10 hold three 200 s plays with no gap.
        #expect(plan.messages.map(\.start) == [18_000, 18_200, 18_400])
        #expect(plan.shortfalls.isEmpty)
    }

    // Rule 2: back to back, opening first, closing last, gaps kept, all within the session.
    @Test func itemsPlayBackToBackBetweenOpeningAndClosing() {
        let station = F.station(
            channels: ["a"],
            sessions: [F.session("s", "05:30", "06:00", channels: ["a"], opening: "open", closing: "close")],
            campaigns: [F.campaign("c", "2024-11-25", "2024-11-25", quota: .perSession(3),
                messages: [("m1", 1), ("m2", 1)], channels: ["a"], sessions: ["s"])],
            gap: 2)
        let plan = Planner(station: station, durations: ["open": 4.2, "close": 3, "m1": 59.5, "m2": 30]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-25"))
        let entries = plan.entries
        #expect(entries.map(\.role) == [.opening, .message, .message, .message, .closing])
        #expect(entries.first?.start == 19_800)
        for (previous, next) in zip(entries, entries.dropFirst()) {
            #expect(next.start == previous.end + 2, "\(previous.id) -> \(next.id)")
        }
        #expect(entries[0].slot == 5)
        #expect(entries.last!.end <= 21_600)
    }

    @Test func fillsToTheSessionsEndAndNoFurther() {
        let station = F.station(
            channels: ["a"], sessions: [F.session("s", "05:30", "05:31", channels: ["a"])],
            campaigns: [F.campaign("c", "2024-11-25", "2024-11-25", quota: .perSession(5), messages: [("m", 1)],
                channels: ["a"], sessions: ["s"])],
            gap: 1)
        let plan = Planner(station: station, durations: ["m": 14.2]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-25"))
        // Slots of 15 s with 1 s gaps: 15+1+15+1+15 = 47 s fits, a fourth would end at 63 s.
        #expect(plan.messages.count == 3)
        #expect(plan.messages.last!.end <= 19_800 + 60)
        #expect(plan.shortfalls.map(\.reason) == [.sessionFull])
        #expect(plan.shortfalls.first?.required == 5)
        #expect(plan.shortfalls.first?.planned == 3)
    }

    // Rule 3: a daily quota spreads over the day's sessions as evenly as possible.
    @Test func dailyQuotaSpreadsEvenlyOverSessions() {
        func counts(quota: Int, sessions: Int) -> [Int] {
            let ids = (1...sessions).map { "s\($0)" }
            let station = F.station(
                channels: ["a"],
                sessions: ids.enumerated().map { F.session($1, "0\($0 + 5):00", "0\($0 + 5):30", channels: ["a"]) },
                campaigns: [F.campaign("c", "2024-11-25", "2024-11-25", quota: .perDay(quota), messages: [("m", 1)],
                    channels: ["a"], sessions: ids)])
            let plan = Planner(station: station, durations: ["m": 20]).plan(
                from: F.date("2024-11-25"), through: F.date("2024-11-25"))
            return ids.map { id in plan.messages.filter { $0.session == id }.count }
        }
        #expect(counts(quota: 2, sessions: 2) == [1, 1])
        #expect(counts(quota: 3, sessions: 2) == [2, 1])
        #expect(counts(quota: 6, sessions: 3) == [2, 2, 2])
        #expect(counts(quota: 1, sessions: 3) == [1, 0, 0])
    }

    @Test func perSessionQuotaFillsEverySession() {
        let station = F.station(
            channels: ["a"],
            sessions: [F.session("s1", "05:00", "05:30", channels: ["a"]), F.session("s2", "17:00", "17:30", channels: ["a"])],
            campaigns: [F.campaign("c", "2024-11-25", "2024-11-26", quota: .perSession(2), messages: [("m", 1), ("n", 1)],
                channels: ["a"], sessions: ["s1", "s2"])])
        let plan = Planner(station: station, durations: ["m": 20, "n": 20]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-26"))
        for day in ["2024-11-25", "2024-11-26"] {
            #expect(plan.messages(on: day, session: "s1").count == 2)
            #expect(plan.messages(on: day, session: "s2").count == 2)
        }
    }

    // Rule 4: weighted rotation over the window; no repeat in a session unless unavoidable.
    @Test func messagesRotateByWeightOverTheWindow() {
        let station = F.station(
            channels: ["a"],
            sessions: [F.session("s1", "05:00", "05:30", channels: ["a"]), F.session("s2", "17:00", "17:30", channels: ["a"])],
            campaigns: [F.campaign("c", "2024-11-01", "2024-11-20", quota: .perDay(2),
                messages: [("big", 2), ("m2", 1), ("m3", 1)], channels: ["a"], sessions: ["s1", "s2"])])
        let plan = Planner(station: station, durations: ["big": 20, "m2": 20, "m3": 20]).plan(
            from: F.date("2024-11-01"), through: F.date("2024-11-20"))
        let counts = Dictionary(grouping: plan.messages, by: \.message).mapValues(\.count)
        #expect(counts == ["big": 20, "m2": 10, "m3": 10])
    }

    @Test func sameMessageNotTwiceInASessionUnlessNoOtherChoice() {
        let station = F.station(
            channels: ["a"], sessions: [F.session("s", "05:00", "05:30", channels: ["a"])],
            campaigns: [
                F.campaign("two", "2024-11-25", "2024-11-30", quota: .perSession(2), messages: [("x", 1), ("y", 1)],
                    channels: ["a"], sessions: ["s"]),
                F.campaign("one", "2024-11-25", "2024-11-30", quota: .perSession(2), messages: [("z", 1)],
                    channels: ["a"], sessions: ["s"]),
            ])
        let plan = Planner(station: station, durations: ["x": 20, "y": 20, "z": 20]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-30"))
        for day in 25...30 {
            let session = plan.messages(on: "2024-11-\(day)")
            #expect(session.filter { $0.campaign == "two" }.map(\.message).sorted() == ["x", "y"])
            // A single message has to repeat, but spacing keeps the repeats apart.
            #expect(session.filter { $0.campaign == "one" }.count == 2)
            for (a, b) in zip(session, session.dropFirst()) {
                #expect(a.message != b.message, "back to back in \(session.map(\.message))")
            }
        }
    }

    @Test func aHeavyWeightDoesNotRepeatAMessageInOneSession() {
        let station = F.station(
            channels: ["a"], sessions: [F.session("s", "05:00", "05:30", channels: ["a"])],
            campaigns: [F.campaign("c", "2024-11-25", "2024-11-25", quota: .perSession(2),
                messages: [("heavy", 10), ("light", 1)], channels: ["a"], sessions: ["s"])])
        let plan = Planner(station: station, durations: ["heavy": 20, "light": 20]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-25"))
        #expect(plan.messages.map(\.message).sorted() == ["heavy", "light"])
    }

    // Rule 5: emergency before priority before normal; then the one furthest behind; then by id.
    @Test func priorityDecidesWhoGetsScarceTimeAndWhoGoesFirst() {
        let station = F.station(
            channels: ["a"], sessions: [F.session("s", "05:00", "05:01", channels: ["a"])],
            campaigns: [
                F.campaign("a-normal", "2024-11-25", "2024-11-25", messages: [("n", 1)], channels: ["a"], sessions: ["s"]),
                F.campaign("b-emergency", "2024-11-25", "2024-11-25", priority: .emergency, messages: [("e", 1)],
                    channels: ["a"], sessions: ["s"]),
                F.campaign("c-priority", "2024-11-25", "2024-11-25", priority: .priority, messages: [("p", 1)],
                    channels: ["a"], sessions: ["s"]),
            ])
        // Room for two 25 s items in 60 s: the normal one loses.
        let plan = Planner(station: station, durations: ["n": 25, "e": 25, "p": 25]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-25"))
        #expect(plan.messages.map(\.campaign) == ["b-emergency", "c-priority"])
        #expect(plan.shortfalls.map(\.campaign) == ["a-normal"])
    }

    @Test func theCampaignFurthestBehindGoesFirstAmongEquals() {
        let station = F.station(
            channels: ["a"], sessions: [F.session("s", "05:00", "05:01", channels: ["a"])],
            campaigns: [
                F.campaign("a", "2024-11-25", "2024-11-28", messages: [("ma", 1)], channels: ["a"], sessions: ["s"]),
                F.campaign("b", "2024-11-25", "2024-11-28", messages: [("mb", 1)], channels: ["a"], sessions: ["s"]),
            ])
        // One 50 s play fits a day: ties go to "a" by id, then "b" is behind, and so on.
        let plan = Planner(station: station, durations: ["ma": 50, "mb": 50]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-28"))
        #expect(plan.messages.map(\.campaign) == ["a", "b", "a", "b"])
        #expect(plan.shortfalls.map(\.campaign) == ["b", "a", "b", "a"])
    }

    // Rule 6: what does not fit is recorded with its reason, never dropped.
    @Test func everyShortfallHasItsReason() {
        let station = F.station(
            channels: ["a", "b"],
            sessions: [
                F.session("weekday", "05:00", "05:01", channels: ["a"], days: DaySet([.monday, .tuesday, .wednesday, .thursday, .friday])),
                F.session("b", "06:00", "06:01", channels: ["b"]),
            ],
            campaigns: [
                F.campaign("long", "2024-11-25", "2024-11-25", messages: [("long", 1)], channels: ["a"], sessions: ["weekday"]),
                F.campaign("sunday", "2024-12-01", "2024-12-01", messages: [("m", 1)], channels: ["a"], sessions: ["weekday"]),
                F.campaign("silent", "2024-11-25", "2024-11-25", messages: [("broken", 1)], channels: ["b"], sessions: ["b"]),
            ])
        let plan = Planner(station: station, durations: ["long": 61, "m": 10]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-12-01"))
        let reasons = Dictionary(uniqueKeysWithValues: plan.shortfalls.map { ($0.campaign, $0.reason) })
        #expect(reasons == ["long": .audioTooLong, "sunday": .noSession, "silent": .audioUnavailable])
        #expect(plan.shortfalls.allSatisfy { $0.planned == 0 && $0.required == 1 })
        #expect(plan.shortfalls.first { $0.campaign == "sunday" }?.date == F.date("2024-12-01"))
        #expect(plan.shortfalls.allSatisfy { !$0.explanation(channelName: $0.channel).isEmpty })
    }

    // Rule 7: deterministic, and a day's plan does not depend on the range asked for.
    @Test func aDaysPlanIsTheSameWhateverTheRange() {
        let station = F.station(
            channels: ["a", "b"],
            sessions: [F.session("s1", "05:00", "05:02", channels: ["a", "b"]), F.session("s2", "17:00", "17:02", channels: ["a"])],
            campaigns: [
                F.campaign("x", "2024-11-25", "2024-12-15", quota: .perDay(3), messages: [("x1", 2), ("x2", 1)],
                    channels: ["a", "b"], sessions: ["s1", "s2"]),
                F.campaign("y", "2024-11-20", "2024-11-30", quota: .perDay(2), messages: [("y1", 1)],
                    channels: ["a"], sessions: ["s1", "s2"]),
                F.campaign("z", "2024-12-05", "2024-12-20", quota: .perDay(2), priority: .priority,
                    messages: [("z1", 1), ("z2", 1)], channels: ["a", "b"], sessions: ["s1", "s2"]),
            ])
        let planner = Planner(station: station, durations: ["x1": 31, "x2": 20, "y1": 45, "z1": 25, "z2": 40])
        let whole = planner.plan(from: F.date("2024-11-25"), through: F.date("2024-12-15"))
        #expect(!whole.shortfalls.isEmpty, "the fixture should be tight enough to need choices")
        for day in ["2024-11-25", "2024-11-29", "2024-12-01", "2024-12-07", "2024-12-15"] {
            let alone = planner.plan(from: F.date(day), through: F.date(day))
            #expect(alone.entries == whole.entries.filter { $0.date == F.date(day) }, "\(day)")
            #expect(alone.shortfalls == whole.shortfalls.filter { $0.date == F.date(day) }, "\(day)")
        }
        let again = Planner(station: station, durations: ["x1": 31, "x2": 20, "y1": 45, "z1": 25, "z2": 40])
            .plan(from: F.date("2024-11-25"), through: F.date("2024-12-15"))
        for format in PlanFormat.allCases {
            #expect(format.render(again, station: station) == format.render(whole, station: station))
        }
    }

    // Rule 8: ids are unique and the same on every run.
    @Test func entryIDsAreStableAndUnique() {
        let station = F.station(
            channels: ["fm"],
            sessions: [F.session("sang", "05:30", "06:00", channels: ["fm"], opening: "open")],
            campaigns: [F.campaign("lua-dao", "2024-11-25", "2024-11-26", quota: .perSession(2),
                messages: [("m1", 1), ("m2", 1)], channels: ["fm"], sessions: ["sang"])])
        let plan = Planner(station: station, durations: ["open": 3, "m1": 20, "m2": 20]).plan(
            from: F.date("2024-11-25"), through: F.date("2024-11-26"))
        #expect(plan.entries.filter { $0.date == F.date("2024-11-25") }.map(\.id) == [
            "2024-11-25/fm/sang/opening", "2024-11-25/fm/sang/lua-dao/1", "2024-11-25/fm/sang/lua-dao/2",
        ])
        #expect(Set(plan.entries.map(\.id)).count == plan.entries.count)
    }
}
