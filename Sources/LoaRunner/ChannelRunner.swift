import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout
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
    /// Longest wait between tries of a failing device.
    public var maximumBackoff: Duration

    public init(
        grace: Duration = .seconds(600), prepareAhead: Duration = .milliseconds(300),
        jumpThreshold: Duration = .seconds(2), maximumBackoff: Duration = .seconds(60)
    ) {
        self.grace = grace
        self.prepareAhead = prepareAhead
        self.jumpThreshold = jumpThreshold
        self.maximumBackoff = maximumBackoff
    }
}

/// Plays one channel's entries for one day, in order, and logs every one of them exactly once
/// with its outcome. The rules of issue #4 live here:
/// - an entry the log already settled (completed, failed, missed, skipped) is never played again;
///   an interrupted one is played again from its start if it still fits;
/// - an entry starts at its planned time, or as soon after as the previous one ends; one that
///   can start no later than `grace` after its planned time plays if it ends by the session's end,
///   and is `skipped` (`no-time-left`) otherwise; one later than `grace` is `missed`, with the
///   reason: a clock jump seen, a device down, or the daemon not running then;
/// - a file that cannot be read fails that entry only; a device that fails fails the entry, and
///   the channel waits (backing off) before trying the device again.
public struct ChannelRunner: Sendable {
    public let station: Station
    public let channel: Channel
    public let log: BroadcastLog
    public let clock: any RunnerClock
    public let player: any ItemPlayer
    public let settings: RunnerSettings
    /// When this daemon started: entries due before it were missed because it was not running.
    public let startedAt: Date
    /// Emergency and priority announcements for this channel.
    public let inbox: AnnouncementInbox?
    let logger = Logger(label: "loa.runner")

    public init(
        station: Station, channel: Channel, log: BroadcastLog, clock: any RunnerClock, player: any ItemPlayer,
        settings: RunnerSettings = RunnerSettings(), startedAt: Date, inbox: AnnouncementInbox? = nil
    ) {
        self.inbox = inbox
        self.station = station
        self.channel = channel
        self.log = log
        self.clock = clock
        self.player = player
        self.settings = settings
        self.startedAt = startedAt
    }

    /// Runs the day's entries of this channel (sorted by start), then keeps serving announcements
    /// until `servingUntil` (the daemon passes midnight). Returns then, or when the task is
    /// cancelled (the item playing then fades out and is logged interrupted).
    public func run(_ entries: [PlanEntry], on date: CivilDate, servingUntil: Date? = nil) async {
        let time = StationTime(zone: station.timeZone)
        let sessions = Dictionary(station.sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let audio = Dictionary(station.audioReferences.map { ($0.path, $0.url) }, uniquingKeysWith: { a, _ in a })
        var settled = (try? log.outcomes(on: [date.description])) ?? [:]
        var watch = JumpWatch(clock: clock, threshold: settings.jumpThreshold)
        var device = DeviceHealth(maximumBackoff: settings.maximumBackoff)
        var session = ""
        var previousEnd: Date?
        let gap = TimeInterval(station.gapSeconds)

        entries: for entry in entries where entry.channel == channel.id {
            attempt: while true {
                if Task.isCancelled { return }
                if settled[entry.id]?.isFinal == true { continue entries }
                if entry.session != session {
                    session = entry.session
                    previousEnd = nil
                }
                let airtime = sessions[entry.session]?.airtime(earliest: station.earliest, latest: station.latest)
                    ?? entry.start..<entry.end
                let sessionEnd = time.instant(date, airtime.upperBound)
                let planned = time.instant(date, entry.start)
                let target = max(planned, previousEnd.map { $0.addingTimeInterval(gap) } ?? planned)
                let file = audio[entry.audio] ?? station.audioLibrary.appendingPathComponent(entry.audio)
                let record = makeRecord(entry, file: file, scheduled: planned)

                await waitUntil(target.addingTimeInterval(-(settings.prepareAhead / .seconds(1))), watch: &watch)
                if Task.isCancelled { return }
                let now = clock.now()
                if now.timeIntervalSince(planned) > settings.grace / .seconds(1) {
                    let reason: ReasonCode =
                        watch.jumpedForward ? .clockJump
                        : device.isDown ? .deviceUnavailable
                        : .daemonNotRunning
                    settle(record, .missed, reason, "due at \(LogTime.string(planned)), more than the grace late", &settled)
                    continue entries
                }
                let startAt = max(now, target)
                if startAt.addingTimeInterval(entry.duration) > sessionEnd {
                    settle(record, .skipped, .noTimeLeft, "would end after the session ends", &settled)
                    continue entries
                }
                if let retry = device.retryAt, retry > startAt {
                    // The device is resting after a failure: wait, then weigh the item again.
                    await waitUntil(min(retry, sessionEnd), watch: &watch)
                    continue attempt
                }

                let prepared: any PreparedItem
                do {
                    prepared = try player.prepare(
                        audio: file, device: channel.device, gainDB: channel.gainDB,
                        duration: entry.duration)
                } catch {
                    switch error {
                    case .audio(let problem):
                        settle(record, .failed, .audioUnreadable, problem.description, &settled)
                    case .device(let problem):
                        device.failed(at: clock.now())
                        settle(record, .failed, .deviceUnavailable, problem.description, &settled)
                    }
                    continue entries
                }
                // Sleep to just before the start, then arrive on it exactly: file and device are open.
                await waitUntil(startAt.addingTimeInterval(-0.005), watch: &watch)
                if Task.isCancelled { return }
                clock.arrive(at: startAt)
                let preempted = Preemption()
                guard let aired = await air(prepared, record, preempted: preempted) else { continue entries }
                switch aired.reasonCode {
                case .deviceUnavailable?: device.failed(at: aired.end)
                case .audioUnreadable?: break
                default: device.worked()
                }
                settled[entry.id] = aired.outcome
                previousEnd = aired.end
                if preempted.happened, !Task.isCancelled {
                    // The announcement goes out now; then the cut item is tried again from its start.
                    await playAnnouncements()
                    continue attempt
                }
                break attempt
            }
        }
        if let servingUntil { await waitUntil(servingUntil, watch: &watch) }
    }

    private func settle(
        _ record: BroadcastRecord, _ outcome: Outcome, _ reason: ReasonCode, _ text: String, _ settled: inout [String: Outcome]
    ) {
        do {
            try log.unplayed(record, outcome: outcome, reasonCode: reason, reason: text)
            settled[record.entryID] = outcome
        } catch {
            logger.error("cannot log \(record.entryID) as \(outcome.rawValue) in \(log.path): \(error)")
        }
        logger.warning("\(record.entryID): \(outcome.rawValue) (\(reason.rawValue)): \(text)", metadata: ["channel": "\(channel.id)"])
    }

    private func makeRecord(_ entry: PlanEntry, file: URL, scheduled: Date) -> BroadcastRecord {
        BroadcastRecord(
            entryID: entry.id, date: entry.date.description, station: station.name, channel: channel.id,
            channelKind: channel.kind.rawValue, session: entry.session, campaign: entry.campaign, message: entry.message,
            role: entry.role.rawValue, audio: entry.audio,
            audioSHA256: AudioHashes.shared.hash(of: file),
            scheduledStart: LogTime.string(scheduled), timeZone: station.timeZone, device: channel.device)
    }

    /// Sleeps on the monotonic clock until the wall clock should read `instant`. A wall-clock
    /// jump ends the sleep at once (see `RunnerClock.sleep`); waking hourly is only a safety net.
    /// Announcements that fall due meanwhile are played on the way.
    private func waitUntil(_ instant: Date, watch: inout JumpWatch) async {
        while !Task.isCancelled {
            await playAnnouncements()
            let now = clock.now()
            let remaining = instant.timeIntervalSince(now)
            if remaining <= 0 { break }
            let wake = min(instant, inbox?.nextDue ?? instant).timeIntervalSince(now)
            await sleepOrArrival(.seconds(min(max(wake, 0), 3600)))
            watch.check()
        }
        watch.check()
    }

    private func sleepOrArrival(_ duration: Duration) async {
        guard let inbox else {
            try? await clock.sleep(for: duration)
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: duration) }
            group.addTask {
                await withTaskCancellationHandler { await inbox.waitForArrival() } onCancel: { inbox.wake() }
            }
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

    /// The one way an item, plan entry or announcement, goes on air: its row is written as the
    /// first sample goes out, then it plays (fading out on shutdown, or on an emergency when
    /// `preempted` is given), then the row is settled. Nil when the log cannot be written, in
    /// which case nothing is played.
    private func air(_ prepared: any PreparedItem, _ record: BroadcastRecord, preempted: Preemption?) async -> Aired? {
        var started = record
        started.actualStart = LogTime.string(clock.now())
        guard let rowID = try? log.started(started) else {
            logger.error("cannot write to the broadcast log \(log.path); not playing \(record.entryID)")
            return nil
        }
        let control = PlaybackControl()
        let outcome: (Outcome, ReasonCode?, String?, Double)
        do {
            let played = try await withTaskCancellationHandler {
                try await preemptible(control, preempted) { try await prepared.play(control: control) }
            } onCancel: {
                control.requestStop()
            }
            outcome = played.completed
                ? (.completed, nil, nil, played.seconds)
                : preempted?.happened == true
                ? (.interrupted, .preempted, "cut off with a fade for an emergency announcement", played.seconds)
                : (.interrupted, .shutdown, "cut off with a fade: the daemon was stopped or the plan reloaded", played.seconds)
        } catch PlayoutError.device(let problem) {
            outcome = (.interrupted, .deviceUnavailable, problem.description, 0)
        } catch {
            outcome = (.failed, .audioUnreadable, "\(error)", 0)
        }
        let end = clock.now()
        do {
            try log.finished(
                id: rowID, outcome: outcome.0, actualEnd: end, playedSeconds: outcome.3, reasonCode: outcome.1,
                reason: outcome.2)
        } catch {
            logger.error("cannot finish broadcast row \(rowID) in \(log.path): \(error)")
        }
        if outcome.0 != .completed {
            logger.warning("\(record.entryID): \(outcome.0.rawValue): \(outcome.2 ?? "")", metadata: ["channel": "\(channel.id)"])
        }
        return Aired(outcome: outcome.0, reasonCode: outcome.1, end: end)
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

    /// Plays the announcements due now, each logged like any broadcast.
    private func playAnnouncements() async {
        guard let inbox else { return }
        for play in inbox.takeDue(at: clock.now()) where !Task.isCancelled {
            let time = StationTime(zone: station.timeZone)
            let record = BroadcastRecord(
                entryID: play.entryID, date: time.wallTime(of: play.due).date.description, station: station.name,
                channel: channel.id, channelKind: channel.kind.rawValue, session: "announcement", campaign: nil,
                message: URL(fileURLWithPath: play.audio).deletingPathExtension().lastPathComponent,
                role: "announcement-\(play.level.rawValue)", audio: play.audio,
                audioSHA256: AudioHashes.shared.hash(of: URL(fileURLWithPath: play.audio)),
                scheduledStart: LogTime.string(play.due), timeZone: station.timeZone, device: channel.device)
            var ignored: [String: Outcome] = [:]
            if clock.now().timeIntervalSince(play.due) > settings.grace / .seconds(1) {
                settle(record, .missed, .daemonNotRunning, "announcement was due more than the grace ago", &ignored)
                continue
            }
            let prepared: any PreparedItem
            do {
                prepared = try player.prepare(
                    audio: URL(fileURLWithPath: play.audio), device: channel.device, gainDB: channel.gainDB,
                    duration: play.duration)
            } catch {
                settle(record, .failed, error.isDevice ? .deviceUnavailable : .audioUnreadable, error.description, &ignored)
                continue
            }
            _ = await air(prepared, record, preempted: nil)
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
        wall = nowWall
        monotonic = nowMonotonic
    }
}

/// A device that failed is tried again after a backoff that doubles up to a ceiling.
struct DeviceHealth {
    let maximumBackoff: Duration
    private(set) var retryAt: Date?
    private var backoff: Duration = .seconds(1)

    init(maximumBackoff: Duration) { self.maximumBackoff = maximumBackoff }

    var isDown: Bool { retryAt != nil }

    mutating func failed(at now: Date) {
        retryAt = now.addingTimeInterval(backoff / .seconds(1))
        backoff = min(backoff * 2, maximumBackoff)
    }

    mutating func worked() {
        retryAt = nil
        backoff = .seconds(1)
    }
}
