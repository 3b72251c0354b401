import Foundation
import LoaLog
import Synchronization

/// What the running daemon tells `loa status` and the console that the log cannot: whether it is
/// running, whether its log can be written, and which config it refused. Kept in a small JSON
/// file beside the log (`kha-son.state.json`), of a fixed size made at start and rewritten in
/// place, so it can still be written when the disk is full.
public struct DaemonState: Codable, Sendable, Equatable {
    public var pid: Int32
    public var startedAt: Date
    /// Rewritten at every change and at least every `heartbeatSeconds` while the daemon runs: a
    /// daemon that died stopped at most that long after it.
    public var updatedAt: Date
    /// The log cannot be written: why (with the path), and since when.
    public var logProblem: String?
    public var logProblemSince: Date?
    /// `station.yaml` was refused: the daemon airs its last good config, or waits for one.
    public var configProblem: Problem?
    /// Campaign files set aside for their errors, each as its first error.
    public var setAside: [Problem]
    /// The live broadcast on air, if one is.
    public var live: Live?

    /// Who speaks live, where, since when.
    public struct Live: Codable, Sendable, Equatable {
        public var speaker: String
        /// Channel ids; nil for every channel.
        public var channels: [String]?
        public var level: AnnouncementRequest.Level
        public var since: Date

        public init(speaker: String, channels: [String]?, level: AnnouncementRequest.Level, since: Date) {
            self.speaker = speaker
            self.channels = channels
            self.level = level
            self.since = since
        }
    }

    /// A config problem in the engineer's English (`loa status`) and the operator's Vietnamese
    /// (the console).
    public struct Problem: Codable, Sendable, Equatable {
        public var english: String
        public var vietnamese: String

        public init(english: String, vietnamese: String) {
            self.english = english
            self.vietnamese = vietnamese
        }
    }

    static let fileBytes = 8192

    /// How often a running daemon rewrites the file with nothing else to say: every five minutes,
    /// so an idle daemon wakes (timer thread, then a station thread) well under once a minute. A
    /// daemon that exits or is killed is known stopped at once (its pid); the heartbeat tells a
    /// hung one.
    public static let heartbeatSeconds = 300.0
    /// A daemon silent for three heartbeats is taken as not running, though its pid lives (hung).
    static let silentSeconds = 3 * heartbeatSeconds

    public static func path(logPath: String) -> String {
        URL(fileURLWithPath: logPath).deletingPathExtension().path + ".state.json"
    }

    /// The state the daemon of this log last wrote, if any.
    public static func read(logPath: String) -> DaemonState? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // The daemon rewrites the file in place: a read that met a write is read again.
        for _ in 0..<3 {
            guard let data = FileManager.default.contents(atPath: path(logPath: logPath)) else { return nil }
            if let state = try? decoder.decode(DaemonState.self, from: data) { return state }
            usleep(2000)
        }
        return nil
    }

    /// Whether the daemon that wrote this is running: the `loa` process of that pid lives, and its
    /// heartbeat is fresh.
    public var isRunning: Bool {
        guard Date().timeIntervalSince(updatedAt) < Self.silentSeconds else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        return command.trimmingCharacters(in: .whitespacesAndNewlines) == "loa"
    }

    /// Whether a daemon runs for this log now: what an announcement needs to air.
    public static func daemonRuns(logPath: String) -> Bool { read(logPath: logPath)?.isRunning == true }
}

/// The daemon's side of ``DaemonState``: channels report log trouble here, the station runner
/// the config it refused; the file is rewritten only when something changed.
public final class DaemonHealth: Sendable {
    private let descriptor: Int32
    private let path: String
    private let state: Mutex<DaemonState>

    /// Makes the file at its full size now, while there is room.
    public init(logPath: String, now: Date = Date()) {
        path = DaemonState.path(logPath: logPath)
        // Made before the log is opened (which may wait), so its folder may not exist yet.
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor >= 0 { _ = posix_fallocate(descriptor, 0, off_t(DaemonState.fileBytes)) }
        state = Mutex(
            DaemonState(
                pid: getpid(), startedAt: now, updatedAt: now, logProblem: nil, logProblemSince: nil, configProblem: nil,
                setAside: [], live: nil))
        write()
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public var current: DaemonState { state.withLock { $0 } }

    public func logFailed(_ error: any Error) {
        let text = "\(error)"
        change { state in
            guard state.logProblem != text else { return false }
            if state.logProblem == nil { state.logProblemSince = Date() }
            state.logProblem = text
            return true
        }
    }

    public func logWorked() {
        change { state in
            guard state.logProblem != nil else { return false }
            state.logProblem = nil
            state.logProblemSince = nil
            return true
        }
    }

    /// A live broadcast went on air (or, nil, ended).
    public func live(_ live: DaemonState.Live?) {
        change { state in
            guard state.live != live else { return false }
            state.live = live
            return true
        }
    }

    /// Says the daemon is alive: the file rewritten with a new `updatedAt`.
    public func heartbeat() { write() }

    public func config(problem: DaemonState.Problem?, setAside: [DaemonState.Problem]) {
        change { state in
            guard state.configProblem != problem || state.setAside != setAside else { return false }
            state.configProblem = problem
            state.setAside = setAside
            return true
        }
    }

    private func change(_ body: (inout DaemonState) -> Bool) {
        guard state.withLock({ body(&$0) }) else { return }
        write()
    }

    /// Rewrites the file in place, padded to its fixed size; what does not fit of the set-aside
    /// list is left out.
    private func write() {
        guard descriptor >= 0 else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var snapshot = state.withLock { state in
            state.updatedAt = Date()
            return state
        }
        var data = (try? encoder.encode(snapshot)) ?? Data()
        while data.count >= DaemonState.fileBytes, !snapshot.setAside.isEmpty {
            snapshot.setAside.removeLast()
            data = (try? encoder.encode(snapshot)) ?? Data()
        }
        guard data.count < DaemonState.fileBytes else { return }
        data.append(contentsOf: repeatElement(UInt8(ascii: " "), count: DaemonState.fileBytes - data.count))
        _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }
}
