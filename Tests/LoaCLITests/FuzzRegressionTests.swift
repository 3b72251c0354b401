import Foundation
import Testing

/// Every committed fuzz seed and every input a fuzzer (or a test) once broke a parser with, run
/// through the parsers again: a regression traps the replay and fails here.
@Suite struct FuzzRegressionTests {
    static let fuzz = LoaProcess.repository.appendingPathComponent("Tests/Fuzz")

    @Test(arguments: ["loader", "spool", "form", "multipart", "probe", "import", "playlist", "live"])
    func everyKeptInputStillParsesCleanly(target: String) throws {
        var inputs: [String] = []
        for kind in ["corpus", "regressions"] {
            let folder = Self.fuzz.appendingPathComponent("\(kind)/\(target)")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                inputs.append(folder.appendingPathComponent(name).path)
            }
        }
        #expect(inputs.count >= 3, "\(target) has seeds and regressions")
        let process = Process()
        process.executableURL = LoaProcess.binary.deletingLastPathComponent().appendingPathComponent("loa-fuzz")
        process.arguments = [target] + inputs
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && said.contains("no finding"), "\(said)")
    }
}
