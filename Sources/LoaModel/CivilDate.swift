/// A calendar day with no time and no zone, as written in a directive ("25/11/2024").
///
/// Arithmetic goes through a day number (days since 1970-01-01) computed with
/// Howard Hinnant's civil-calendar algorithm, so the planner needs no `Calendar`.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01: four bytes, so a year of plan entries stays small, and comparing or
    /// stepping days is integer arithmetic.
    private let storage: Int32

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else {
            return nil
        }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.init(dayNumber: era * 146_097 + doe - 719_468)
    }

    public init(dayNumber: Int) { storage = Int32(dayNumber) }

    public var dayNumber: Int { Int(storage) }

    public var year: Int { civil.year }
    public var month: Int { civil.month }
    public var day: Int { civil.day }

    private var civil: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses `YYYY-MM-DD` (ISO 8601) or `DD/MM/YYYY` (as Vietnamese documents write it).
    public init?(parsing text: String) {
        let iso = text.split(separator: "-", omittingEmptySubsequences: false)
        let vn = text.split(separator: "/", omittingEmptySubsequences: false)
        let parts: [Substring]
        let order: (Int, Int, Int)
        if iso.count == 3, iso[0].count == 4 {
            parts = iso
            order = (0, 1, 2)
        } else if vn.count == 3, vn[2].count == 4 {
            parts = vn
            order = (2, 1, 0)
        } else {
            return nil
        }
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[order.0]), let m = Int(parts[order.1]), let d = Int(parts[order.2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((dayNumber % 7) + 7 + 3) % 7
        return Weekday.allCases[index]
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// `2024-11-25`
    public var description: String {
        let (y, m, d) = civil
        return "\(Self.pad(y, 4))-\(Self.pad(m, 2))-\(Self.pad(d, 2))"
    }

    /// `25/11/2024`, the form Vietnamese documents use.
    public var vietnamese: String {
        let (y, m, d) = civil
        return "\(Self.pad(d, 2))/\(Self.pad(m, 2))/\(Self.pad(y, 4))"
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.storage < rhs.storage }

    /// Encoded as `2024-11-25`, as the log stores it and `loa log --format json` prints it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a date (YYYY-MM-DD)")
        }
        self = date
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Two digits, as clocks and dates are written: `05`.
    public static func padded(_ value: Int) -> String { pad(value, 2) }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// An inclusive range of days, such as a campaign's window.
public struct DateWindow: Hashable, Sendable {
    public var first: CivilDate
    public var last: CivilDate

    public init(first: CivilDate, last: CivilDate) {
        self.first = first
        self.last = last
    }

    public func contains(_ date: CivilDate) -> Bool { first <= date && date <= last }

    public var days: [CivilDate] {
        guard first <= last else { return [] }
        return (first.dayNumber...last.dayNumber).map(CivilDate.init(dayNumber:))
    }
}

public enum Weekday: Int, CaseIterable, Hashable, Sendable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Names accepted in config: English (`mon`) and Vietnamese (`t2`, `cn`).
    public static let names: [String: Weekday] = [
        "mon": .monday, "tue": .tuesday, "wed": .wednesday, "thu": .thursday,
        "fri": .friday, "sat": .saturday, "sun": .sunday,
        "t2": .monday, "t3": .tuesday, "t4": .wednesday, "t5": .thursday,
        "t6": .friday, "t7": .saturday, "cn": .sunday,
    ]

    /// `t2` ... `t7`, `cn`: how a file written for a Vietnamese operator names the day.
    public var configName: String { self == .sunday ? "cn" : "t\(rawValue + 1)" }

    /// "Thứ Hai" ... "Chủ nhật"
    public var vietnameseName: String {
        switch self {
        case .monday: "Thứ Hai"
        case .tuesday: "Thứ Ba"
        case .wednesday: "Thứ Tư"
        case .thursday: "Thứ Năm"
        case .friday: "Thứ Sáu"
        case .saturday: "Thứ Bảy"
        case .sunday: "Chủ nhật"
        }
    }
}

/// The weekdays on which a session or a campaign runs.
public struct DaySet: Hashable, Sendable {
    private var mask: UInt8

    public static let daily = DaySet(Weekday.allCases)

    public init(_ days: some Sequence<Weekday>) {
        mask = days.reduce(0) { $0 | (1 << UInt8($1.rawValue)) }
    }

    public func contains(_ day: Weekday) -> Bool { mask & (1 << UInt8(day.rawValue)) != 0 }
    public func intersects(_ other: DaySet) -> Bool { mask & other.mask != 0 }
    public var isEmpty: Bool { mask == 0 }
    /// Its days, Monday first.
    public var weekdays: [Weekday] { Weekday.allCases.filter(contains) }
}
