import Foundation
import Testing

/// The `ffmpeg` command (Debian's package), which makes the files and streams the tests feed in.
enum FFmpegCLI {
    /// Runs `ffmpeg -y ARGUMENTS OUTPUT` and expects it to succeed.
    static func run(_ arguments: [String], output: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-hide_banner", "-loglevel", "error", "-y"] + arguments + [output.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "ffmpeg made \(output.lastPathComponent)")
    }
}
