import ArgumentParser
import Foundation
import LoaFrontend
import LoaRunner
import LoaSystem

@main
struct Loa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa",
        abstract: "Plans, plays and proves the broadcasts of a commune radio station.",
        discussion: """
            A station is a folder: station.yaml (channels and daily sessions) and campaigns/*.yaml (one file per directive). Start with `loa check schedules/kha-son`.
            """,
        version: LoaVersion.current,
        subcommands: [
            Check.self, PlanCommand.self, Probe.self, Import.self, Devices.self, Play.self, Relay.self, Run.self, Status.self, Announce.self,
            LogCommand.self, Report.self, Console.self, Sync.self, Central.self,
        ])

    /// Starts on the main thread and sends `loa run` straight to the station's own threads:
    /// the library's `main()` would first hop to Swift's global executor, whose libdispatch worker
    /// pool then wakes the daemon every second for the rest of its life (see `StationThreads`).
    @MainActor static func main() async {
        let command: any ParsableCommand
        if let unknown = UnknownSubcommand.find(in: Array(CommandLine.arguments.dropFirst()), under: Loa.self) {
            Terminal.printError(unknown.message)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if let run = command as? Run {
                try await withTaskExecutorPreference(StationThreads.shared) { try await run.run() }
            } else if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ValidationError {
            // A usage error found while running is the subcommand's: its usage, not the root's.
            Terminal.printError("Error: \(error.message)\nUsage: \(usageString(for: type(of: command)))")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
