import Foundation
import LoaAudio
import LoaLog
import LoaModel
import LoaPlanner
import LoaPlayout
import LoaRelay
import LoaRunner
import LoaTestSupport

/// A station with two channels and four sessions, planned for one day, with a log in a temp folder.
struct RunnerFixture {
    let folder = TemporaryFolder()
    let station: Station
    let durations: AudioDurations = ["open": 3, "m1": 20, "m2": 30]
    let date = CivilDate(year: 2024, month: 11, day: 25)!
    let log: BroadcastLog

    init() throws {
        typealias B = StationBuilder
        let sessions = [("s1", "05:30", "06:00"), ("s2", "06:30", "07:00"), ("s3", "08:00", "08:30"), ("s4", "09:00", "09:30")].map {
            B.session($0.0, $0.1, $0.2, channels: ["fm", "loa-1"], opening: "open")
        }
        let campaign = B.campaign(
            "c", "\(date)", "\(date)", quota: .perSession(2), messages: [("m1", 1), ("m2", 1)], channels: ["fm", "loa-1"],
            sessions: sessions.map(\.id))
        station = B.station(channels: ["fm", "loa-1"], sessions: sessions, campaigns: [campaign], gap: 1)
        log = try BroadcastLog(path: folder.file("log.sqlite").path)
    }

    var plan: Plan { Planner(station: station, durations: durations).plan(from: date, through: date) }

    func entries(_ channel: String) -> [PlanEntry] { plan.entries.filter { $0.channel == channel } }

    /// An instant of the test day in the station's zone.
    func at(_ clock: String) -> Date {
        StationTime(zone: station.timeZone).instant(date, TimeOfDay(parsing: clock)!.seconds)
    }

    func runner(
        _ channel: String, clock: VirtualClock, player: (any ItemPlayer)? = nil, settings: RunnerSettings = RunnerSettings()
    ) -> ChannelRunner {
        ChannelRunner(
            station: station, channel: station.channels.first { $0.id == channel }!, log: log, clock: clock,
            player: player ?? SimulatedItemPlayer(clock: clock), settings: settings)
    }

    /// The final rows of each entry; an entry must have exactly one.
    func finalRows() throws -> [String: [BroadcastRecord]] {
        Dictionary(grouping: try log.records().filter { $0.outcome.isFinal }, by: \.entryID)
    }
}

/// A player that fails on cue: for given audio paths, at prepare or while playing.
struct FaultyPlayer: ItemPlayer {
    let clock: VirtualClock
    var unreadable: Set<String> = []
    var deviceRefuses = false
    /// The device refuses to open until the clock reads this, then works (unplugged, plugged back).
    var deviceDownUntil: Date?
    var deviceGoesAwayDuring: Set<String> = []
    /// Plays to the end, but the device got only zeros where the audio has sound.
    var silentOutput = false

    func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(PlayoutError) -> any PreparedItem {
        let name = audio.lastPathComponent
        if unreadable.contains(name) {
            throw .audio(AudioFileError(kind: .unreadable, path: audio.path, detail: "Format not recognised."))
        }
        if deviceRefuses || deviceDownUntil.map({ clock.now() < $0 }) == true {
            throw .device(ALSAError(kind: .open, device: device, operation: "open", code: -19))
        }
        return FaultyItem(
            clock: clock, duration: duration, vanishes: deviceGoesAwayDuring.contains(name), silent: silentOutput, device: device)
    }

    /// A relay that fails on cue as a file would: a device that refuses, or one that goes away
    /// during a block whose source is named in `deviceGoesAwayDuring`.
    func prepareLive(_ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double) throws(PlayoutError)
        -> any PreparedItem
    {
        try SimulatedItemPlayer(clock: clock).prepareLive(broadcast, channel: channel, device: device, gainDB: gainDB)
    }

    func prepareRelay(_ source: RelaySource, device: String, gainDB: Double, until end: Date)
        throws(PlayoutError) -> any PreparedItem
    {
        if deviceRefuses || deviceDownUntil.map({ clock.now() < $0 }) == true {
            throw .device(ALSAError(kind: .open, device: device, operation: "open", code: -19))
        }
        return FaultyItem(
            clock: clock, duration: max(0, end.timeIntervalSince(clock.now())), vanishes: deviceGoesAwayDuring.contains(source.id),
            silent: false, device: device)
    }
}

struct FaultyItem: PreparedItem {
    let clock: VirtualClock
    let duration: Double
    let vanishes: Bool
    let silent: Bool
    let device: String

    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        if vanishes {
            clock.advance(by: .seconds(duration / 2))
            throw .device(ALSAError(kind: .gone, device: device, operation: "write", code: -19))
        }
        clock.advance(by: .seconds(duration))
        return PlayedItem(seconds: duration, completed: true, silent: silent)
    }
}
