import Foundation
import LoaModel
import LoaPlanner

/// Stations built in code, so each planner test states exactly what it depends on.
enum Fixture {
    static let here = SourceLocation(file: "test", line: 1, column: 1)

    static func date(_ text: String) -> CivilDate { CivilDate(parsing: text)! }
    static func time(_ text: String) -> TimeOfDay { TimeOfDay(parsing: text)! }

    static func audio(_ path: String) -> AudioReference {
        AudioReference(path: path, url: URL(fileURLWithPath: "/audio/" + path), location: here)
    }

    static func channel(_ id: String) -> Channel {
        Channel(id: id, kind: .loudspeaker, name: id, device: "null", origin: here)
    }

    static func session(
        _ id: String, _ start: String, _ end: String, channels: [String], days: DaySet = .daily,
        opening: String? = nil, closing: String? = nil, off: Set<CivilDate> = []
    ) -> Session {
        Session(
            id: id, name: id, days: days, start: time(start), end: time(end), channels: channels,
            opening: opening.map(audio), closing: closing.map(audio), datesOff: off, origin: here)
    }

    static func campaign(
        _ id: String, _ first: String, _ last: String, quota: Quota = .perDay(1), priority: Priority = .normal,
        messages: [(String, Int)], channels: [String], sessions: [String], days: DaySet = .daily, spacing: Int = 1
    ) -> Campaign {
        Campaign(
            id: id, title: id, window: DateWindow(first: date(first), last: date(last)), days: days,
            priority: priority, channels: channels, sessions: sessions,
            messages: messages.map { Message(id: $0.0, audio: audio($0.0), weight: $0.1, origin: here) },
            quota: quota, spacing: spacing, origin: here)
    }

    static func station(
        channels: [String], sessions: [Session], campaigns: [Campaign], gap: Int = 0,
        earliest: String = "00:00", latest: String = "24:00"
    ) -> Station {
        Station(
            name: "Thử", audioLibrary: URL(fileURLWithPath: "/audio"), earliest: time(earliest), latest: time(latest),
            gapSeconds: gap, channels: channels.map(channel), sessions: sessions, campaigns: campaigns)
    }
}

extension Plan {
    var messages: [PlanEntry] { entries.filter { $0.role == .message } }

    func messages(on date: String, channel: String? = nil, session: String? = nil) -> [PlanEntry] {
        messages.filter {
            $0.date == Fixture.date(date) && (channel == nil || $0.channel == channel)
                && (session == nil || $0.session == session)
        }
    }
}
