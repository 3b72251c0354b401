import LoaModel

/// The broadcasts planned for a range of days, and every play that could not be planned.
public struct Plan: Sendable {
    public var station: String
    public var from: CivilDate
    public var through: CivilDate
    /// By date, then channel (config order), then start time.
    public var entries: [PlanEntry]
    public var shortfalls: [Shortfall]
}

/// One item on one channel: a campaign message, a session's opening or closing audio, or a relay
/// (tiếp sóng) block, whose `message` is the relay source's id and `audio` its URL or PCM.
public struct PlanEntry: Hashable, Sendable {
    public enum Role: String, Sendable {
        case opening, message, closing, relay
    }

    // Stored in this order (references, then words, then bytes) so an entry packs into 120 bytes:
    // a year's plan for a district holds about a million of them.
    public var channel: String
    public var session: String
    /// Nil for opening and closing audio and for relays.
    public var campaign: String?
    public var message: String
    /// The audio path as configured.
    public var audio: String
    /// Seconds since local midnight.
    public var start: Int
    /// Whole seconds the item occupies on air: its duration rounded up.
    public var slot: Int
    /// The audio's exact length in seconds.
    public var duration: Double
    /// Which play of its campaign in this session this is, from 1.
    public var ordinal: Int
    public var date: CivilDate
    public var role: Role
    public var priority: Priority

    public init(
        date: CivilDate, channel: String, session: String, role: Role, campaign: String?, priority: Priority,
        message: String, audio: String, start: Int, slot: Int, duration: Double, ordinal: Int
    ) {
        self.date = date
        self.channel = channel
        self.session = session
        self.role = role
        self.campaign = campaign
        self.priority = priority
        self.message = message
        self.audio = audio
        self.start = start
        self.slot = slot
        self.duration = duration
        self.ordinal = ordinal
    }

    public var end: Int { start + slot }

    /// Stable across runs and across the range planned: the broadcast log refers to entries by it.
    /// It names the place (day, channel, session) and the campaign's n-th play there, not the
    /// message, so re-planning a day with the same config gives the same ids.
    public var id: String {
        let base = "\(date)/\(channel)/\(session)/"
        switch role {
        case .opening: return base + "opening"
        case .closing: return base + "closing"
        case .relay: return base + "relay/" + TimeOfDay(seconds: start).withSeconds
        case .message: return base + (campaign ?? "") + "/" + String(ordinal)
        }
    }
}

/// Plays a campaign needed on one channel on one day that the plan could not hold.
public struct Shortfall: Hashable, Sendable {
    public enum Reason: String, Sendable {
        /// The sessions the campaign may use that day were full.
        case sessionFull = "session-full"
        /// The channel has no session the campaign may use that day.
        case noSession = "no-session"
        /// Every message is longer than the room any allowed session has, even empty.
        case audioTooLong = "audio-too-long"
        /// None of the campaign's audio files can be played.
        case audioUnavailable = "audio-unavailable"
    }

    public var campaign: String
    public var channel: String
    public var date: CivilDate
    public var required: Int
    public var planned: Int
    public var reason: Reason

    public var missing: Int { required - planned }

    /// The reason in the operator's words, the channel called by its name from the config.
    public func explanation(channelName: String) -> String {
        let channel = channelName
        let count = "xếp được \(planned)/\(required) lượt"
        switch reason {
        case .sessionFull:
            return "Các buổi phát của kênh \(channel) ngày \(date.vietnamese) đã kín, chỉ \(count)."
        case .noSession:
            return "Ngày \(date.vietnamese) kênh \(channel) không có buổi phát nào chiến dịch được dùng."
        case .audioTooLong:
            return "Bản tin dài hơn thời gian còn trống của mọi buổi phát được dùng, \(count)."
        case .audioUnavailable:
            return "Không có tệp âm thanh nào của chiến dịch phát được."
        }
    }
}
