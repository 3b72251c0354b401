import Foundation
import LoaModel

/// Stations built in code, so each planner and runner test states exactly what it depends on.
public enum StationBuilder {
    public static let here = SourceLocation(file: "test", line: 1, column: 1)

    public static func date(_ text: String) -> CivilDate { CivilDate(parsing: text)! }
    public static func time(_ text: String) -> TimeOfDay { TimeOfDay(parsing: text)! }

    public static func audio(_ path: String) -> AudioReference {
        AudioReference(path: path, url: URL(fileURLWithPath: "/audio/" + path), location: here)
    }

    /// `fm` is the FM channel, any other a loudspeaker cluster; the device is `device-<id>`.
    public static func channel(_ id: String) -> Channel {
        Channel(id: id, kind: id == "fm" ? .fm : .loudspeaker, name: id, device: "device-\(id)", origin: here)
    }

    public static func session(
        _ id: String, _ start: String, _ end: String, channels: [String], days: DaySet = .daily,
        opening: String? = nil, closing: String? = nil, off: Set<CivilDate> = []
    ) -> Session {
        Session(
            id: id, name: id, days: days, start: time(start), end: time(end), channels: channels,
            opening: opening.map(audio), closing: closing.map(audio), datesOff: off, origin: here)
    }

    public static func campaign(
        _ id: String, _ first: String, _ last: String, quota: Quota = .perDay(1), priority: Priority = .normal,
        messages: [(String, Int)], channels: [String], sessions: [String], days: DaySet = .daily, spacing: Int = 1
    ) -> Campaign {
        Campaign(
            id: id, title: id, window: DateWindow(first: date(first), last: date(last)), days: days,
            priority: priority, channels: channels, sessions: sessions,
            messages: messages.map { Message(id: $0.0, audio: audio($0.0), weight: $0.1, origin: here) },
            quota: quota, spacing: spacing, origin: here)
    }

    public static func station(
        channels: [String], sessions: [Session], campaigns: [Campaign], gap: Int = 0,
        earliest: String = "00:00", latest: String = "24:00"
    ) -> Station {
        Station(
            name: "Thử", audioLibrary: URL(fileURLWithPath: "/audio"), earliest: time(earliest), latest: time(latest),
            gapSeconds: gap, channels: channels.map(channel), sessions: sessions, campaigns: campaigns)
    }
}
