/// The names the config gives channels, sessions, campaigns and messages, for the operator's pages: the
/// log and the plan speak in ids, the operator reads "Cụm loa 1", "Buổi sáng" and a title. An
/// id the config no longer has (a campaign since removed) shows as itself.
public struct StationNames: Sendable {
    private let channels: [String: String]
    private let sessions: [String: String]
    private let campaigns: [String: String]
    private let messages: [String: String]
    private let relaySources: [String: String]
    /// Sessions' opening and closing audio by file stem, where the config titles them.
    private let jingles: [String: String]

    public init(_ station: Station) {
        channels = Dictionary(station.channels.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        sessions = Dictionary(station.sessions.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        campaigns = Dictionary(station.campaigns.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        messages = Dictionary(
            station.campaigns.flatMap { campaign in campaign.messages.map { ("\(campaign.id)/\($0.id)", $0.title) } },
            uniquingKeysWith: { a, _ in a })
        relaySources = Dictionary(station.relaySources.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        jingles = Dictionary(
            station.sessions.flatMap { [$0.opening, $0.closing] }.compactMap { $0.flatMap { audio in audio.title.map { (audio.stem, $0) } } },
            uniquingKeysWith: { a, _ in a })
    }

    /// A relay source's name ("VOV1").
    public func relaySource(_ id: String) -> String { relaySources[id] ?? id }

    /// "Tiếp sóng VOV1": what a relay block of this source is called in reports and timetables.
    public func relay(_ source: String) -> String { "Tiếp sóng \(relaySource(source))" }

    public func channel(_ id: String) -> String { channels[id] ?? id }

    /// Announcements are logged in the session `announcement`, a campaign's one-off relay under the
    /// campaign's id: it is called by the campaign's title.
    public func session(_ id: String) -> String {
        switch id {
        case Self.announcementSession: "Thông báo"
        case Self.liveSession: "Nói trực tiếp"
        default: sessions[id] ?? campaigns[id] ?? id
        }
    }

    /// The log's session of what airs outside the plan: announcements, live broadcasts.
    public static let announcementSession = "announcement"
    public static let liveSession = "live"

    /// Opening and closing audio have no campaign: nhạc hiệu.
    public func campaign(_ id: String?) -> String { id.map { campaigns[$0] ?? $0 } ?? "nhạc hiệu" }

    /// A message's title, or a nhạc hiệu's where the config gives one; any other (an untitled
    /// nhạc hiệu, an announcement, a removed message) is called by its file, and says so ("tệp
    /// nhac-hieu-mo-dau"), since a file's name has lost its marks.
    public func message(_ id: String, of campaign: String?) -> String {
        campaign.flatMap { messages["\($0)/\(id)"] } ?? (campaign == nil ? jingles[id] : nil) ?? "tệp \(id)"
    }
}
