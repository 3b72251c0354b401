import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout

/// One pass of a channel runner over its day's entries: what lives as long as the pass (what the
/// log settled, decisions held for a trusted clock, the device's health, the clock watch), and
/// the rules that decide each entry. A clock set back ends the pass, and a new one decides again.
struct DayPass {
    let runner: ChannelRunner
    let date: CivilDate
    private(set) var settled: [String: Outcome] = [:]
    /// Missed and skipped decisions taken on a clock not known to be right, not yet written.
    private var held: [Decision] = []
    private var watch: JumpWatch
    private var device: DeviceHealth
    /// How long to wait before trying again when the log refuses a start.
    private var logWait = Duration.seconds(1)

    struct Decision {
        var record: BroadcastRecord
        var outcome: Outcome
        var reason: ReasonCode
        var text: String
    }

    enum End {
        case entriesDone
        case clockSetBack
        case stopped(ChannelRunner.End)
    }

    init(runner: ChannelRunner, date: CivilDate) {
        self.runner = runner
        self.date = date
        watch = JumpWatch(clock: runner.clock, threshold: runner.settings.jumpThreshold)
        device = DeviceHealth(firstBackoff: runner.settings.firstBackoff, maximumBackoff: runner.settings.maximumBackoff)
    }

    /// Begins a pass: reads what the log settled today, retrying until it can, since airing
    /// without knowing would replay what already aired. False when cancelled meanwhile.
    mutating func start() async -> Bool {
        held.removeAll()
        watch = JumpWatch(clock: runner.clock, threshold: runner.settings.jumpThreshold)
        let runner = runner, date = date
        let read = await runner.clock.retrying(upTo: .seconds(30)) { error, wait in
            runner.health?.logFailed(error)
            runner.logger.error("cannot read the day's broadcasts: \(error); trying again in \(wait)")
        } _: {
            try runner.log.outcomes(on: [date])
        }
        guard let read else { return false }
        settled = read
        return true
    }

    mutating func play(_ entries: [PlanEntry], generation: Int?) async -> End {
        let station = runner.station
        let lookup = Lookup(
            sessions: Dictionary(station.sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            audio: Dictionary(station.audioReferences.map { ($0.path, $0.url) }, uniquingKeysWith: { a, _ in a }))
        var cursor = Cursor()
        for entry in entries {
            var step = Step.again
            while case .again = step { step = await attempt(entry, lookup, &cursor, generation: generation) }
            if case .stop(let end) = step { return end }
        }
        return .entriesDone
    }

    /// What one try at an entry leads to.
    private enum Step {
        /// Settled (aired, missed, skipped, failed): on to the next entry.
        case next
        /// Weigh the same entry again (a device resting, a log refusing, a cut for an announcement).
        case again
        /// The pass must end.
        case stop(End)
    }

    /// The station's sessions and audio by id and path, looked up once per pass.
    private struct Lookup {
        var sessions: [String: Session]
        var audio: [String: URL]
    }

    /// Where the pass is within a session: items follow the previous one's end, `gap` after it.
    private struct Cursor {
        var session = ""
        var previousEnd: Date?
    }

    /// One try at one entry: wait for it, then miss, skip, fail or air it, and say what next.
    private mutating func attempt(_ entry: PlanEntry, _ lookup: Lookup, _ cursor: inout Cursor, generation: Int?) async -> Step {
        let station = runner.station, settings = runner.settings, clock = runner.clock
        let time = StationTime(zone: station.timeZone)
        let gap = TimeInterval(station.gapSeconds)

        if let stop = interruption(generation) { return .stop(stop) }
        if settled[entry.id]?.isFinal == true { return .next }
        if entry.session != cursor.session {
            cursor = Cursor(session: entry.session)
        }
        if entry.role == .relay { return await attemptRelay(entry, &cursor, generation: generation) }
        // Items end before a relay that closes the session.
        let airtime = lookup.sessions[entry.session]?.ownAirtime(earliest: station.earliest, latest: station.latest)
            ?? entry.start..<entry.end
        let sessionEnd = time.instant(date, airtime.upperBound)
        let planned = time.instant(date, entry.start)
        let target = max(planned, cursor.previousEnd.map { $0.addingTimeInterval(gap) } ?? planned)
        let file = lookup.audio[entry.audio] ?? station.audioLibrary.appendingPathComponent(entry.audio)
        let record = runner.makeRecord(entry, file: file, scheduled: planned)

        if let stop = await waitUntil(target.addingTimeInterval(-(settings.prepareAhead / .seconds(1))), generation: generation) {
            return .stop(stop)
        }
        let now = clock.now()
        if now.timeIntervalSince(planned) > settings.grace / .seconds(1) {
            let reason: ReasonCode =
                watch.jumpedForward ? .clockJump
                : device.isDown ? .deviceUnavailable
                : .daemonNotRunning
            decide(
                record, .missed, reason,
                "due at \(TimeOfDay(seconds: entry.start).withSeconds), more than the grace late")
            return .next
        }
        let startAt = max(now, target)
        if startAt.addingTimeInterval(entry.duration) > sessionEnd {
            decide(record, .skipped, .noTimeLeft, "would end after the session ends")
            return .next
        }
        if let retry = device.retryAt, retry > startAt {
            if retry.addingTimeInterval(entry.duration) > sessionEnd {
                // It fits now: the device's rest after a failure, not the session, takes its time.
                decide(record, .missed, .deviceUnavailable, "the device rests after a failure until too late in the session")
                return .next
            }
            // The device is resting after a failure: wait, then weigh the item again.
            if let stop = await waitUntil(min(retry, sessionEnd), generation: generation) { return .stop(stop) }
            return .again
        }

        let prepared: any PreparedItem
        do {
            prepared = try runner.player.prepare(
                audio: file, device: runner.channel.device, gainDB: runner.channel.gainDB,
                duration: entry.duration, sourcePeak: runner.peaks[entry.audio])
        } catch {
            switch error {
            case .audio(let problem):
                decide(record, .failed, .audioUnreadable, problem.description, holdable: false)
            case .device(let problem):
                device.failed(at: clock.now())
                decide(record, .failed, .deviceUnavailable, problem.description, holdable: false)
            }
            return .next
        }
        // Sleep to just before the start; `air` writes the start to the log, then the player
        // arrives on the second exactly: file and device are open.
        if let stop = await waitUntil(startAt.addingTimeInterval(-ChannelRunner.startLead), generation: generation) {
            return .stop(stop)
        }
        let preempted = Preemption()
        let aired = await runner.air(prepared, record, at: startAt, duration: entry.duration, preempted: preempted)
        return await settle(entry, aired, preempted, &cursor)
    }

    /// After an entry's try at the air: what its device's health, the pass and the next step are.
    private mutating func settle(_ entry: PlanEntry, _ aired: ChannelRunner.Aired?, _ preempted: Preemption, _ cursor: inout Cursor) async
        -> Step
    {
        guard let aired else {
            // The log refused the start, so nothing aired: wait, then weigh the entry again.
            try? await runner.clock.sleep(for: logWait)
            logWait = min(logWait * 2, .seconds(30))
            return .again
        }
        logWait = .seconds(1)
        switch aired.reasonCode {
        case .deviceUnavailable?: device.failed(at: aired.end)
        case .audioUnreadable?, .silentOutput?: break
        default: device.worked()
        }
        settled[entry.id] = aired.outcome
        cursor.previousEnd = aired.end
        if preempted.happened, !Task.isCancelled {
            // The announcement goes out now; then the cut item is tried again (a file from its
            // start, a relay for what is left of its block).
            let runner = runner
            await runner.playAnnouncements(&self)
            return .again
        }
        return .next
    }

    /// How long before its second a relay block's device is opened and its source connected, so
    /// that its buffer is full when it goes on air.
    static let relayLead: TimeInterval = 10

    /// One try at a relay block: it is live, so it goes on air at its second, or as soon after as
    /// it can (after a restart, an emergency, a device's rest) for what is left of it, and ends
    /// on its second; it is missed only when its end has passed.
    private mutating func attemptRelay(_ entry: PlanEntry, _ cursor: inout Cursor, generation: Int?) async -> Step {
        let station = runner.station, clock = runner.clock
        let time = StationTime(zone: station.timeZone)
        let planned = time.instant(date, entry.start), end = time.instant(date, entry.end)
        let record = runner.makeRecord(entry, file: nil, scheduled: planned)
        guard let source = station.relaySource(entry.message) else {
            decide(record, .failed, .sourceUnavailable, "the station has no relay source '\(entry.message)'", holdable: false)
            return .next
        }
        if let stop = await waitUntil(planned.addingTimeInterval(-Self.relayLead), generation: generation) { return .stop(stop) }
        let now = clock.now()
        if now >= end.addingTimeInterval(-1) {
            let reason: ReasonCode = watch.jumpedForward ? .clockJump : device.isDown ? .deviceUnavailable : .daemonNotRunning
            decide(record, .missed, reason, "the relay block ended at \(TimeOfDay(seconds: entry.end).withSeconds)")
            return .next
        }
        if let retry = device.retryAt, retry > now {
            // The device rests after a failure; the block goes on air for what is left after.
            if let stop = await waitUntil(min(retry, end), generation: generation) { return .stop(stop) }
            return .again
        }
        let prepared: any PreparedItem
        do {
            prepared = try runner.player.prepareRelay(source, device: runner.channel.device, gainDB: runner.channel.gainDB, until: end)
        } catch {
            device.failed(at: clock.now())
            runner.logger.warning("\(entry.id): \(error); trying again", metadata: ["channel": "\(runner.channel.id)"])
            return .again
        }
        let startAt = max(clock.now(), planned)
        if let stop = await waitUntil(startAt.addingTimeInterval(-ChannelRunner.startLead), generation: generation) {
            return .stop(stop)
        }
        let preempted = Preemption()
        let aired = await runner.air(prepared, record, at: startAt, duration: end.timeIntervalSince(startAt), preempted: preempted)
        return await settle(entry, aired, preempted, &cursor)
    }

    /// Sleeps on the monotonic clock until the wall clock should read `instant`. A wall-clock
    /// jump ends the sleep at once (see `RunnerClock.sleep`); waking hourly is only a safety net.
    /// Announcements that fall due meanwhile are played on the way. Returns early, saying why,
    /// when the pass must stop.
    mutating func waitUntil(_ instant: Date, generation: Int?) async -> End? {
        let runner = runner
        while true {
            // A clock set back voids what is held before anything is written on its word.
            if let stop = interruption(generation) { return stop }
            commitHeld()
            await runner.playAnnouncements(&self)
            if let stop = interruption(generation) { return stop }
            let now = runner.clock.now()
            let remaining = instant.timeIntervalSince(now)
            if remaining <= 0 { break }
            let wake = min(instant, runner.inbox?.nextDue ?? instant).timeIntervalSince(now)
            await runner.sleepOrArrival(.seconds(min(max(wake, 0), 3600)))
            watch.check()
        }
        watch.check()
        return interruption(generation)
    }

    private func interruption(_ generation: Int?) -> End? {
        if Task.isCancelled { return .stopped(.cancelled) }
        if let generation, runner.updates?.generation != generation { return .stopped(.replanned) }
        if watch.steppedBack { return .clockSetBack }
        return nil
    }

    /// Settles an entry that will not air. Written at once on a synchronised clock; otherwise
    /// held, so a clock set back can have it decided again (`holdable: false` for what cannot be
    /// decided again, such as an announcement already taken from the spool).
    mutating func decide(
        _ record: BroadcastRecord, _ outcome: Outcome, _ reason: ReasonCode, _ text: String, holdable: Bool = true
    ) {
        settled[record.entryID] = outcome
        runner.logger.warning(
            "\(record.entryID): \(outcome.rawValue) (\(reason.rawValue)): \(text)", metadata: ["channel": "\(runner.channel.id)"])
        let decision = Decision(record: record, outcome: outcome, reason: reason, text: text)
        if !holdable || runner.clock.isSynchronized(), write(decision) { return }
        held.append(decision)
    }

    /// Writes the held decisions once the clock can be trusted, or at the day's end (`force`):
    /// a station with no time source has only its own clock to go by.
    mutating func commitHeld(force: Bool = false) {
        guard !held.isEmpty, force || runner.clock.isSynchronized() else { return }
        let waiting = held
        held = waiting.filter { !write($0) }
    }

    private func write(_ decision: Decision) -> Bool {
        do {
            try runner.log.unplayed(decision.record, outcome: decision.outcome, reasonCode: decision.reason, reason: decision.text)
            runner.health?.logWorked()
            return true
        } catch {
            runner.health?.logFailed(error)
            runner.logger.error("cannot log \(decision.record.entryID) as \(decision.outcome.rawValue): \(error)")
            return false
        }
    }
}
