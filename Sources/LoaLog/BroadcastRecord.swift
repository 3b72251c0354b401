import Foundation
import GRDB
import LoaModel

/// How a broadcast attempt ended.
public enum Outcome: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    /// Written when playing starts; a row left so was cut by a power loss or crash.
    case playing
    case completed
    /// Cut off: shutdown, pre-emption, power loss.
    case interrupted
    /// It was tried and could not play: device error, unreadable audio.
    case failed
    /// Its time passed without it being tried: daemon not running, clock jump, device down.
    case missed
    /// Not tried on purpose: no time left in the session.
    case skipped

    /// Outcomes after which an entry is never played again.
    public var isFinal: Bool { self != .playing && self != .interrupted }

    /// As the operator's console and `loa log` say it.
    public var vietnameseName: String {
        switch self {
        case .playing: "đang phát"
        case .completed: "hoàn thành"
        case .interrupted: "bị ngắt"
        case .failed: "lỗi"
        case .missed: "bỏ lỡ"
        case .skipped: "bỏ qua"
        }
    }
}

/// Stable reason codes, as traffic reconciliation formats use them.
public enum ReasonCode: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case powerLossOrCrash = "power-loss-or-crash"
    case noTimeLeft = "no-time-left"
    case daemonNotRunning = "daemon-not-running"
    case clockJump = "clock-jump"
    case deviceUnavailable = "device-unavailable"
    case audioUnreadable = "audio-unreadable"
    case shutdown
    case preempted
    /// A config change took the entry out of the plan while it was on air.
    case withdrawn
    /// The device was given digital silence where the audio has sound (a decoding fault).
    case silentOutput = "silent-output"
    /// A relay's source would not connect, or dropped and did not come back.
    case sourceUnavailable = "source-unavailable"
    /// A relay's source connected but sent no audio for its stall time.
    case sourceStalled = "source-stalled"
    /// A relay's source sent only silence (below its threshold) for its silence time.
    case sourceSilent = "source-silent"
    /// A live broadcast's phone or PC dropped, or sent nothing for 3 s.
    case connectionLost = "connection-lost"
    /// A live broadcast reached its 30-minute bound.
    case timeLimit = "time-limit"

    /// As the operator reads it in the console and `loa status`; the row's `reason` keeps the
    /// engineer's English detail for `loa log` and the journal.
    public var vietnameseName: String {
        switch self {
        case .powerLossOrCrash: "mất điện hoặc máy phát dừng đột ngột khi đang phát"
        case .noTimeLeft: "hết thời lượng của buổi phát"
        case .daemonNotRunning: "máy phát không chạy vào giờ phát"
        case .clockJump: "đồng hồ máy tính bị chỉnh lệch"
        case .deviceUnavailable: "thiết bị âm thanh không dùng được"
        case .audioUnreadable: "tệp âm thanh không đọc được"
        case .shutdown: "máy phát được tắt khi đang phát"
        case .preempted: "nhường cho thông báo khẩn cấp"
        case .withdrawn: "lịch phát thay đổi, bản tin bị rút"
        case .silentOutput: "loa chỉ nhận được im lặng (lỗi giải mã)"
        case .sourceUnavailable: "không kết nối được nguồn tiếp sóng"
        case .sourceStalled: "nguồn tiếp sóng ngừng gửi tín hiệu"
        case .sourceSilent: "nguồn tiếp sóng chỉ có im lặng"
        case .connectionLost: "mất kết nối với máy của người nói (quá 3 giây không nhận được tiếng)"
        case .timeLimit: "hết 30 phút, thời lượng tối đa của một lần nói trực tiếp"
        }
    }
}

/// What a broadcast was in its session: framing audio, a campaign message, or an announcement
/// at its level.
public enum BroadcastRole: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case opening
    case message
    case closing
    case announcementEmergency = "announcement-emergency"
    case announcementPriority = "announcement-priority"
    /// A relay (tiếp sóng) block: `playedSeconds` is the time the source itself was on air.
    case relay
    /// What aired in a relay block while its source failed (the fallback audio, or silence):
    /// one row per outage, its reason code saying why.
    case relayFallback = "relay-fallback"
    /// A live broadcast (nói trực tiếp) at its level: `message` names who spoke, `audio` the
    /// recording, `playedSeconds` the time on air.
    case liveEmergency = "live-emergency"
    case livePriority = "live-priority"

    public var isAnnouncement: Bool { self == .announcementEmergency || self == .announcementPriority }
    public var isLive: Bool { self == .liveEmergency || self == .livePriority }
    public var isRelay: Bool { self == .relay || self == .relayFallback }
}

// The model's values, stored as the text they print as (`2024-11-25`, `fm`). Both modules are
// this package's, so the conformance cannot clash with one their owners add.
extension CivilDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> CivilDate? {
        String.fromDatabaseValue(value).flatMap(CivilDate.init(parsing:))
    }
}

extension ChannelKind: DatabaseValueConvertible {}

/// One broadcast attempt: one row of the log.
public struct BroadcastRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "broadcast"

    public var id: Int64?
    /// The plan entry (or announcement) this attempt played.
    public var entryID: String
    /// The station's local date of the scheduled start, stored as YYYY-MM-DD.
    public var date: CivilDate
    public var station: String
    public var channel: String
    public var channelKind: ChannelKind
    public var session: String
    public var campaign: String?
    public var message: String
    public var role: BroadcastRole
    public var audio: String
    public var audioSHA256: String?
    /// Instants are stored as UTC ISO 8601 with milliseconds; `timeZone` says how to show them.
    public var scheduledStart: String
    public var actualStart: String?
    public var actualEnd: String?
    public var timeZone: String
    public var playedSeconds: Double
    public var outcome: Outcome
    public var reasonCode: ReasonCode?
    public var reason: String?
    public var device: String
    /// Position in the hash chain, given when the row is sealed (its outcome final or interrupted).
    public var sealSequence: Int64?
    public var previousHash: String?
    public var hash: String?

    /// A record of an attempt about to be made; the log fills in the outcome and the chain.
    public init(
        entryID: String, date: CivilDate, station: String, channel: String, channelKind: ChannelKind, session: String,
        campaign: String?, message: String, role: BroadcastRole, audio: String, audioSHA256: String?,
        scheduledStart: String, timeZone: String, device: String
    ) {
        self.entryID = entryID
        self.date = date
        self.station = station
        self.channel = channel
        self.channelKind = channelKind
        self.session = session
        self.campaign = campaign
        self.message = message
        self.role = role
        self.audio = audio
        self.audioSHA256 = audioSHA256
        self.scheduledStart = scheduledStart
        self.timeZone = timeZone
        self.device = device
        playedSeconds = 0
        outcome = .playing
    }

    /// Decodes a row by column name rather than through `Codable`, which costs several times
    /// more per row when a report verifies a long log. A stored value that is not one of its
    /// type's (an unknown role, a malformed date) is an error naming the column, never a crash.
    public init(row: Row) throws {
        id = row["id"]
        entryID = row["entryID"]
        date = try row.decode(forColumn: "date")
        station = row["station"]
        channel = row["channel"]
        channelKind = try row.decode(forColumn: "channelKind")
        session = row["session"]
        campaign = row["campaign"]
        message = row["message"]
        role = try row.decode(forColumn: "role")
        audio = row["audio"]
        audioSHA256 = row["audioSHA256"]
        scheduledStart = row["scheduledStart"]
        actualStart = row["actualStart"]
        actualEnd = row["actualEnd"]
        timeZone = row["timeZone"]
        playedSeconds = row["playedSeconds"]
        outcome = try row.decode(forColumn: "outcome")
        reasonCode = try row.decode(forColumn: "reasonCode")
        reason = row["reason"]
        device = row["device"]
        sealSequence = row["sealSequence"]
        previousHash = row["previousHash"]
        hash = row["hash"]
    }

    public enum Columns {
        public static let entryID = Column(CodingKeys.entryID)
        public static let date = Column(CodingKeys.date)
        public static let outcome = Column(CodingKeys.outcome)
        public static let sealSequence = Column(CodingKeys.sealSequence)
        public static let campaign = Column(CodingKeys.campaign)
        public static let role = Column(CodingKeys.role)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// UTC instants as the log stores them: `2024-11-25T22:30:00.125Z`.
public enum LogTime {
    /// Written with the model's civil-date arithmetic (UTC has no offset), not a `Calendar` and
    /// `String(format:)` per row.
    public static func string(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = Int((Double(milliseconds) / 1000).rounded(.down))
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        let clock = TimeOfDay(seconds: seconds - day * 86_400).withSeconds
        let fraction = String(milliseconds - seconds * 1000)
        let padding = String(repeating: "0", count: 3 - fraction.count)
        return "\(CivilDate(dayNumber: day))T\(clock).\(padding)\(fraction)Z"
    }

    /// Reads what `string` writes: `2024-11-25T22:30:00.125Z`.
    public static func date(_ string: String) -> Date? {
        let parts = string.split(separator: "T")
        guard parts.count == 2, parts[1].hasSuffix("Z"), let day = CivilDate(parsing: String(parts[0])) else { return nil }
        let time = parts[1].dropLast().split(separator: ".")
        guard let clock = TimeOfDay(parsing: String(time[0])), clock.seconds < 86_400 else { return nil }
        let fraction = time.count == 2 ? Double("0." + time[1]) : 0
        guard let fraction else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + clock.seconds) + fraction)
    }
}

extension BroadcastRecord {
    /// The row that says what became of each entry, of rows in the order written: its final one,
    /// or else its latest attempt. Once final, an entry stays final whatever a later row says.
    public static func latestPerEntry(_ rows: [BroadcastRecord]) -> [String: BroadcastRecord] {
        var latest: [String: BroadcastRecord] = [:]
        for row in rows where latest[row.entryID]?.outcome.isFinal != true { latest[row.entryID] = row }
        return latest
    }
}

extension StationTime {
    /// A logged instant as the station's local time of day, `HH:MM:SS`; nil for none or one that
    /// is not a log instant.
    public func clock(logged stamp: String?) -> String? {
        stamp.flatMap(LogTime.date).map { TimeOfDay(seconds: Int(wallTime(of: $0).seconds)).withSeconds }
    }

    /// A logged instant as operators read it, `dd/mm/yyyy HH:MM:SS` local.
    public func display(logged stamp: String?) -> String? { stamp.flatMap(LogTime.date).map { display($0) } }
}
