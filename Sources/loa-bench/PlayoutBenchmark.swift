import Foundation

/// Plays a long WAV and MP3 to ALSA's `null` device with `loa play`, `aplay` and `mpg123`, in one
/// run, and prints each one's CPU time and peak memory with the ratios.
enum PlayoutBenchmark {
    static func run(minutes: Int) throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("loa-bench")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let wav = folder.appendingPathComponent("pink-\(minutes)min-48k-stereo.wav")
        let mp3 = folder.appendingPathComponent("pink-\(minutes)min-128k.mp3")
        if !FileManager.default.fileExists(atPath: wav.path) {
            print("making \(wav.lastPathComponent) with sox...")
            try shell("sox", "-n", "-r", "48000", "-c", "2", "-b", "16", wav.path, "synth", "\(minutes * 60)", "pinknoise", "vol", "0.3")
        }
        if !FileManager.default.fileExists(atPath: mp3.path) {
            print("making \(mp3.lastPathComponent) with lame...")
            try shell("lame", "--quiet", "-b", "128", wav.path, mp3.path)
        }
        let loa = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loa").path

        print("Playout: \(minutes)-minute 48 kHz stereo files to ALSA 'null' (which does not pace: pure CPU cost)")
        print("player                          CPU s (user+sys)   peak RSS MB")
        let aplay = try measure("aplay -D null (WAV)", "aplay", "-q", "-D", "null", wav.path)
        let loaWAV = try measure("loa play --device null (WAV)", loa, "play", wav.path, "--device", "null")
        let mpg123 = try measure("mpg123 -o alsa -a null (MP3)", "mpg123", "-q", "-o", "alsa", "-a", "null", mp3.path)
        let loaMP3 = try measure("loa play --device null (MP3)", loa, "play", mp3.path, "--device", "null")
        print(String(format: "WAV: loa / aplay CPU = %.2fx (goal 1.5x; aplay's CPU is near zero, so also +%.3f s)",
            loaWAV.cpu / max(aplay.cpu, 0.001), loaWAV.cpu - aplay.cpu))
        print(String(format: "MP3: loa / mpg123 CPU = %.2fx (goal 1.2x)", loaMP3.cpu / mpg123.cpu))
        print(String(format: "peak RSS: loa %.1f MB (WAV), %.1f MB (MP3); goal under 30 MB", loaWAV.rss, loaMP3.rss))
    }

    struct Usage {
        var cpu: Double
        var rss: Double
        var wall: Double
    }

    /// Runs a command under GNU time (Debian package `time`), which forks it from a small process:
    /// a child spawned from this one would be charged this process's resident memory as its own.
    static func measure(_ label: String, _ command: String, _ arguments: String...) throws -> Usage {
        let report = NSTemporaryDirectory() + "loa-bench-time-\(getpid())"
        try spawn("/usr/bin/time", ["-o", report, "-f", "%U %S %M %e", command] + arguments)
        let fields = try String(contentsOfFile: report, encoding: .utf8).split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard fields.count == 4 else { throw Failure(description: "cannot read GNU time's report for \(command)") }
        let cpu = fields[0] + fields[1]
        let rss = fields[2] / 1024
        print(label.padding(toLength: 32, withPad: " ", startingAt: 0), String(format: "%16.3f   %11.1f", cpu, rss))
        return Usage(cpu: cpu, rss: rss, wall: fields[3])
    }

    static func shell(_ command: String, _ arguments: String...) throws { try spawn(command, arguments) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static func spawn(_ command: String, _ arguments: [String]) throws {
        var pid: pid_t = 0
        let argv = ([command] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let spawned = posix_spawnp(&pid, command, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(command): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw Failure(description: "\(command) \(arguments.joined(separator: " ")) exited with status \(status)") }
    }
}
