import ArgumentParser
import LoaAudio
import LoaModel

/// The station folder argument that `check`, `plan` and later commands share.
public struct StationOptions: ParsableArguments, Sendable {
    @Argument(help: "The station folder (holding station.yaml and campaigns/).", completion: .directory)
    public var station: String

    public init() {}

    public init(station: String) { self.station = station }

    /// Loads the folder, probes every audio file it names with libsndfile, and validates it all.
    public func check() -> CheckedStation {
        CheckedStation.check(folder: station, probe: AudioProbing.probe)
    }

    // The policy, one of two for every command that reads a station: what works on the whole
    // config (plan, report, a simulation) needs it free of errors, since figures from half of it
    // would mislead; what speaks to the running daemon (status, announce) takes the station as
    // the daemon airs it.

    /// The station with no error anywhere, its warnings printed; exits 1 after printing the
    /// errors otherwise.
    public func loadValid() throws -> (station: Station, checked: CheckedStation) {
        let checked = check()
        Terminal.print(checked.diagnostics)
        guard let station = checked.station, !checked.diagnostics.hasErrors else {
            Terminal.printError("\(self.station): " + Terminal.summary(of: checked.diagnostics))
            throw ExitStatus.configErrors
        }
        return (station, checked)
    }

    /// The station as `loa run` airs it: campaign files with errors set aside (the caller says
    /// which); exits 1 after printing the errors when station.yaml itself has any.
    public func loadRunnable() throws -> RunnableStation {
        let checked = check()
        guard let runnable = checked.runnable else {
            Terminal.print(checked.diagnostics)
            Terminal.printError("\(station): " + Terminal.summary(of: checked.diagnostics))
            throw ExitStatus.configErrors
        }
        return runnable
    }
}

/// How the CLI ends when the config or the plan is not what was asked.
public enum ExitStatus {
    public static let configErrors = ExitCode(1)
    public static let shortfalls = ExitCode(3)
}
