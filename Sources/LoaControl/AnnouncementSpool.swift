import Foundation
import LoaLog
import LoaModel
import LoaSystem
import Logging
import Synchronization

/// An emergency or priority announcement (Thông tư 39): `loa announce` writes it to the spool, the
/// daemon plays it on the chosen channels, cutting in (emergency) or at the next item boundary
/// (priority), once or `repeat` times `every` seconds apart.
public struct AnnouncementRequest: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, CaseIterable {
        /// khẩn cấp: played at once, cutting in on what is playing.
        case emergency
        /// ưu tiên: played at the next item boundary.
        case priority

        /// As the log records an announcement of this level.
        public var role: BroadcastRole {
            switch self {
            case .emergency: .announcementEmergency
            case .priority: .announcementPriority
            }
        }

        /// As the log records a live broadcast of this level.
        public var liveRole: BroadcastRole {
            switch self {
            case .emergency: .liveEmergency
            case .priority: .livePriority
            }
        }
    }

    public var id: String
    public var audio: String
    /// Channel ids; nil for every channel.
    public var channels: [String]?
    public var level: Level
    public var repeatCount: Int
    public var everySeconds: Double
    public var requested: Date
    /// Seconds of audio, as probed by `loa announce`.
    public var duration: Double

    public init(
        id: String, audio: String, channels: [String]?, level: Level, repeatCount: Int, everySeconds: Double,
        requested: Date, duration: Double
    ) {
        self.id = id
        self.audio = audio
        self.channels = channels
        self.level = level
        self.repeatCount = repeatCount
        self.everySeconds = everySeconds
        self.requested = requested
        self.duration = duration
    }

    /// Bounds on what a request may ask, from the CLI, the console's form or a spool file.
    public enum Limits {
        public static let repeats = 1...48
        /// Between repeats: a minute to a day.
        public static let everySeconds = 60.0...86_400
        /// All repeats within a day.
        public static let spanSeconds = 86_400.0
        public static let channels = 1...64
        public static let textLength = 4_096
        public static let seconds = 0.01...3_600
        /// A spool file larger than this is not read.
        public static let fileBytes = 64 * 1024
    }

    /// Every bound above, with a message naming the field; nil when the request is sound.
    public func problem() -> String? {
        if !Limits.repeats.contains(repeatCount) {
            return "repeatCount \(repeatCount) is outside \(Limits.repeats.lowerBound)-\(Limits.repeats.upperBound)"
        }
        if repeatCount > 1 {
            guard everySeconds.isFinite, Limits.everySeconds.contains(everySeconds) else {
                return "everySeconds \(everySeconds) is outside 60 s-24 h (needed when repeating)"
            }
            if Double(repeatCount - 1) * everySeconds > Limits.spanSeconds {
                return "\(repeatCount) plays \(Int(everySeconds)) s apart run past 24 hours"
            }
        } else if !everySeconds.isFinite || everySeconds < 0 {
            return "everySeconds \(everySeconds) is not a duration"
        }
        if let channels {
            if !Limits.channels.contains(channels.count) { return "channels: between 1 and \(Limits.channels.upperBound) ids, or none for all" }
            if let bad = channels.first(where: { $0.isEmpty || $0.count > 64 || $0.contains(where: { $0.isWhitespace || $0 == "," }) }) {
                return "channels: '\(bad.prefix(64))' is not a channel id"
            }
        }
        if id.isEmpty || id.count > 64 || id.contains("/") || id.hasPrefix(".") { return "id '\(id.prefix(64))' is not a request id" }
        if audio.isEmpty || audio.utf8.count > Limits.textLength || !audio.hasPrefix("/") { return "audio must be an absolute path" }
        if !duration.isFinite || !Limits.seconds.contains(duration) { return "duration \(duration) s is outside 0.01 s-1 h" }
        if !requested.timeIntervalSince1970.isFinite { return "requested is not an instant" }
        return nil
    }

    /// A request id that sorts by time and differs between processes.
    public static func newID(at instant: Date) -> String { "\(Int(instant.timeIntervalSince1970 * 1000))-\(getpid())" }

    /// The plays this request asks of one channel.
    public func plays(on channel: String) -> [AnnouncementPlay] {
        guard channels?.contains(channel) ?? true else { return [] }
        return (0..<max(1, repeatCount)).map { n in
            AnnouncementPlay(
                entryID: "announcement/\(id)/\(channel)/\(n + 1)", audio: audio, level: level,
                due: requested.addingTimeInterval(Double(n) * everySeconds), duration: duration)
        }
    }
}

/// Why a request was refused.
public struct AnnouncementRefused: Error, CustomStringConvertible, Equatable {
    public var reason: String
    public var description: String { reason }
}

/// One play of an announcement on one channel.
public struct AnnouncementPlay: Sendable, Equatable {
    public var entryID: String
    public var audio: String
    public var level: AnnouncementRequest.Level
    public var due: Date
    public var duration: Double
}

/// The folder `loa announce` writes requests into and the daemon takes them from. A request is
/// written to a temporary name and renamed, so the daemon never reads half of one; once taken it
/// is moved to `taken/`, so a restart does not play it again.
public struct AnnouncementSpool: Sendable {
    public let folder: URL
    private var logger: Logger { Logger(label: "loa.spool") }

    /// Next to the log: `kha-son.sqlite` has `kha-son.spool/`.
    public init(logPath: String) {
        let log = URL(fileURLWithPath: logPath)
        folder = log.deletingPathExtension().appendingPathExtension("spool")
    }

    /// Writes a request for the daemon; one that breaks a bound is refused here, before it is written.
    public func submit(_ request: AnnouncementRequest) throws {
        if let problem = request.problem() { throw AnnouncementRefused(reason: problem) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(request)
        try DurableFile.write(data, to: folder.appendingPathComponent("\(request.id).json").path)
    }

    /// Requests waiting in the spool, oldest first, each moved to `taken/` as it is read. One that
    /// cannot be read or breaks a bound is moved to `rejected/` with a `.reason` file beside it,
    /// and the others go on.
    public func take() -> [AnnouncementRequest] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { return [] }
        let taken = folder.appendingPathComponent("taken")
        try? manager.createDirectory(at: taken, withIntermediateDirectories: true)
        return names.compactMap { name in
            let file = folder.appendingPathComponent(name)
            switch Self.decode(file) {
            case .success(let request):
                // Played only once it is out of the spool, so a restart cannot play it again.
                do {
                    try DurableFile.move(file.path, to: taken.appendingPathComponent(name).path)
                } catch {
                    logger.error("\(file.path): announcement request left in the spool, not played: \(error)")
                    return nil
                }
                return request
            case .failure(let refused):
                reject(file, name: name, reason: refused.reason)
                return nil
            }
        }
    }

    /// Reads one spool file: at most `Limits.fileBytes`, JSON of a request, every bound kept.
    public static func decode(_ file: URL) -> Result<AnnouncementRequest, AnnouncementRefused> {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        guard size <= AnnouncementRequest.Limits.fileBytes else {
            return .failure(AnnouncementRefused(reason: "\(size) bytes; a request is at most \(AnnouncementRequest.Limits.fileBytes)"))
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return .failure(AnnouncementRefused(reason: "cannot be read"))
        }
        return decode(data)
    }

    public static func decode(_ data: Data) -> Result<AnnouncementRequest, AnnouncementRefused> {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let request: AnnouncementRequest
        do {
            request = try decoder.decode(AnnouncementRequest.self, from: data)
        } catch {
            return .failure(AnnouncementRefused(reason: "not a request: \(error)"))
        }
        if let problem = request.problem() { return .failure(AnnouncementRefused(reason: problem)) }
        return .success(request)
    }

    private func reject(_ file: URL, name: String, reason: String) {
        let rejected = folder.appendingPathComponent("rejected")
        try? FileManager.default.createDirectory(at: rejected, withIntermediateDirectories: true)
        do {
            try DurableFile.move(file.path, to: rejected.appendingPathComponent(name).path)
            try DurableFile.write(Data((reason + "\n").utf8), to: rejected.appendingPathComponent(name + ".reason").path)
        } catch {
            logger.error("\(file.path): cannot move a refused announcement request to rejected/: \(error)")
        }
        logger.error("\(file.path): announcement request refused and moved to rejected/: \(reason)")
    }

    /// Calls `changed` each time something is renamed into the spool; throws when inotify cannot
    /// watch it.
    public func watch(_ changed: @escaping @Sendable () -> Void) throws(SystemError) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FolderWatch.start([folder.path], thread: "loa-spool", changed: changed)
    }
}
