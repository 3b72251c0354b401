import ArgumentParser
import Dispatch
import Foundation
import LoaAudio
import LoaControl
import LoaFrontend
import LoaLog
import LoaModel
import LoaPlayout
import LoaRunner
import Logging
import ServiceLifecycle

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the unattended station: play every broadcast on time and log it.",
        discussion: """
            Plans today, plays every channel to its ALSA device at the planned times, re-plans at \
            midnight and when the config changes (or on SIGHUP), and on SIGTERM or SIGINT fades out \
            what is playing, logs it as interrupted and exits 0. It never exits on a bad config or log: \
            a campaign file with errors is set aside and the others air, a station.yaml with errors keeps \
            the last good config (at a first start it is read again until fixed), and nothing airs while \
            the log cannot be written; `loa status` shows each of these. With --simulate, plays the plan from \
            --from to --to on a virtual clock into the log without touching any device.
            """)

    @OptionGroup var options: StationOptions
    @OptionGroup var logOptions: LogOptions

    @Flag(help: "Simulate the range on a virtual clock; nothing is played.")
    var simulate = false

    @Option(help: "With --simulate: first day.", transform: parseDate)
    var from: CivilDate?

    @Option(help: "With --simulate: last day.", transform: parseDate)
    var to: CivilDate?

    @Option(help: "Minutes an item may start late before it counts as missed (0-120).")
    var graceMinutes: Double = 10

    @Flag(help: "Normalise every item to the station loudness target (-16 LUFS).")
    var normalize = false

    @Flag(
        help: """
            Take the wall clock as right although no NTP client has synchronised it (a station with \
            no time source): missed items are then logged at once instead of at midnight.
            """)
    var trustClock = false

    func validate() throws {
        guard graceMinutes.isFinite, (0...120).contains(graceMinutes) else {
            throw ValidationError("--grace-minutes must be from 0 to 120, not \(graceMinutes)")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardOutput)
        let logPath = logOptions.path(for: options.station)
        if simulate {
            let log: BroadcastLog
            do {
                log = try BroadcastLog(path: logPath)
            } catch {
                Terminal.printError("error: \(error)")
                throw ExitCode.failure
            }
            return try await runSimulation(log: log, logPath: logPath)
        }

        let folder = options.station
        let health = DaemonHealth(logPath: logPath)
        // Nothing airs without a log: wait for it rather than exit into a restart loop.
        let opened = await SystemClock().retrying(upTo: .seconds(60)) { error, wait in
            Logger(label: "loa").error("\(error); nothing airs until the log opens; trying again in \(wait)")
            health.logFailed(error)
        } _: {
            try BroadcastLog(path: logPath)
        }
        guard let log = opened else { return }
        // Live broadcasts from the console; the station airs its plan without them.
        var live: LiveListener?
        do {
            live = try LiveListener(logPath: logPath)
        } catch {
            Logger(label: "loa").error("live broadcasts cannot be taken: \(error)")
        }
        let runner = StationRunner(
            folder: folder, log: log, clock: SystemClock(trusted: trustClock),
            player: ALSAItemPlayer(
                loudnessTarget: normalize ? PlayoutOptions.stationLoudness : nil,
                loudness: LoudnessCache(file: URL(fileURLWithPath: LoudnessCacheLocation.default))),
            settings: RunnerSettings(grace: .seconds(graceMinutes * 60)),
            spool: AnnouncementSpool(logPath: logPath), health: health, liveListener: live,
            load: { CheckedStation.check(folder: folder, probe: AudioProbing.probe) })
        signal(SIGHUP, SIG_IGN)
        // On the main queue, which the main thread serves: a global queue would start the
        // libdispatch worker pool this daemon keeps out of (see `StationThreads`).
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .main)
        hangup.setEventHandler { runner.requestReload() }
        hangup.resume()
        let logger = Logger(label: "loa")
        logger.info("loa run \(folder): log \(logPath)")
        let group = ServiceGroup(
            services: [runner, BackgroundSync(folder: folder, log: log)], gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [], logger: logger)
        try await group.run()
    }

    private func runSimulation(log: BroadcastLog, logPath: String) async throws {
        let (station, checked) = try options.loadValid()
        guard let from, let to else { throw ValidationError("--simulate needs --from and --to") }
        let planned = await Simulation.run(station: station, durations: checked.durations, from: from, through: to, log: log)
        let records = try log.records(from: from, through: to)
        let completed = records.filter { $0.outcome == .completed }.count
        print("simulated \(from.vietnamese)-\(to.vietnamese): \(planned) planned, \(completed) completed, log \(logPath)")
    }
}
