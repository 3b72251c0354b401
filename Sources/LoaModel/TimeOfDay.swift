/// A wall-clock time in the station's zone, to the second: "05:30" or "17:45:30".
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since local midnight; 86 400 stands for "24:00", the end of the day.
    public let seconds: Int

    public init(seconds: Int) {
        precondition((0...86_400).contains(seconds), "time of day out of range")
        self.seconds = seconds
    }

    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0...59).contains(minute), (0...59).contains(second),
            (0...23).contains(hour) || (hour == 24 && minute == 0 && second == 0)
        else { return nil }
        self.seconds = hour * 3600 + minute * 60 + second
    }

    /// Parses `HH:MM` or `HH:MM:SS`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let h = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) ?? -1 : 0
        self.init(hour: h, minute: m, second: s)
    }

    /// `05:30`, or `05:30:15` when the seconds are not zero.
    public var description: String {
        let h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60
        let hm = CivilDate.pad(h, 2) + ":" + CivilDate.pad(m, 2)
        return s == 0 ? hm : hm + ":" + CivilDate.pad(s, 2)
    }

    /// Always with seconds: `05:30:00`, as timetables and ISO 8601 write it.
    public var withSeconds: String {
        CivilDate.padded(seconds / 3600) + ":" + CivilDate.padded(seconds / 60 % 60) + ":"
            + CivilDate.padded(seconds % 60)
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.seconds < rhs.seconds }
}
