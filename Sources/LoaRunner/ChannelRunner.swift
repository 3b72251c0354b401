import Foundation
import LoaControl
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout
import LoaRelay
import Logging
import Synchronization

/// How the runner treats lateness.
public struct RunnerSettings: Sendable {
    /// An item may start this late; later than that it is missed.
    public var grace: Duration
    /// How long before an item's start its file and device are opened.
    public var prepareAhead: Duration
    /// A wall-clock change this much larger or smaller than the monotonic time passed is a jump.
    public var jumpThreshold: Duration
    /// First and longest wait between tries of a failing device (it doubles in between).
    public var firstBackoff: Duration
    public var maximumBackoff: Duration

    public init(
        grace: Duration = .seconds(600), prepareAhead: Duration = .milliseconds(300),
        jumpThreshold: Duration = .seconds(2), firstBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(60)
    ) {
        self.grace = grace
        self.prepareAhead = prepareAhead
        self.jumpThreshold = jumpThreshold
        self.firstBackoff = firstBackoff
        self.maximumBackoff = maximumBackoff
    }
}

/// Plays one channel's entries for one day, in order, and logs every one of them exactly once
/// with its outcome:
/// - an entry the log already settled (completed, failed, missed, skipped) is never played again;
///   an interrupted one is played again from its start if it still fits;
/// - an entry starts at its planned time, or as soon after as the previous one ends; one that
///   can start no later than `grace` after its planned time plays if it ends by the session's end,
///   and is `skipped` (`no-time-left`) otherwise; one later than `grace` is `missed`, with the
///   reason: a clock jump seen, a device down, or the daemon not running then;
/// - a missed or skipped decision is written at once only on a clock the kernel calls
///   synchronised; otherwise it is held until the clock is (or the day ends), and a clock set back
///   meanwhile has every held decision taken again, so a PC that booted hours ahead airs the
///   session NTP brings back into the future;
/// - a file that cannot be read fails that entry only; a device that fails fails the entry, and
///   the channel waits (backing off) before trying the device again;
/// - nothing goes on air while the log cannot be written, and an item that aired is settled,
///   however long the log takes to accept it, before the channel goes on;
/// - a new plan (config changed) is taken at the next item boundary: the item on air plays on
///   unless the new plan withdrew its entry, which is then cut (`withdrawn`).
public struct ChannelRunner: Sendable {
    public let station: Station
    public let channel: Channel
    public let log: BroadcastLog
    public let clock: any RunnerClock
    public let player: any ItemPlayer
    public let settings: RunnerSettings
    /// Emergency and priority announcements for this channel.
    public let inbox: AnnouncementInbox?
    /// New plans from the station runner; nil when this runner plays one fixed list.
    public let updates: PlanUpdates?
    /// Where log trouble is reported for `loa status`.
    public let health: DaemonHealth?
    /// The probed peak of each audio path, to tell a silent output from silent audio.
    public let peaks: [String: Double]
    let logger = Logger(label: "loa.runner")

    public init(
        station: Station, channel: Channel, log: BroadcastLog, clock: any RunnerClock, player: any ItemPlayer,
        settings: RunnerSettings = RunnerSettings(), inbox: AnnouncementInbox? = nil,
        updates: PlanUpdates? = nil, health: DaemonHealth? = nil, peaks: [String: Double] = [:]
    ) {
        self.inbox = inbox
        self.station = station
        self.channel = channel
        self.log = log
        self.clock = clock
        self.player = player
        self.settings = settings
        self.updates = updates
        self.health = health
        self.peaks = peaks
    }

    /// Why `run` returned.
    public enum End: Sendable, Equatable {
        /// The entries are done and the serving time is over.
        case dayDone
        /// A new plan was published: run again with its entries.
        case replanned
        /// The clock was set to another day: plan that day.
        case dateChanged
        case cancelled
    }

    /// Runs the day's entries of this channel (sorted by start), then keeps serving announcements
    /// until `servingUntil` (the daemon passes midnight). Returns then, when a new plan arrives,
    /// or when the task is cancelled (the item playing then fades out and is logged interrupted).
    @discardableResult
    public func run(_ entries: [PlanEntry], on date: CivilDate, servingUntil: Date? = nil) async -> End {
        let generation = updates?.generation
        let mine = entries.filter { $0.channel == channel.id }
        var pass = DayPass(runner: self, date: date)
        while true {
            guard await pass.start() else { return .cancelled }
            var end = await pass.play(mine, generation: generation)
            if case .entriesDone = end, let servingUntil {
                end = await pass.waitUntil(servingUntil, generation: generation) ?? .entriesDone
            }
            switch end {
            case .clockSetBack:
                logger.warning("the clock was set back; deciding again what was decided on it", metadata: ["channel": "\(channel.id)"])
                if StationTime(zone: station.timeZone).wallTime(of: clock.now()).date != date { return .dateChanged }
            case .entriesDone:
                pass.commitHeld(force: true)
                return .dayDone
            case .stopped(let end):
                return end
            }
        }
    }

    /// How long before an item's second its runner wakes: time to write (and fsync) the row that
    /// it is starting, then to arrive on the second. The write is that far off the start's path.
    static let startLead = 0.030

    /// The one way an item, plan entry or announcement, goes on air: its row is written (with the
    /// start it is about to have: `start`, or now), then it plays from `start` (fading out on
    /// shutdown, or on an emergency when `preempted` is given), then the row is settled. Nil when
    /// the log cannot be written, in which case nothing is played.
    func air(
        _ prepared: any PreparedItem, _ record: BroadcastRecord, at start: Date? = nil, duration: Double, preempted: Preemption?
    ) async -> Aired? {
        var started = record
        let now = clock.now()
        started.actualStart = LogTime.string(max(start ?? now, now))
        let rowID: Int64
        do {
            rowID = try log.started(started)
            health?.logWorked()
        } catch {
            health?.logFailed(error)
            logger.error("\(error); not playing \(record.entryID)")
            return nil
        }
        // The row (synced to disk) is written before the second, so the first sample leaves on it:
        // a sleep to 2 ms before it (freeing the thread for other channels), then the player
        // arrives on it.
        if let start {
            let early = start.timeIntervalSince(clock.now()) - 0.002
            if early > 0 { try? await clock.sleep(for: .seconds(early)) }
        }
        let control = PlaybackControl()
        // On the monotonic clock, when the first sample leaves: at `start`, now or just after.
        let began = clock.monotonic() + .seconds(max(0, start?.timeIntervalSince(clock.now()) ?? 0))
        updates?.airing(record.entryID) { control.requestStop() }
        let outcome: Settlement
        do {
            let played = try await withTaskCancellationHandler {
                try await preemptible(control, preempted) { try await prepared.play(from: start ?? now, on: clock, control: control) }
            } onCancel: {
                control.requestStop()
            }
            let withdrawn = updates?.offAir() ?? false
            let cut =
                preempted?.happened == true
                ? Settlement(.interrupted, .preempted, "cut off with a fade for an emergency announcement", played.seconds)
                : withdrawn
                ? Settlement(.interrupted, .withdrawn, "cut off with a fade: a config change withdrew it from the plan", played.seconds)
                : Settlement(.interrupted, .shutdown, "cut off with a fade: the daemon was stopped", played.seconds)
            outcome =
                record.role.isLive
                ? Settlement(live: played.live, seconds: played.seconds, cut: cut)
                : played.relay.map { Settlement(relayed: $0, completed: played.completed, cut: cut) }
                ?? (played.completed && played.silent
                ? Settlement(.failed, .silentOutput, "the device got digital silence where the audio has sound", played.seconds)
                : played.completed ? Settlement(.completed, nil, nil, played.seconds) : cut)
            if let relay = played.relay { await logFallbacks(relay, of: record, from: max(start ?? now, now)) }
        } catch PlayoutError.device(let problem) {
            _ = updates?.offAir()
            // What reached the device before it failed, as measured: the item was on air that long.
            let seconds = min(duration, (clock.monotonic() - began) / .seconds(1))
            outcome = Settlement(.interrupted, .deviceUnavailable, problem.description, seconds)
        } catch {
            _ = updates?.offAir()
            outcome = Settlement(.failed, .audioUnreadable, "\(error)", 0)
        }
        let end = clock.now()
        // A live broadcast's recording was closed as it ended: its hash is sealed with the row.
        let recording = record.role.isLive && !record.audio.isEmpty ? AudioHashes.shared.hash(of: URL(fileURLWithPath: record.audio)) : nil
        await settle(row: rowID, outcome, at: end, audioSHA256: recording)
        if outcome.outcome != .completed {
            logger.warning("\(record.entryID): \(outcome.outcome.rawValue): \(outcome.reason ?? "")", metadata: ["channel": "\(channel.id)"])
        }
        return Aired(outcome: outcome.outcome, reasonCode: outcome.reasonCode, end: end)
    }

    /// Writes a row for each outage of a relay block: what aired instead (the fallback audio, or
    /// silence), when, for how long, and why, retrying as a settlement does.
    private func logFallbacks(_ relay: RelayPlay, of block: BroadcastRecord, from start: Date) async {
        let source = station.relaySource(block.message), time = StationTime(zone: station.timeZone)
        for outage in relay.outages {
            let from = start.addingTimeInterval(outage.offset)
            var row = block
            row.scheduledStart = LogTime.string(from)
            row.actualStart = row.scheduledStart
            row.entryID = block.entryID + "/fallback/" + (time.clock(logged: row.scheduledStart) ?? row.scheduledStart)
            row.role = .relayFallback
            // The playlist as configured; its hash only where it is one file, so the row names what aired.
            let fallback = source?.fallback ?? []
            row.message = fallback.first?.stem ?? "silence"
            row.audio = fallback.map(\.path).joined(separator: ", ")
            row.audioSHA256 = fallback.count == 1 ? AudioHashes.shared.hash(of: fallback[0].url) : nil
            let written: Void? = await clock.retrying(upTo: .seconds(30)) { error, wait in
                health?.logFailed(error)
                logger.error("cannot log the fallback of \(block.entryID): \(error); trying again in \(wait)")
            } _: {
                let id = try log.started(row)
                try log.finished(
                    id: id, outcome: .completed, actualEnd: from.addingTimeInterval(outage.seconds), playedSeconds: outage.seconds,
                    reasonCode: outage.reason, reason: outage.detail)
            }
            if written != nil { health?.logWorked() }
            logger.warning(
                "\(block.entryID): relay source \(outage.reason.rawValue) for \(Int(outage.seconds)) s: \(outage.detail)",
                metadata: ["channel": "\(channel.id)"])
        }
    }

    /// Settles a row that went on air, retrying until the log takes it: the item aired, and a row
    /// left `playing` would be replayed after a restart. Gives up only when the daemon stops.
    private func settle(row: Int64, _ settlement: Settlement, at end: Date, audioSHA256: String? = nil) async {
        let settled: Void? = await clock.retrying(upTo: .seconds(30)) { error, wait in
            health?.logFailed(error)
            logger.error("cannot settle broadcast row \(row): \(error); trying again in \(wait)")
        } _: {
            try log.finished(
                id: row, outcome: settlement.outcome, actualEnd: end, playedSeconds: settlement.seconds,
                reasonCode: settlement.reasonCode, reason: settlement.reason, audioSHA256: audioSHA256)
        }
        if settled != nil { health?.logWorked() }
    }

    /// While `body` plays, an emergency arriving fades it out (when the item may be preempted).
    private func preemptible<T>(
        _ control: PlaybackControl, _ preempted: Preemption?, _ body: () async throws -> T
    ) async rethrows -> T {
        guard let inbox, let preempted else { return try await body() }
        return try await inbox.onEmergency({
            preempted.mark()
            control.requestStop()
        }, body)
    }

    /// Plays the live broadcasts waiting and the announcements due now, each logged like any
    /// broadcast.
    func playAnnouncements(_ pass: inout DayPass) async {
        guard let inbox else { return }
        for play in inbox.takeLive() where !Task.isCancelled { await playLive(play, &pass) }
        for play in inbox.takeDue(at: clock.now()) where !Task.isCancelled {
            let time = StationTime(zone: station.timeZone)
            let record = BroadcastRecord(
                entryID: play.entryID, date: time.wallTime(of: play.due).date, station: station.name,
                channel: channel.id, channelKind: channel.kind, session: StationNames.announcementSession, campaign: nil,
                message: URL(fileURLWithPath: play.audio).deletingPathExtension().lastPathComponent,
                role: play.level.role, audio: play.audio,
                audioSHA256: AudioHashes.shared.hash(of: URL(fileURLWithPath: play.audio)),
                scheduledStart: LogTime.string(play.due), timeZone: station.timeZone, device: channel.device)
            if clock.now().timeIntervalSince(play.due) > settings.grace / .seconds(1) {
                pass.decide(record, .missed, .daemonNotRunning, "announcement was due more than the grace ago", holdable: false)
                continue
            }
            let prepared: any PreparedItem
            do {
                prepared = try player.prepare(
                    audio: URL(fileURLWithPath: play.audio), device: channel.device, gainDB: channel.gainDB,
                    duration: play.duration, sourcePeak: nil)
            } catch {
                pass.decide(
                    record, .failed, error.isDevice ? .deviceUnavailable : .audioUnreadable, error.description, holdable: false)
                continue
            }
            _ = await air(prepared, record, duration: play.duration, preempted: nil)
        }
    }

    /// This channel's part in a live broadcast, on air until the speaker ends it; one that ended
    /// before the channel was free (ưu tiên, behind a long item) never aired and has no row.
    private func playLive(_ play: LivePlay, _ pass: inout DayPass) async {
        guard play.broadcast.ending == nil else {
            logger.warning("live broadcast \(play.start.id) ended before the channel was free", metadata: ["channel": "\(channel.id)"])
            return
        }
        let time = StationTime(zone: station.timeZone)
        let record = BroadcastRecord(
            entryID: "live/\(play.start.id)/\(channel.id)", date: time.wallTime(of: clock.now()).date, station: station.name,
            channel: channel.id, channelKind: channel.kind, session: StationNames.liveSession, campaign: nil, message: play.start.speaker,
            role: play.start.level.liveRole, audio: play.recording.path, audioSHA256: nil, scheduledStart: LogTime.string(play.requested),
            timeZone: station.timeZone, device: channel.device)
        let prepared: any PreparedItem
        do {
            prepared = try player.prepareLive(play.broadcast, channel: channel.id, device: channel.device, gainDB: channel.gainDB)
        } catch {
            pass.decide(record, .failed, .deviceUnavailable, error.description, holdable: false)
            return
        }
        _ = await air(prepared, record, duration: LiveBroadcast.timeLimit, preempted: nil)
    }

    func makeRecord(_ entry: PlanEntry, file: URL?, scheduled: Date) -> BroadcastRecord {
        BroadcastRecord(
            entryID: entry.id, date: entry.date, station: station.name, channel: channel.id,
            channelKind: channel.kind, session: entry.session, campaign: entry.campaign, message: entry.message,
            role: entry.role.logged, audio: entry.audio,
            audioSHA256: file.flatMap { AudioHashes.shared.hash(of: $0) },
            scheduledStart: LogTime.string(scheduled), timeZone: station.timeZone, device: channel.device)
    }

    func sleepOrArrival(_ duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: duration) }
            if let inbox {
                group.addTask {
                    await inbox.waitForArrival()
                }
            }
            if let updates { group.addTask { await updates.published.wait() } }
            await group.next()
            group.cancelAll()
        }
    }

    /// How an item left the air.
    struct Aired {
        var outcome: Outcome
        var reasonCode: ReasonCode?
        var end: Date
    }

    /// What a settled row says.
    struct Settlement {
        var outcome: Outcome
        var reasonCode: ReasonCode?
        var reason: String?
        var seconds: Double

        init(_ outcome: Outcome, _ reasonCode: ReasonCode?, _ reason: String?, _ seconds: Double) {
            self.outcome = outcome
            self.reasonCode = reasonCode
            self.reason = reason
            self.seconds = seconds
        }

        /// A live broadcast's row: completed when the speaker ended it, interrupted when the
        /// phone dropped, the bound came, or the daemon cut it.
        init(live ending: LiveBroadcast.Ending?, seconds: Double, cut: Settlement) {
            switch ending {
            case .ended?: self.init(.completed, nil, "ended by the speaker", seconds)
            case .dropped(let detail)?: self.init(.interrupted, .connectionLost, detail, seconds)
            case .timeLimit?: self.init(.interrupted, .timeLimit, "reached the \(Int(LiveBroadcast.timeLimit / 60))-minute bound", seconds)
            case nil: self.init(cut.outcome, cut.reasonCode, cut.reason, seconds)
            }
        }

        /// A relay block's row counts the seconds of its source alone; one that relayed nothing
        /// failed, for the reason of its first outage.
        init(relayed relay: RelayPlay, completed: Bool, cut: Settlement) {
            let fallback = relay.outages.reduce(0) { $0 + $1.seconds }
            let summary =
                relay.outages.isEmpty
                ? nil : "relayed \(Int(relay.relayedSeconds.rounded())) s; fallback \(Int(fallback.rounded())) s in \(relay.outages.count) outage(s)"
            if !completed {
                self.init(cut.outcome, cut.reasonCode, [cut.reason, summary].compactMap { $0 }.joined(separator: "; "), relay.relayedSeconds)
            } else if relay.relayedSeconds == 0, let first = relay.outages.first {
                self.init(.failed, first.reason, "nothing relayed: \(first.detail)", 0)
            } else {
                self.init(.completed, nil, summary, relay.relayedSeconds)
            }
        }
    }
}

/// Set when an emergency cut the item on air.
final class Preemption: Sendable {
    private let flag = Mutex(false)
    func mark() { flag.withLock { $0 = true } }
    var happened: Bool { flag.withLock { $0 } }
}

extension PlayoutError {
    var isDevice: Bool {
        if case .device = self { return true }
        return false
    }
}

/// Notices when the wall clock moves differently from the monotonic one.
struct JumpWatch {
    let clock: any RunnerClock
    let threshold: Duration
    private var wall: Date
    private var monotonic: Duration
    private(set) var jumpedForward = false
    /// Set back (NTP correcting a clock that booted ahead): what was decided on it is decided again.
    private(set) var steppedBack = false

    init(clock: any RunnerClock, threshold: Duration) {
        self.clock = clock
        self.threshold = threshold
        wall = clock.now()
        monotonic = clock.monotonic()
    }

    mutating func check() {
        let nowWall = clock.now(), nowMonotonic = clock.monotonic()
        let drift = nowWall.timeIntervalSince(wall) - (nowMonotonic - monotonic) / .seconds(1)
        if drift > threshold / .seconds(1) { jumpedForward = true }
        if drift < -(threshold / .seconds(1)) { steppedBack = true }
        wall = nowWall
        monotonic = nowMonotonic
    }
}

/// A device that failed is tried again after a backoff that doubles up to a ceiling.
struct DeviceHealth {
    let firstBackoff: Duration
    let maximumBackoff: Duration
    private(set) var retryAt: Date?
    private var backoff: Duration

    init(firstBackoff: Duration, maximumBackoff: Duration) {
        self.firstBackoff = firstBackoff
        self.maximumBackoff = maximumBackoff
        backoff = firstBackoff
    }

    var isDown: Bool { retryAt != nil }

    mutating func failed(at now: Date) {
        retryAt = now.addingTimeInterval(backoff / .seconds(1))
        backoff = min(backoff * 2, maximumBackoff)
    }

    mutating func worked() {
        retryAt = nil
        backoff = firstBackoff
    }
}

extension PlanEntry.Role {
    /// As the log records it.
    public var logged: BroadcastRole {
        switch self {
        case .opening: .opening
        case .message: .message
        case .closing: .closing
        case .relay: .relay
        }
    }
}
