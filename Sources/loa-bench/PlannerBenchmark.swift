import Foundation
import LoaModel
import LoaPlanner

/// Plans a synthetic district for a year and compares it with a baseline that only enumerates the
/// session instances and emits as many entries: what planning costs beyond writing the plan out.
enum PlannerBenchmark {
    struct District {
        var communes = 20
        var channelsPerCommune = 15
        var days = 366
        var campaigns = 40
        init(communes: Int) { self.communes = communes }
    }

    static func run() {
        let first = CivilDate(year: 2025, month: 1, day: 1)!
        print("Planner: a district of 20 communes x 15 channels, 3 sessions a day, 40 campaigns of 4 messages")
        print("with 30-day windows spread over 366 days at 2 plays a day; best of 3 runs each.")
        print("PlanEntry is \(MemoryLayout<PlanEntry>.stride) bytes.")
        print("channels  days   entries     plan s   entries/s   baseline s   ratio   peak RSS MB")
        var perChannelDay: [String] = []
        // The full district first, so its peak RSS is its own; then smaller ones for the growth.
        for (channels, days) in [(300, 366), (150, 366), (75, 366), (300, 183), (300, 92)] {
            let (station, durations) = make(District(communes: channels / 15), first: first)
            let last = first.adding(days: days - 1)
            var plan: Plan?
            let planSeconds = best(of: 3) {
                plan = nil
                plan = Planner(station: station, durations: durations).plan(from: first, through: last)
            }
            let rss = peakRSSMegabytes()
            let entries = plan!.entries.count
            let baselineSeconds = best(of: 3) {
                precondition(enumerate(station, from: first, through: last, count: entries) == entries)
            }
            perChannelDay.append(String(format: "%.2f", planSeconds / Double(channels * days) * 1e6))
            print(
                pad(channels, 8), pad(days, 5), pad(entries, 9), pad(String(format: "%.3f", planSeconds), 10),
                pad(Int(Double(entries) / planSeconds), 11), pad(String(format: "%.3f", baselineSeconds), 12),
                pad(String(format: "%.2fx", planSeconds / baselineSeconds), 7), pad(String(format: "%.0f", rss), 13))
        }
        print("microseconds per channel-day, same rows:", perChannelDay.joined(separator: ", "),
            "(flat means planning time grows linearly with channels x days)")
    }

    static func best(of runs: Int, _ body: () -> Void) -> Double {
        (0..<runs).map { _ in
            let start = DispatchTime.now()
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }.min()!
    }

    /// The district as one station: every commune's FM and loudspeaker channels, three sessions a day.
    static func make(_ district: District, first: CivilDate) -> (Station, AudioDurations) {
        let here = SourceLocation(file: "bench", line: 1, column: 1)
        let library = URL(fileURLWithPath: "/bench")
        let channels = (0..<district.communes).flatMap { commune in
            (0..<district.channelsPerCommune).map { index in
                Channel(id: "xa\(commune)-kenh\(index)", kind: index == 0 ? .fm : .loudspeaker, name: "Kênh \(index)",
                    device: "null", origin: here)
            }
        }
        func audio(_ path: String) -> AudioReference { AudioReference(path: path, url: library, location: here) }
        let sessions = [("sang", 5 * 3600 + 1800), ("trua", 11 * 3600 + 900), ("chieu", 17 * 3600)].map { id, start in
            Session(id: id, name: id, start: TimeOfDay(seconds: start), end: TimeOfDay(seconds: start + 1800),
                channels: channels.map(\.id), opening: audio("nhac-hieu.wav"), origin: here)
        }
        var durations: AudioDurations = ["nhac-hieu.wav": 8]
        let spread = max(1, (district.days - 30) / max(1, district.campaigns - 1))
        let campaigns = (0..<district.campaigns).map { index in
            let messages = (0..<4).map { m -> Message in
                let path = "chien-dich-\(index)-tin-\(m).mp3"
                durations[path] = 30 + Double((index * 7 + m * 13) % 90)
                return Message(id: "tin-\(m)", audio: audio(path), weight: 1 + m % 2, origin: here)
            }
            let start = first.adding(days: min(index * spread, district.days - 30))
            return Campaign(
                id: "chien-dich-\(index)", title: "Chiến dịch \(index)",
                window: DateWindow(first: start, last: start.adding(days: 29)),
                priority: index % 10 == 0 ? .priority : .normal, channels: channels.map(\.id),
                sessions: sessions.map(\.id), messages: messages, quota: .perDay(2), origin: here)
        }
        let station = Station(
            name: "Huyện thử", audioLibrary: library, gapSeconds: 2, channels: channels, sessions: sessions,
            campaigns: campaigns)
        return (station, durations)
    }

    /// Walks every session instance of every channel and day and emits entries round-robin until
    /// there are `count`: the same output volume with no planning decisions at all.
    static func enumerate(_ station: Station, from: CivilDate, through: CivilDate, count: Int) -> Int {
        var entries: [PlanEntry] = []
        entries.reserveCapacity(count)
        let days = through.dayNumber - from.dayNumber + 1
        let perInstance = max(1, count / max(1, days * station.channels.count * station.sessions.count) + 1)
        outer: for dayNumber in from.dayNumber...through.dayNumber {
            let date = CivilDate(dayNumber: dayNumber)
            for channel in station.channels {
                for session in station.sessions where session.runs(on: date) {
                    for ordinal in 1...perInstance {
                        if entries.count == count { break outer }
                        entries.append(PlanEntry(
                            date: date, channel: channel.id, session: session.id, role: .message,
                            campaign: "chien-dich-0", priority: .normal, message: "tin-0", audio: "tin-0.mp3",
                            start: session.start.seconds + ordinal * 60, slot: 60, duration: 59.5, ordinal: ordinal))
                    }
                }
            }
        }
        return entries.count
    }

    static func pad(_ value: Any, _ width: Int) -> String {
        let text = "\(value)"
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// Peak resident memory of this process so far (Linux reports ru_maxrss in kilobytes).
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
