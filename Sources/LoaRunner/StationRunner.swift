import Foundation
import LoaControl
import LoaLog
import LoaModel
import LoaPlanner
import LoaSystem
import Logging
import ServiceLifecycle
import Synchronization

/// The unattended station as a service: plans today from the config, plays every channel
/// concurrently and independently, re-plans at midnight and when the config changes, and on
/// shutdown fades out what is playing and logs it as interrupted.
///
/// A bad config never stops it: a campaign file with errors is set aside and the others air; a
/// `station.yaml` with errors keeps the last good config, or, at a first start with none, is
/// read again until it is fixed. A changed config reaches each channel at its next item boundary.
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
    /// A channel saw the clock set to another day.
    let dayChanged = WakeSignal()
    /// Where `loa announce` leaves emergency and priority announcements.
    let spool: AnnouncementSpool?
    /// What `loa status` reads of this daemon.
    public let health: DaemonHealth?
    /// Where live broadcasts arrive from the console.
    let liveListener: LiveListener?
    /// One inbox and one plan feed per channel id, kept across re-plans so nothing is dropped.
    private let inboxes = Mutex([String: AnnouncementInbox]())
    private let feeds = Mutex([String: PlanUpdates]())
    /// The day being played, as every channel reads it.
    private let today = Mutex<Day?>(nil)
    /// Whether inotify watches the config.
    private let configWatched = Atomic(false)
    private let spoolWatched = Atomic(false)

    /// One day's plan of one config.
    struct Day: Sendable {
        var station: RunnableStation
        var date: CivilDate
        var entries: [String: [PlanEntry]]
    }

    public init(
        folder: String, log: BroadcastLog, clock: any RunnerClock, player: any ItemPlayer,
        settings: RunnerSettings = RunnerSettings(), spool: AnnouncementSpool? = nil, health: DaemonHealth? = nil,
        liveListener: LiveListener? = nil, load: @escaping @Sendable () -> CheckedStation
    ) {
        self.spool = spool
        self.liveListener = liveListener
        self.folder = folder
        self.log = log
        self.clock = clock
        self.player = player
        self.settings = settings
        self.health = health
        self.load = load
    }

    /// Asks for the config to be read again (SIGHUP does this).
    public func requestReload() { reloads.signal() }

    public func run() async throws {
        let events = configEvents
        do {
            try FolderWatch.start(
                [folder, folder + "/" + StationLoader.campaignsFolder], thread: "loa-config", changed: { events.signal() })
            configWatched.store(true, ordering: .relaxed)
        } catch {
            logger.error("cannot watch the config for changes (\(error)); checking it every 2 minutes")
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if let health = self.health { group.addTask { await self.beat(health) } }
                await self.serve()
                group.cancelAll()
            }
            // The last word: stopped now, which the console's "ĐÃ DỪNG từ ..." then says.
            self.health?.heartbeat()
        }
    }

    /// The heartbeat `loa status` and the console read (see `DaemonState.heartbeatSeconds`): the
    /// only wake an idle daemon has.
    private func beat(_ health: DaemonHealth) async {
        while !Task.isCancelled {
            try? await clock.sleep(for: .seconds(DaemonState.heartbeatSeconds))
            if !Task.isCancelled { health.heartbeat() }
        }
    }

    /// Settles the crash's leftovers, then airs day after day until shut down.
    private func serve() async {
        guard await self.recoverInterrupted(), let initial = await self.firstValidStation() else { return }
        for channel in initial.station.channels { _ = self.inbox(for: channel.id) }
        if let spool = self.spool {
            do {
                try spool.watch { [weak self] in self?.deliverAnnouncements() }
                self.spoolWatched.store(true, ordering: .relaxed)
            } catch {
                self.logger.error("cannot watch the announcement spool (\(error)); checking it every 5 seconds")
            }
            self.deliverAnnouncements()
        }
        var desk: LiveDesk?
        if let liveListener {
            desk = LiveDesk(listener: liveListener, station: { [weak self] in self?.today.withLock { $0?.station.station } }, health: health) {
                [weak self] channel, play in self?.inbox(for: channel).add(play)
            }
            desk?.start()
        }
        await self.playDays(from: initial)
        desk?.stop()
    }

    /// Settles what a crash or power cut left on air, retrying while the log cannot be written.
    private func recoverInterrupted() async -> Bool {
        let recovered = await clock.retrying(upTo: .seconds(60)) { error, wait in
            health?.logFailed(error)
            logger.error("\(error); trying again in \(wait)")
        } _: {
            try log.recoverInterrupted()
        }
        guard let recovered else { return false }
        if recovered > 0 { logger.warning("\(recovered) broadcast(s) were cut by a power loss or crash; logged as interrupted") }
        return true
    }

    /// The config, read again at every change (and every minute) until it can air: exiting
    /// instead would have systemd restart the daemon into the same error, forever.
    private func firstValidStation() async -> RunnableStation? {
        while !Task.isCancelled {
            if let station = validStation() { return station }
            logger.error("\(folder): nothing to air until station.yaml is fixed; reading it again at every change")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.reloads.wait() }
                group.addTask { await self.configEvents.wait() }
                group.addTask { try? await self.clock.sleep(for: .seconds(60)) }
                await group.next()
                group.cancelAll()
            }
        }
        return nil
    }

    private func playDays(from initial: RunnableStation) async {
        var current = initial
        var stamp = ConfigStamp(folder: folder)
        while !Task.isCancelled {
            let time = StationTime(zone: current.station.timeZone)
            let date = time.wallTime(of: clock.now()).date
            let count = publish(current, on: date)
            logger.info("playing \(date): \(count) item(s) on \(current.station.channels.count) channel(s)")
            let midnight = time.instant(date.adding(days: 1), 0)
            stamp = await play(on: date, until: midnight, stamp: stamp)
            current = today.withLock { $0?.station } ?? current
        }
    }

    /// Plans `station` for `date` and hands each channel its entries; returns how many.
    @discardableResult
    private func publish(_ station: RunnableStation, on date: CivilDate) -> Int {
        let plan = Planner(station: station.station, durations: station.durations).plan(from: date, through: date)
        let entries = Dictionary(grouping: plan.entries, by: \.channel)
        today.withLock { $0 = Day(station: station, date: date, entries: entries) }
        let planned = Set(plan.entries.map(\.id))
        let known = feeds.withLock { Array($0.keys) }
        for channel in Set(known + station.station.channels.map(\.id)) { feed(for: channel).publish(planned: planned) }
        return plan.entries.count
    }

    private enum Event: Sendable { case channelEnded, midnight, reload, newDay }

    /// Runs every channel until midnight. A config change is published to the channels, which
    /// take it at their next item boundary; a clock set to another day ends the day at once.
    /// Returns the config's stamp as last read.
    private func play(on date: CivilDate, until midnight: Date, stamp first: ConfigStamp) async -> ConfigStamp {
        await withTaskGroup(of: Event.self) { group in
            var stamp = first
            var serving = Set<String>()
            for channel in today.withLock({ $0?.station.station.channels.map(\.id) ?? [] }) {
                serving.insert(channel)
                group.addTask { await self.serve(channel, on: date, until: midnight) }
            }
            group.addTask { await self.waitForChange(until: midnight, since: first) }
            while let event = await group.next() {
                switch event {
                case .channelEnded: continue
                // The channels end the day themselves at midnight, writing what they held for a
                // trusted clock; cancelling them would drop it.
                case .midnight: continue
                case .newDay: group.cancelAll()
                // A wait cancelled by the shutdown returns too: nothing is read (every audio file
                // probed again) on the way out.
                case .reload where Task.isCancelled: continue
                case .reload:
                    stamp = ConfigStamp(folder: folder)
                    if let reloaded = validStation() {
                        if StationTime(zone: reloaded.station.timeZone).wallTime(of: clock.now()).date != date {
                            today.withLock { $0?.station = reloaded }
                            group.cancelAll()
                            continue
                        }
                        publish(reloaded, on: date)
                        for channel in reloaded.station.channels.map(\.id) where !serving.contains(channel) {
                            serving.insert(channel)
                            group.addTask { await self.serve(channel, on: date, until: midnight) }
                        }
                    }
                    let watchFrom = stamp
                    group.addTask { await self.waitForChange(until: midnight, since: watchFrom) }
                }
            }
            return stamp
        }
    }

    /// Plays one channel's entries, and its new ones after each config change, until midnight
    /// or until the channel leaves the config.
    private func serve(_ channelID: String, on date: CivilDate, until midnight: Date) async -> Event {
        while !Task.isCancelled {
            guard let day = today.withLock({ $0 }), day.date == date,
                let channel = day.station.station.channels.first(where: { $0.id == channelID })
            else { return .channelEnded }
            let runner = ChannelRunner(
                station: day.station.station, channel: channel, log: log, clock: clock, player: player, settings: settings,
                inbox: inbox(for: channelID), updates: feed(for: channelID), health: health,
                peaks: day.station.audio.playablePeaks)
            switch await runner.run(day.entries[channelID] ?? [], on: date, servingUntil: midnight) {
            case .replanned: continue
            case .dateChanged:
                dayChanged.signal()
                return .newDay
            case .dayDone, .cancelled: return .channelEnded
            }
        }
        return .channelEnded
    }

    /// Returns at midnight, on SIGHUP, when a config file changed (at once when inotify tells,
    /// and by a check every 15 minutes as a safety net, every 2 minutes without inotify), or
    /// when a channel saw the clock set to another day. Without inotify on the spool, it is
    /// read at each check, every 5 seconds.
    private func waitForChange(until midnight: Date, since stamp: ConfigStamp) async -> Event {
        let spoolPolled = spool != nil && !spoolWatched.load(ordering: .relaxed)
        let poll: Double = spoolPolled ? 5 : configWatched.load(ordering: .relaxed) ? 900 : 120
        return await withTaskGroup(of: Event.self) { group in
            group.addTask {
                await self.reloads.wait()
                return .reload
            }
            group.addTask {
                await self.dayChanged.wait()
                return .newDay
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
                    if spoolPolled { self.deliverAnnouncements() }
                    if ConfigStamp(folder: self.folder) != stamp { return .reload }
                }
                return .midnight
            }
            let first = await group.next() ?? .midnight
            group.cancelAll()
            return first
        }
    }

    private func inbox(for channel: String) -> AnnouncementInbox { Self.entry(channel, in: inboxes, making: AnnouncementInbox.init) }

    private func feed(for channel: String) -> PlanUpdates { Self.entry(channel, in: feeds, making: PlanUpdates.init) }

    /// A channel's object in a table, made the first time it is asked for.
    private static func entry<T>(_ channel: String, in table: borrowing Mutex<[String: T]>, making make: () -> T) -> T {
        table.withLock { table in
            if let entry = table[channel] { return entry }
            let entry = make()
            table[channel] = entry
            return entry
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

    /// What of the config can air: campaigns with errors are set aside (logged, and shown by
    /// `loa status`); nil when `station.yaml` itself has errors, so a bad edit never replaces a
    /// good running config.
    private func validStation() -> RunnableStation? {
        let checked = load()
        for diagnostic in checked.diagnostics where diagnostic.severity == .error {
            logger.error("\(diagnostic.description)")
        }
        guard let runnable = checked.runnable else {
            let first = checked.diagnostics.first { $0.severity == .error }.map(DaemonState.Problem.init)
                ?? DaemonState.Problem(english: "the station cannot be read", vietnamese: "Không đọc được cấu hình đài")
            logger.error("\(folder): config refused; keeping the last good one")
            health?.config(problem: first, setAside: health?.current.setAside ?? [])
            return nil
        }
        for campaign in runnable.setAside {
            logger.error("\(campaign.file): campaign set aside for its errors; the others air")
        }
        health?.config(problem: nil, setAside: runnable.setAside.compactMap { $0.errors.first.map(DaemonState.Problem.init) })
        return runnable
    }
}

/// Names, sizes and modification times of the station's YAML files: a change means reload.
struct ConfigStamp: Equatable, Sendable {
    let files: [String: FileStamp?]

    init(folder: String) {
        var files: [String: FileStamp?] = [:]
        let manager = FileManager.default
        // The files the loader reads, not drafts or history kept beside them.
        let campaigns = ((try? manager.contentsOfDirectory(atPath: folder + "/" + StationLoader.campaignsFolder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        for path in [StationLoader.stationFile] + campaigns.map({ StationLoader.campaignsFolder + "/" + $0 }) {
            files[path] = FileStamp(path: folder + "/" + path)
        }
        self.files = files
    }
}

extension DaemonState.Problem {
    init(_ diagnostic: Diagnostic) {
        self.init(english: diagnostic.description, vietnamese: diagnostic.vietnameseDescription)
    }
}
