/// A daily broadcast slot, such as "Buổi sáng" 05:30-06:00, on some of the station's channels.
public struct Session: Sendable {
    public var id: String
    public var name: String
    public var days: DaySet
    public var start: TimeOfDay
    public var end: TimeOfDay
    /// Channel ids; the loader expands "all" into the station's channels.
    public var channels: [String]
    /// Nhạc hiệu played before the session's first item and after its last.
    public var opening: AudioReference?
    public var closing: AudioReference?
    /// Holidays and other days the session does not run.
    public var datesOff: Set<CivilDate>
    /// Relay (tiếp sóng) blocks, at the session's start or running to its end.
    public var relays: [RelayBlock]
    public var origin: SourceLocation
    /// Where individual fields were written, for pointing at them in diagnostics.
    public var fieldLocations: [String: SourceLocation]

    public init(
        id: String, name: String, days: DaySet = .daily, start: TimeOfDay, end: TimeOfDay,
        channels: [String], opening: AudioReference? = nil, closing: AudioReference? = nil,
        datesOff: Set<CivilDate> = [], relays: [RelayBlock] = [], origin: SourceLocation, fieldLocations: [String: SourceLocation] = [:]
    ) {
        self.id = id
        self.name = name
        self.days = days
        self.start = start
        self.end = end
        self.channels = channels
        self.opening = opening
        self.closing = closing
        self.datesOff = datesOff
        self.relays = relays
        self.origin = origin
        self.fieldLocations = fieldLocations
    }

    public func runs(on date: CivilDate) -> Bool {
        days.contains(date.weekday) && !datesOff.contains(date)
    }

    /// The part of the session inside the station's allowed hours, in seconds since midnight.
    public func airtime(earliest: TimeOfDay, latest: TimeOfDay) -> Range<Int> {
        let from = max(start.seconds, earliest.seconds)
        let to = min(end.seconds, latest.seconds)
        return from..<max(from, to)
    }

    public func location(of field: String) -> SourceLocation { fieldLocations[field] ?? origin }
}

/// How a session's time is spent, in whole seconds: the single rule that both
/// the planner (placing items) and `check` (warning about capacity) use.
public struct SessionBudget: Sendable {
    /// Seconds of airtime inside the allowed hours.
    public var airtime: Int
    /// Seconds taken by the opening and closing audio and the gaps around them.
    public var frame: Int
    public var gap: Int

    public init(airtime: Int, opening: Int?, closing: Int?, gap: Int) {
        self.airtime = airtime
        self.gap = gap
        frame = (opening.map { $0 + gap } ?? 0) + (closing.map { $0 + gap } ?? 0)
    }

    /// Seconds left for campaign items that each take their slot plus a gap before the next.
    /// With `n` items of total length `t`, the session needs `frame + t + gap * (n - 1)`.
    public func fits(itemSeconds: Int, items: Int) -> Bool {
        items == 0 || frame + itemSeconds + gap * (items - 1) <= airtime
    }

    /// The most item seconds the session can hold when it holds one item.
    public var roomForOneItem: Int { airtime - frame }
}

/// Whole seconds an item of this duration occupies: timetables are to the second.
public func slotSeconds(for duration: Double) -> Int { Int(duration.rounded(.up)) }
