import ArgumentParser
import LoaAudio
import LoaModel

/// The station folder argument that `check`, `plan` and later commands share.
struct StationOptions: ParsableArguments {
    @Argument(help: "The station folder (holding station.yaml and campaigns/).", completion: .directory)
    var station: String

    init() {}

    init(station: String) { self.station = station }

    /// Loads the folder, probes every audio file it names with libsndfile, and validates it all.
    func check() -> CheckedStation {
        CheckedStation.check(folder: station, probe: AudioProbing.probe)
    }
}

/// How the CLI ends when the config or the plan is not what was asked.
enum ExitStatus {
    static let configErrors = ExitCode(1)
    static let shortfalls = ExitCode(3)
}
