import Foundation
import LoaAudio
import LoaCentral
import LoaLog
import LoaModel
import LoaSystem
import Logging
import ServiceLifecycle

/// The daemon's background sync (`sync:` in station.yaml): a while after starting and then every
/// `every-minutes`, the log's new sealed rows and the campaigns' plans go to the central store.
/// It reads the config afresh each time (a `sync:` added, changed or removed needs no restart),
/// runs beside the channels on the station's threads and never holds them up: a store that is
/// unreachable (no network for weeks) is a line in the journal, and the next round tries again.
struct BackgroundSync: Service {
    let folder: String
    let log: BroadcastLog
    let logger = Logger(label: "loa.sync")
    /// The first round, once the channels have started.
    static let firstDelay = Duration.seconds(20)
    /// How soon a station without `sync:` looks again.
    static let idleRecheck = Duration.seconds(15 * 60)

    /// Returns when the daemon shuts down (the sleep between rounds is cut short).
    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var wait = Self.firstDelay
            while !Task.isCancelled {
                do { try await SleepTimer.shared.sleep(for: wait) } catch { return }
                wait = await round()
            }
        }
    }

    /// One sync, if the config asks for one; how long until the next.
    private func round() async -> Duration {
        // The YAML alone first: a station that does not sync costs no audio probing.
        guard StationLoader.load(folder: folder).station?.sync != nil,
            let runnable = CheckedStation.check(folder: folder, probe: AudioProbing.probe).runnable, let sync = runnable.station.sync
        else { return Self.idleRecheck }
        let every = Duration.seconds(sync.everyMinutes * 60)
        do {
            let (result, campaigns, issued) = try await syncToStore(
                runnable, folder: folder, log: log, url: sync.url, passwordFile: sync.passwordFile)
            logger.info("synced \(result.added) new row(s) and \(campaigns) campaign plan(s) to the central store; its mark is sequence \(result.mark)")
            for id in issued.fetched { logger.notice("fetched campaign \(id), issued by the province, into campaigns/drafts/ for approval") }
            for refusal in issued.refused { logger.warning("did not fetch \(refusal)") }
        } catch {
            logger.warning("cannot sync to the central store: \(error); trying again in \(sync.everyMinutes) min")
        }
        return every
    }
}
