import ArgumentParser
import Foundation
import LoaFrontend

/// `loa console ...` runs `loa-console ...`, installed beside `loa`: the web console is a
/// program of its own, so the daemon's binary (this one) carries no web server.
struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The operator's web console, in Vietnamese (runs loa-console; see `loa console --help`).",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "serve, add-account or login-link, and their options.")
    var arguments: [String] = []

    func run() throws {
        let folder = URL(fileURLWithPath: CommandLine.executablePath).deletingLastPathComponent()
        let program = folder.appendingPathComponent("loa-console").path
        let argv = [program] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(program, &cArguments)
        Terminal.printError("error: cannot run \(program): \(String(cString: strerror(errno)))")
        throw ExitCode.failure
    }
}

extension CommandLine {
    /// This program's own file, whatever directory it was started from.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]
    }
}
