import ArgumentParser
import Foundation
import LoaLog

/// Where a station's broadcast log lives, shared by `run`, `log` and `status`.
public struct LogOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(help: "The broadcast log (SQLite). Default: <state dir>/<station folder name>.sqlite.")
    public var log: String?

    @Option(help: "State folder. Default: $STATE_DIRECTORY (set by systemd), else ~/.local/state/loa.")
    public var stateDir: String?

    public func path(for station: String) -> String {
        if let log { return log }
        let environment = ProcessInfo.processInfo.environment
        let folder = stateDir ?? environment["STATE_DIRECTORY"]
            ?? ((environment["HOME"] ?? "/tmp") + "/.local/state/loa")
        let name = URL(fileURLWithPath: station).standardizedFileURL.lastPathComponent
        return folder + "/" + name + ".sqlite"
    }
}

/// An existing log, opened read-only; a missing or foreign file is an error that ends the command.
public func openExisting(_ path: String) throws -> BroadcastLog {
    do {
        return try BroadcastLog.existing(path: path)
    } catch {
        Terminal.printError("error: \(error)")
        throw ExitCode.failure
    }
}
