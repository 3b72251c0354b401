import Foundation

/// A commune radio station: its channels, its daily sessions and the campaigns it must air.
public struct Station: Sendable {
    public var name: String
    public var commune: String
    public var district: String
    public var province: String
    /// IANA zone name; the schedule is written in this zone's wall time.
    public var timeZone: String
    /// Folder that audio paths in the config are relative to.
    public var audioLibrary: URL
    /// Nothing airs before `earliest` or after `latest` (residents complain about 04:30 starts).
    public var earliest: TimeOfDay
    public var latest: TimeOfDay
    /// Silence between two items of a session, in seconds.
    public var gapSeconds: Int
    public var channels: [Channel]
    public var sessions: [Session]
    public var campaigns: [Campaign]
    /// What sessions relay (tiếp sóng): VOV, the province, a receiver on a line input.
    public var relaySources: [RelaySource]
    /// Where the daemon ships its log in the background (`sync:`), if anywhere.
    public var sync: CentralSync?
    /// The official báo cáo's heading, signer and recipients (`report:` in `station.yaml`).
    public var heading: OfficialHeading
    /// Where the station file is, for diagnostics about the station as a whole.
    public var origin: SourceLocation

    public init(
        name: String, commune: String = "", district: String = "", province: String = "",
        timeZone: String = Station.defaultTimeZone, audioLibrary: URL,
        earliest: TimeOfDay = TimeOfDay(seconds: 0), latest: TimeOfDay = TimeOfDay(seconds: 86_400),
        gapSeconds: Int = 0, channels: [Channel], sessions: [Session], campaigns: [Campaign], relaySources: [RelaySource] = [], heading: OfficialHeading? = nil,
        origin: SourceLocation = SourceLocation(file: "station.yaml", line: 1, column: 1)
    ) {
        self.heading = heading ?? .defaults(commune: commune, district: district, province: province)
        self.name = name
        self.commune = commune
        self.district = district
        self.province = province
        self.timeZone = timeZone
        self.audioLibrary = audioLibrary
        self.earliest = earliest
        self.latest = latest
        self.gapSeconds = gapSeconds
        self.channels = channels
        self.sessions = sessions
        self.campaigns = campaigns
        self.relaySources = relaySources
        self.origin = origin
    }

    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"

    /// The campaigns whose lượt are counted and reported: all but one-off relays alone.
    public var reportedCampaigns: [Campaign] { campaigns.filter(\.countsPlays) }

    public func relaySource(_ id: String) -> RelaySource? { relaySources.first { $0.id == id } }

    /// Every audio file the config names, in the order first named.
    public var audioReferences: [AudioReference] {
        var seen = Set<String>()
        var all: [AudioReference] = []
        for reference in sessions.flatMap({ [$0.opening, $0.closing].compactMap { $0 } })
            + campaigns.flatMap({ $0.messages.map(\.audio) }) + relaySources.flatMap(\.fallback)
        where seen.insert(reference.path).inserted {
            all.append(reference)
        }
        return all
    }
}

public enum ChannelKind: String, CaseIterable, Sendable, Codable {
    /// The commune's FM transmitter (hệ thống FM / đài truyền thanh không dây).
    case fm
    /// A group of hamlet loudspeakers (loa truyền thanh xóm) behind one amplifier.
    case loudspeaker

    public var vietnameseName: String {
        switch self {
        case .fm: "Hệ thống FM"
        case .loudspeaker: "Loa truyền thanh xóm"
        }
    }
}

/// One output line of the loudspeaker PC: a sound-card output wired to a transmitter or an amplifier.
public struct Channel: Sendable {
    public var id: String
    public var kind: ChannelKind
    public var name: String
    /// The hamlets (xóm, thôn) or area this line reaches.
    public var area: String
    /// ALSA PCM name, e.g. `plughw:CARD=USB,DEV=0`.
    public var device: String
    public var gainDB: Double
    public var origin: SourceLocation

    public init(
        id: String, kind: ChannelKind, name: String, area: String = "", device: String,
        gainDB: Double = 0, origin: SourceLocation
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.area = area
        self.device = device
        self.gainDB = gainDB
        self.origin = origin
    }
}
