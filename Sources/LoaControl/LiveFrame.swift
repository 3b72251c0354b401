import Foundation

/// One message of a live broadcast (nói trực tiếp), as the browser sends it to the console over
/// its WebSocket and the console hands it to the daemon over the live socket, unchanged:
///
/// - `S` then JSON: the start (browser: channels and level; console to daemon: a ``LiveStart``),
///   or the daemon's answer (a ``LiveStatus``);
/// - `A` then 3 zero bytes, a UInt32 LE sequence number, a Float64 LE capture time (ms since the
///   Unix epoch, the sender's clock) and 1...``Limits/samples`` Int16 LE samples, mono, 48 kHz;
/// - `E`: the speaker ended it.
///
/// Raw PCM, not Opus: an AudioWorklet hands out 128-frame quanta at once, nothing to encode in
/// the browser or decode here, and 768 kbit/s is nothing to a commune's Wi-Fi or loopback.
public enum LiveFrame: Equatable, Sendable {
    case start(Data)
    case audio(sequence: UInt32, captured: Double, samples: [Int16])
    case end

    public static let rate = 48_000
    static let headerBytes = 16

    public enum Limits {
        /// 100 ms of audio in one frame (a browser sends 20 ms).
        public static let samples = 4_800
        /// A start or status message's JSON.
        public static let jsonBytes = 4_096
        /// The largest message of either kind.
        public static let messageBytes = headerBytes + samples * 2
    }

    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Reads one message; anything else is ``Malformed`` with the reason, never a trap.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(Malformed) -> LiveFrame {
        guard let kind = bytes.first else { throw Malformed(reason: "an empty message") }
        guard bytes.count <= Limits.messageBytes else {
            throw Malformed(reason: "\(bytes.count) bytes; a message is at most \(Limits.messageBytes)")
        }
        switch kind {
        case UInt8(ascii: "S"):
            guard bytes.count > 1, bytes.count - 1 <= Limits.jsonBytes else {
                throw Malformed(reason: "a start message carries 1-\(Limits.jsonBytes) bytes of JSON")
            }
            return .start(Data(bytes[1...]))
        case UInt8(ascii: "E"):
            guard bytes.count == 1 else { throw Malformed(reason: "an end message is one byte") }
            return .end
        case UInt8(ascii: "A"):
            let payload = bytes.count - headerBytes
            guard payload >= 2, payload % 2 == 0, payload / 2 <= Limits.samples else {
                throw Malformed(reason: "an audio message carries 1-\(Limits.samples) 16-bit samples after a \(headerBytes)-byte header")
            }
            guard bytes[1] == 0, bytes[2] == 0, bytes[3] == 0 else { throw Malformed(reason: "unknown audio message version") }
            let sequence = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let captured = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            guard captured.isFinite, captured >= 0 else { throw Malformed(reason: "the capture time is not an instant") }
            let samples = (0..<(payload / 2)).map {
                Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: headerBytes + 2 * $0, as: Int16.self))
            }
            return .audio(sequence: sequence, captured: captured, samples: samples)
        default:
            throw Malformed(reason: "unknown message kind \(kind)")
        }
    }

    public static func parse(_ data: Data) throws(Malformed) -> LiveFrame {
        let result = data.withUnsafeBytes { bytes in Result { () throws(Malformed) in try parse(bytes) } }
        return try result.get()
    }

    public var isStart: Bool {
        if case .start = self { return true }
        return false
    }

    /// The message's bytes, as ``parse(_:)`` reads them.
    public var encoded: Data {
        switch self {
        case .start(let json): return Data([UInt8(ascii: "S")]) + json
        case .end: return Data([UInt8(ascii: "E")])
        case .audio(let sequence, let captured, let samples):
            var data = Data([UInt8(ascii: "A"), 0, 0, 0])
            withUnsafeBytes(of: sequence.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: captured.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            samples.withUnsafeBufferPointer { buffer in
                for sample in buffer { withUnsafeBytes(of: sample.littleEndian) { data.append(contentsOf: $0) } }
            }
            return data
        }
    }
}

/// The console's start of a live broadcast, as the daemon receives it. The speaker is the
/// logged-in account, never what a browser says.
public struct LiveStart: Codable, Sendable, Equatable {
    public var id: String
    /// The account and the name the log and `loa status` show.
    public var account: String
    public var speaker: String
    /// Channel ids; nil for every channel.
    public var channels: [String]?
    public var level: AnnouncementRequest.Level

    public init(id: String, account: String, speaker: String, channels: [String]?, level: AnnouncementRequest.Level) {
        self.id = id
        self.account = account
        self.speaker = speaker
        self.channels = channels
        self.level = level
    }

    /// Every bound, with a message naming the field; nil when sound.
    public func problem() -> String? {
        if id.isEmpty || id.count > 64 || id.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-")) }) {
            return "id '\(id.prefix(64))' is not a broadcast id"
        }
        if account.isEmpty || account.count > 64 { return "account: 1-64 characters" }
        if speaker.isEmpty || speaker.count > 120 || speaker.contains(where: \.isNewline) { return "speaker: 1-120 characters on one line" }
        if let channels {
            if !AnnouncementRequest.Limits.channels.contains(channels.count) { return "channels: between 1 and 64 ids, or none for all" }
            if let bad = channels.first(where: { $0.isEmpty || $0.count > 64 || $0.contains(where: \.isWhitespace) }) {
                return "channels: '\(bad.prefix(64))' is not a channel id"
            }
        }
        return nil
    }

    public static func decode(_ json: Data) -> Result<LiveStart, LiveFrame.Malformed> {
        guard let start = try? JSONDecoder().decode(LiveStart.self, from: json) else {
            return .failure(.init(reason: "the start is not {id, account, speaker, channels, level}"))
        }
        if let problem = start.problem() { return .failure(.init(reason: problem)) }
        return .success(start)
    }
}

/// What the daemon tells the console (and the console the browser) of a live broadcast.
public struct LiveStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Taken: waiting for the channels (ưu tiên: the item on air ends first).
        case waiting
        case onAir = "on-air"
        case ended
        case refused
    }

    public var state: State
    /// Channel ids on air now.
    public var channels: [String]
    /// Why it ended or was refused, in Vietnamese for the operator.
    public var message: String?
    /// Who is on air, when refused because someone is.
    public var speaker: String?
    /// Seconds aired, when ended.
    public var seconds: Double?
    /// The recording's file name in the library, when ended.
    public var recording: String?
    /// From capture to the device, over the frames aired (ms), when ended.
    public var delayP50: Double?
    public var delayP95: Double?

    public init(
        state: State, channels: [String] = [], message: String? = nil, speaker: String? = nil, seconds: Double? = nil,
        recording: String? = nil, delayP50: Double? = nil, delayP95: Double? = nil
    ) {
        self.state = state
        self.channels = channels
        self.message = message
        self.speaker = speaker
        self.seconds = seconds
        self.recording = recording
        self.delayP50 = delayP50
        self.delayP95 = delayP95
    }

    public var frame: LiveFrame { .start((try? JSONEncoder().encode(self)) ?? Data("{}".utf8)) }
}
