import Foundation
import LoaTestSupport

/// A program the tests read Loa's output with (LibreOffice, poppler, openpyxl, Chromium), run to
/// its end with its standard output kept and its chatter dropped.
enum ExternalTool {
    /// `home` keeps a tool's profile (LibreOffice's) inside the test's folder.
    static func run(_ tool: String, _ arguments: [String], home: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : "/usr/bin/env")
        process.arguments = tool.hasPrefix("/") ? arguments : [tool] + arguments
        if let home { process.environment = ProcessInfo.processInfo.environment.merging(["HOME": home]) { $1 } }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The Kha Sơn example aired on a virtual clock over these days into a new log.
    static func simulatedKhaSon(from: String, to: String, in folder: TemporaryFolder) throws -> String {
        let log = folder.file("kha-son.sqlite").path
        let simulated = try LoaProcess.run(["run", CheckAndPlanTests.example, "--simulate", "--from", from, "--to", to, "--log", log])
        guard simulated.status == 0 else { throw SimulationFailed(output: simulated.stderr) }
        return log
    }

    struct SimulationFailed: Error { var output: String }
}
