/// Where a relay (tiếp sóng) of VOV or the province comes from.
public enum RelayInput: Sendable, Hashable {
    /// An HTTP(S) stream: Icecast/ICY MP3 or AAC, or an HLS playlist.
    case url(String)
    /// An ALSA capture PCM with a receiver on it, such as `plughw:CARD=USB,DEV=0`.
    case lineIn(String)

    /// The URL or the PCM, as logs and pages show it.
    public var address: String {
        switch self {
        case .url(let url): url
        case .lineIn(let pcm): pcm
        }
    }
}

/// A relay source of the station (`relay-sources:` in `station.yaml`), with what to air while it fails.
public struct RelaySource: Sendable {
    public var id: String
    public var name: String
    public var input: RelayInput
    /// Played in order, looped, while the source is down, stalled or silent; silence when empty.
    public var fallback: [AudioReference]
    /// No data for this long is a stall.
    public var stallSeconds: Int
    /// Below this level (dBFS, RMS over a second) for `silenceSeconds` is a silent source.
    public var silenceDB: Double
    public var silenceSeconds: Int
    public var origin: SourceLocation

    public init(
        id: String, name: String, input: RelayInput, fallback: [AudioReference] = [], stallSeconds: Int = Self.defaultStall,
        silenceDB: Double = Self.defaultSilenceDB, silenceSeconds: Int = Self.defaultSilenceSeconds,
        origin: SourceLocation
    ) {
        self.id = id
        self.name = name
        self.input = input
        self.fallback = fallback
        self.stallSeconds = stallSeconds
        self.silenceDB = silenceDB
        self.silenceSeconds = silenceSeconds
        self.origin = origin
    }

    public static let defaultStall = 5
    /// OBPlayer's defaults: a source quieter than -28 dBFS for 10 s has gone silent.
    public static let defaultSilenceDB = -28.0
    public static let defaultSilenceSeconds = 10
}

/// A relay block of a session: `relay: {source: vov1, from: "06:00"}` (to the session's end when
/// `to` is left out; from its start when `from` is). A block starts at the session's start or
/// runs to its end, so the session's own items keep one stretch of time between.
public struct RelayBlock: Sendable {
    public var source: String
    public var from: TimeOfDay?
    public var to: TimeOfDay?
    public var location: SourceLocation

    public init(source: String, from: TimeOfDay? = nil, to: TimeOfDay? = nil, location: SourceLocation) {
        self.source = source
        self.from = from
        self.to = to
        self.location = location
    }

    /// Seconds since midnight the block takes in a session from `start` to `end`.
    public func range(start: TimeOfDay, end: TimeOfDay) -> Range<Int> {
        let lower = (from ?? start).seconds, upper = (to ?? end).seconds
        return lower..<max(lower, upper)
    }
}

/// A one-off relay of a campaign (`relay:` in a campaign file), such as a national address: its
/// own date and hours on the campaign's channels, outside every session there.
public struct CampaignRelay: Sendable {
    public var source: String
    public var date: CivilDate
    public var from: TimeOfDay
    public var to: TimeOfDay
    public var location: SourceLocation

    public init(source: String, date: CivilDate, from: TimeOfDay, to: TimeOfDay, location: SourceLocation) {
        self.source = source
        self.date = date
        self.from = from
        self.to = to
        self.location = location
    }

    /// Seconds since midnight the relay takes.
    public var range: Range<Int> { from.seconds..<max(from.seconds, to.seconds) }
}

extension Session {
    /// The relay blocks as ranges of seconds since midnight, in time order.
    public var relayRanges: [(block: RelayBlock, range: Range<Int>)] {
        relays.map { ($0, $0.range(start: start, end: end)) }.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The session's own time (for its opening, messages and closing): its airtime inside the
    /// allowed hours, less a relay at its start and one at its end.
    public func ownAirtime(earliest: TimeOfDay, latest: TimeOfDay) -> Range<Int> {
        let whole = airtime(earliest: earliest, latest: latest)
        var from = whole.lowerBound, to = whole.upperBound
        for (_, range) in relayRanges {
            if range.lowerBound <= from { from = max(from, range.upperBound) }
            if range.upperBound >= to { to = min(to, range.lowerBound) }
        }
        return from..<max(from, to)
    }
}
