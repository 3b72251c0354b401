import Foundation
import LoaModel
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

    public init(folder: URL) { self.folder = folder }

    /// Next to the log: `kha-son.sqlite` has `kha-son.spool/`.
    public init(logPath: String) {
        let log = URL(fileURLWithPath: logPath)
        folder = log.deletingPathExtension().appendingPathExtension("spool")
    }

    public func submit(_ request: AnnouncementRequest) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(request)
        let temporary = folder.appendingPathComponent(".\(request.id).tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, folder.appendingPathComponent("\(request.id).json").path) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Requests waiting in the spool, oldest first, each moved to `taken/` as it is read.
    public func take() -> [AnnouncementRequest] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { return [] }
        let taken = folder.appendingPathComponent("taken")
        try? manager.createDirectory(at: taken, withIntermediateDirectories: true)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return names.compactMap { name in
            let file = folder.appendingPathComponent(name)
            let request = (try? Data(contentsOf: file)).flatMap { try? decoder.decode(AnnouncementRequest.self, from: $0) }
            _ = rename(file.path, taken.appendingPathComponent(name).path)
            return request
        }
    }

    /// Calls `changed` each time something is renamed into the spool.
    public func watch(_ changed: @escaping @Sendable () -> Void) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        FolderWatch.start([folder.path], thread: "loa-spool", changed: changed)
    }
}

/// A channel's queue of announcement plays. The daemon puts plays in; the channel runner takes
/// the due ones between items, and an emergency stops the item on air.
public final class AnnouncementInbox: Sendable {
    private struct State {
        var pending: [AnnouncementPlay] = []
        var onEmergency: (@Sendable () -> Void)?
        var waiter: CheckedContinuation<Void, Never>?
        /// A wake-up that came while nobody waited: the next wait returns at once.
        var woken = false
    }

    private let state = Mutex(State())

    public init() {}

    public func add(_ plays: [AnnouncementPlay]) {
        guard !plays.isEmpty else { return }
        let (stop, waiter) = state.withLock { state -> ((@Sendable () -> Void)?, CheckedContinuation<Void, Never>?) in
            state.pending += plays
            state.pending.sort { ($0.level == .emergency ? 0 : 1, $0.due) < ($1.level == .emergency ? 0 : 1, $1.due) }
            let waiter = state.waiter
            state.waiter = nil
            state.woken = waiter == nil
            return (plays.contains { $0.level == .emergency } ? state.onEmergency : nil, waiter)
        }
        stop?()
        waiter?.resume()
    }

    /// Plays due at `now`, taken out of the queue, emergencies first.
    func takeDue(at now: Date) -> [AnnouncementPlay] {
        state.withLock { state in
            let due = state.pending.filter { $0.due <= now }
            state.pending.removeAll { $0.due <= now }
            return due
        }
    }

    var nextDue: Date? { state.withLock { $0.pending.map(\.due).min() } }

    /// While `body` runs, an emergency arriving calls `stop`.
    func onEmergency<T>(_ stop: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
        state.withLock { $0.onEmergency = stop }
        defer { state.withLock { $0.onEmergency = nil } }
        return try await body()
    }

    /// Returns when a play is added (or `wake` is called).
    func waitForArrival() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.woken {
                    state.woken = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Wakes a pending `waitForArrival` without adding anything (on cancellation).
    func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            state.woken = state.waiter == nil
            return state.waiter
        }
        waiter?.resume()
    }
}
