import ArgumentParser
import Foundation
import LoaLog

/// Where a station's broadcast log lives, shared by `run`, `log` and `status`.
struct LogOptions: ParsableArguments {
    @Option(help: "The broadcast log (SQLite). Default: <state dir>/<station folder name>.sqlite.")
    var log: String?

    @Option(help: "State folder. Default: $STATE_DIRECTORY (set by systemd), else ~/.local/state/loa.")
    var stateDir: String?

    func path(for station: String) -> String {
        if let log { return log }
        let environment = ProcessInfo.processInfo.environment
        let folder = stateDir ?? environment["STATE_DIRECTORY"]
            ?? ((environment["HOME"] ?? "/tmp") + "/.local/state/loa")
        let name = URL(fileURLWithPath: station).standardizedFileURL.lastPathComponent
        return folder + "/" + name + ".sqlite"
    }
}

/// An existing log, opened read-only; a missing or foreign file is an error that ends the command.
func openExisting(_ path: String) throws -> BroadcastLog {
    do {
        return try BroadcastLog.existing(path: path)
    } catch {
        Terminal.printError("error: \(error)")
        throw ExitCode.failure
    }
}
