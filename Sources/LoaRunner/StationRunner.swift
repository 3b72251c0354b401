import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import Logging
import ServiceLifecycle
import Synchronization

/// The unattended station as a service: plans today from the config, plays every channel
/// concurrently and independently, re-plans at midnight and when the config changes, and on
/// shutdown fades out what is playing and logs it as interrupted.
public final class StationRunner: Service {
    public let folder: String
    public let log: BroadcastLog
    let clock: any RunnerClock
    let player: any ItemPlayer
    let settings: RunnerSettings
    let load: @Sendable () -> CheckedStation
    let logger = Logger(label: "loa.station")
    /// Signalled (SIGHUP) to make the runner reload the config now.
    let reloads = WakeSignal()
    /// Something was written in the station folder or `campaigns/` (inotify).
    let configEvents = WakeSignal()
    /// Where `loa announce` leaves emergency and priority announcements.
    let spool: AnnouncementSpool?
    /// One inbox per channel id, kept across re-plans so no announcement is dropped.
    private let inboxes = Mutex([String: AnnouncementInbox]())
    /// Whether inotify watches the config.
    private let configWatched = Atomic(false)

    public init(
        folder: String, log: BroadcastLog, clock: any RunnerClock, player: any ItemPlayer,
        settings: RunnerSettings = RunnerSettings(), spool: AnnouncementSpool? = nil,
        load: @escaping @Sendable () -> CheckedStation
    ) {
        self.spool = spool
        self.folder = folder
        self.log = log
        self.clock = clock
        self.player = player
        self.settings = settings
        self.load = load
    }

    /// Asks for the config to be read again (SIGHUP does this).
    public func requestReload() { reloads.signal() }

    public func run() async throws {
        let startedAt = clock.now()
        let recovered = try log.recoverInterrupted(at: startedAt)
        if recovered > 0 { logger.warning("\(recovered) broadcast(s) were cut by a power loss or crash; logged as interrupted") }
        guard let initial = validStation() else { throw RunnerError.invalidConfig(folder) }
        let channels = initial.station.channels.map(\.id)
        for channel in channels { _ = inbox(for: channel) }
        let events = configEvents
        let watched = FolderWatch.start(
            [folder, folder + "/" + StationLoader.campaignsFolder], thread: "loa-config", changed: { events.signal() })
        configWatched.store(watched, ordering: .relaxed)
        if let spool {
            spool.watch { [weak self] in self?.deliverAnnouncements() }
            deliverAnnouncements()
        }
        await cancelWhenGracefulShutdown { await self.playDays(from: initial, startedAt: startedAt) }
    }

    private func playDays(from initial: (station: Station, durations: AudioDurations), startedAt: Date) async {
        var current = initial
        var stamp = ConfigStamp(folder: folder)
        while !Task.isCancelled {
            let time = StationTime(zone: current.station.timeZone)
            let today = time.wallTime(of: clock.now()).date
            let plan = Planner(station: current.station, durations: current.durations).plan(from: today, through: today)
            logger.info("playing \(today): \(plan.entries.count) item(s) on \(current.station.channels.count) channel(s)")
            let midnight = time.instant(today.adding(days: 1), 0)
            let reason = await play(plan, station: current.station, on: today, until: midnight, startedAt: startedAt, stamp: &stamp)
            if reason == .reload, let reloaded = validStation() { current = reloaded }
        }
    }

    enum Wake { case midnight, reload }

    /// Runs every channel until the day's entries are done, then waits for midnight; a config
    /// change (SIGHUP, or files changed) ends the day early so it is planned again.
    private func play(
        _ plan: Plan, station: Station, on date: CivilDate, until midnight: Date, startedAt: Date, stamp: inout ConfigStamp
    ) async -> Wake {
        let watched = stamp
        let wake: Wake = await withTaskGroup(of: Wake?.self) { group in
            for channel in station.channels {
                let runner = ChannelRunner(
                    station: station, channel: channel, log: log, clock: clock, player: player, settings: settings,
                    startedAt: startedAt, inbox: inbox(for: channel.id))
                let entries = plan.entries.filter { $0.channel == channel.id }
                group.addTask { await runner.run(entries, on: date, servingUntil: midnight); return nil }
            }
            group.addTask { await self.waitForChange(until: midnight, since: watched) }
            var wake = Wake.midnight
            for await result in group {
                if let result {
                    wake = result
                    group.cancelAll()
                }
            }
            return wake
        }
        stamp = ConfigStamp(folder: folder)
        return wake
    }

    /// Returns at midnight, on SIGHUP, or when a config file changed: at once when inotify tells,
    /// and by a check every 15 minutes as a safety net (every 2 minutes without inotify).
    private func waitForChange(until midnight: Date, since stamp: ConfigStamp) async -> Wake {
        let poll: Double = configWatched.load(ordering: .relaxed) ? 900 : 120
        return await withTaskGroup(of: Wake.self) { group in
            group.addTask {
                await self.reloads.wait()
                return .reload
            }
            group.addTask {
                while !Task.isCancelled {
                    await self.configEvents.wait()
                    if ConfigStamp(folder: self.folder) != stamp { return .reload }
                }
                return .midnight
            }
            group.addTask {
                while !Task.isCancelled {
                    let remaining = midnight.timeIntervalSince(self.clock.now())
                    if remaining <= 0 { return .midnight }
                    try? await self.clock.sleep(for: .seconds(min(remaining, poll)))
                    if ConfigStamp(folder: self.folder) != stamp { return .reload }
                }
                return .midnight
            }
            let first = await group.next() ?? .midnight
            group.cancelAll()
            return first
        }
    }

    private func inbox(for channel: String) -> AnnouncementInbox {
        inboxes.withLock { inboxes in
            if let inbox = inboxes[channel] { return inbox }
            let inbox = AnnouncementInbox()
            inboxes[channel] = inbox
            return inbox
        }
    }

    /// Hands each request in the spool to the inboxes of its channels.
    private func deliverAnnouncements() {
        guard let spool else { return }
        for request in spool.take() {
            let targets = inboxes.withLock { $0 }
            logger.notice(
                "announcement \(request.id) (\(request.level.rawValue)): \(request.audio) on \(request.channels?.joined(separator: ", ") ?? "all channels")")
            for (channel, inbox) in targets { inbox.add(request.plays(on: channel)) }
        }
    }

    /// The station if its config passes `check`; otherwise logs why and returns nil, so a bad
    /// edit never replaces a good running config.
    private func validStation() -> (station: Station, durations: AudioDurations)? {
        let checked = load()
        for diagnostic in checked.diagnostics where diagnostic.severity == .error {
            logger.error("\(diagnostic.description)")
        }
        guard let station = checked.station, !checked.diagnostics.hasErrors else {
            logger.error("\(folder): config refused; keeping the last good one")
            return nil
        }
        return (station, checked.durations)
    }
}

public enum RunnerError: Error, CustomStringConvertible {
    case invalidConfig(String)

    public var description: String {
        switch self {
        case .invalidConfig(let folder): "\(folder): the config has errors (run `loa check \(folder)`); not starting"
        }
    }
}

/// Names and modification times of the station's YAML files: a change means reload.
struct ConfigStamp: Equatable, Sendable {
    let files: [String: Double]

    init(folder: String) {
        var files: [String: Double] = [:]
        let manager = FileManager.default
        // The files the loader reads, not drafts or history kept beside them.
        let campaigns = ((try? manager.contentsOfDirectory(atPath: folder + "/" + StationLoader.campaignsFolder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        for path in [StationLoader.stationFile] + campaigns.map({ StationLoader.campaignsFolder + "/" + $0 }) {
            let date = (try? manager.attributesOfItem(atPath: folder + "/" + path))?[.modificationDate] as? Date
            files[path] = date?.timeIntervalSince1970 ?? -1
        }
        self.files = files
    }
}

/// A wake-up that is remembered until someone waits for it (at most one), and that a cancelled
/// waiter leaves usable for the next: what an `AsyncStream` is not, since cancelling its consumer
/// finishes it for good.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next signal (or at once for one that came meanwhile), or when cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
