import Foundation

/// Converts between instants and the station's wall time (a day and seconds since midnight).
public struct StationTime: Sendable {
    public let zone: TimeZone

    public init(zone identifier: String) {
        zone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 7 * 3600)!
    }

    /// The instant at `seconds` past local midnight of `date`.
    public func instant(_ date: CivilDate, _ seconds: Int) -> Date {
        let naive = TimeInterval(date.dayNumber * 86_400 + seconds)
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive))
        return Date(timeIntervalSince1970: naive - TimeInterval(offset))
    }

    /// The local day and seconds since local midnight of an instant.
    public func wallTime(of instant: Date) -> (date: CivilDate, seconds: Double) {
        let local = instant.timeIntervalSince1970 + TimeInterval(zone.secondsFromGMT(for: instant))
        let day = Int((local / 86_400).rounded(.down))
        return (CivilDate(dayNumber: day), local - Double(day) * 86_400)
    }

    /// An instant as operators read it: local `dd/mm/yyyy HH:MM:SS`.
    public func display(_ instant: Date) -> String {
        let wall = wallTime(of: instant)
        return "\(wall.date.vietnamese) \(TimeOfDay(seconds: Int(wall.seconds)).withSeconds)"
    }

    /// `+07:00`
    public func offset(on date: CivilDate) -> String {
        let seconds = zone.secondsFromGMT(for: instant(date, 12 * 3600))
        let sign = seconds < 0 ? "-" : "+"
        return sign + CivilDate.padded(abs(seconds) / 3600) + ":" + CivilDate.padded(abs(seconds) / 60 % 60)
    }
}
