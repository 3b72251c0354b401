import Foundation

/// A directive's campaign: what to air, where, how often, and within which days.
public struct Campaign: Sendable {
    public var id: String
    public var title: String
    /// The document it answers, e.g. "CV 3316/UBND-VHTT ngày 22/11/2024".
    public var directive: String
    public var window: DateWindow
    public var days: DaySet
    public var priority: Priority
    /// Channel and session ids; the loader expands "all".
    public var channels: [String]
    public var sessions: [String]
    /// Empty for a campaign that is only a one-off relay.
    public var messages: [Message]
    /// One-off relays, each on a date of the window.
    public var relays: [CampaignRelay]
    public var quota: Quota
    /// How many other items should stand between two plays of the same message in a session.
    public var spacing: Int
    /// Who drafted and who approved it, when the web console wrote it.
    public var approval: Approval?
    public var origin: SourceLocation
    public var fieldLocations: [String: SourceLocation]

    public init(
        id: String, title: String, directive: String = "", window: DateWindow, days: DaySet = .daily,
        priority: Priority = .normal, channels: [String], sessions: [String], messages: [Message],
        relays: [CampaignRelay] = [], quota: Quota = .perDay(1), spacing: Int = 1, approval: Approval? = nil, origin: SourceLocation,
        fieldLocations: [String: SourceLocation] = [:]
    ) {
        self.approval = approval
        self.id = id
        self.title = title
        self.directive = directive
        self.window = window
        self.days = days
        self.priority = priority
        self.channels = channels
        self.sessions = sessions
        self.messages = messages
        self.relays = relays
        self.quota = quota
        self.spacing = spacing
        self.origin = origin
        self.fieldLocations = fieldLocations
    }

    public func runs(on date: CivilDate) -> Bool { window.contains(date) && days.contains(date.weekday) }

    /// False for a campaign that is a one-off relay alone: it asks no lượt, so nothing of it is
    /// planned into sessions, tallied or reported as plays.
    public var countsPlays: Bool { !messages.isEmpty }

    public func location(of field: String) -> SourceLocation { fieldLocations[field] ?? origin }

    /// An id that names its own file (`campaigns/ID.yaml`), as the console writes and a province
    /// issues one: 2-64 lower-case ASCII letters, digits and '-'. Files written by hand may use
    /// any id the loader takes.
    public static func isFileID(_ id: String) -> Bool {
        id.range(of: #"^[a-z0-9][a-z0-9-]{1,63}$"#, options: .regularExpression) != nil
    }
}

/// As communes work: an operator drafts a campaign and the commune leader approves it before it
/// can air. The console keeps drafts apart (`campaigns/drafts/`), so only approved ones are loaded.
public struct Approval: Sendable, Equatable {
    public var draftedBy: String
    public var draftedAt: String
    public var approvedBy: String?
    public var approvedAt: String?

    public init(draftedBy: String, draftedAt: String, approvedBy: String? = nil, approvedAt: String? = nil) {
        self.draftedBy = draftedBy
        self.draftedAt = draftedAt
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
    }

    /// How `drafted-at` and `approved-at` write an instant: ISO 8601 in UTC.
    public static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// The `approval:` block of a campaign file, as the console and a published campaign write it.
    public var yaml: [String] {
        var lines = ["approval:", "  drafted-by: \(JSONDocument.quoted(draftedBy))", "  drafted-at: \(JSONDocument.quoted(draftedAt))"]
        if let approvedBy, let approvedAt {
            lines += ["  approved-by: \(JSONDocument.quoted(approvedBy))", "  approved-at: \(JSONDocument.quoted(approvedAt))"]
        }
        return lines
    }
}

/// Thông tư 39/2020/TT-BTTTT's three levels for bulletins.
public enum Priority: String, CaseIterable, Comparable, Sendable {
    /// thông thường: the commune decides when.
    case normal
    /// ưu tiên: played first.
    case priority
    /// khẩn cấp: played immediately.
    case emergency

    public var rank: Int {
        switch self {
        case .normal: 0
        case .priority: 1
        case .emergency: 2
        }
    }

    public var vietnameseName: String {
        switch self {
        case .normal: "thông thường"
        case .priority: "ưu tiên"
        case .emergency: "khẩn cấp"
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

/// How often a campaign airs on each of its channels.
public enum Quota: Hashable, Sendable {
    /// N plays a day on each channel, spread over that day's sessions.
    case perDay(Int)
    /// N plays in every session the campaign may use.
    case perSession(Int)
}

public struct Message: Sendable {
    /// Defaults to the audio file's name without its extension.
    public var id: String
    /// What reports and the console call it; defaults to ``readableTitle(of:)`` of the id.
    public var title: String
    public var audio: AudioReference
    /// Relative share of the campaign's plays (default 1).
    public var weight: Int
    public var origin: SourceLocation

    public init(id: String, title: String? = nil, audio: AudioReference, weight: Int = 1, origin: SourceLocation) {
        self.id = id
        self.title = title ?? Self.readableTitle(of: id)
        self.audio = audio
        self.weight = weight
        self.origin = origin
    }

    /// "lừa-đảo_nhận diện" reads as "Lừa đảo nhận diện": a file name as a person would write it.
    public static func readableTitle(of id: String) -> String {
        let words = id.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " }).joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
