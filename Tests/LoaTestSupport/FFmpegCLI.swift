import Foundation

/// The `ffmpeg` command (Debian's package), which makes the files and streams the tests feed in.
public enum FFmpegCLI {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `ffmpeg -y ARGUMENTS OUTPUT`; throws when it fails.
    public static func run(_ arguments: [String], output: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-hide_banner", "-loglevel", "error", "-y"] + arguments + [output.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(description: "ffmpeg could not make \(output.lastPathComponent)") }
    }

    /// An HLS stream of AAC at 128 kbit/s in one-second segments (`live.m3u8`) in `folder`.
    public static func hls(_ source: [String], in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try run(
            source + ["-c:a", "aac", "-b:a", "128k", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                      "-hls_segment_filename", folder.appendingPathComponent("seg%03d.ts").path],
            output: folder.appendingPathComponent("live.m3u8"))
    }
}
