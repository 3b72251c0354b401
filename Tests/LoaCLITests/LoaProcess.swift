import Foundation

/// Runs the built `loa` binary as a user would, capturing its output and exit status.
struct LoaProcess {
    var status: Int32
    var stdout: String
    var stderr: String

    static var binary: URL {
        // `swift test` runs from the build products folder, where `loa` is built beside the tests.
        let products = Bundle.main.bundleURL
        let candidate = products.appendingPathComponent("loa")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return products.deletingLastPathComponent().appendingPathComponent("loa")
    }

    /// The repository, for the bundled example station.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(
        _ arguments: [String], in directory: URL = repository, environment: [String: String] = [:], input: String? = nil
    ) throws -> LoaProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read before waiting so a large plan cannot fill the pipe and stall the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return LoaProcess(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
