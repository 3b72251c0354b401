import ArgumentParser
import Foundation
import LoaAudio
import LoaControl
import LoaFrontend
import LoaModel

struct Announce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand an emergency or priority announcement to the running daemon (Thông tư 39).",
        discussion: """
            The request is written to the station's spool folder beside its log (<log>.spool/), which \
            `loa run` watches with inotify. emergency (khẩn cấp) plays at once on the chosen channels, \
            fading out the item on air (logged interrupted, played again afterwards if it still fits); \
            priority (ưu tiên) plays at the next item boundary. Every play is logged like any broadcast.
            """)

    @OptionGroup var options: StationOptions

    @Argument(help: "The announcement's audio file.", completion: .file())
    var file: String

    @Option(help: "Channel ids, comma-separated (default: all).", transform: parseChannelList)
    var channels: [String]?

    @Option(help: "emergency or priority.")
    var level: AnnouncementRequest.Level = .emergency

    @Option(name: .customLong("repeat"), help: "How many times to play it (1-48, all within 24 hours).")
    var repeatCount = 1

    @Option(help: "Time between repeats: 90s, 15m or 1h (1 minute to 24 hours).", transform: parseInterval)
    var every: Double = 0

    @Flag(help: "Send it even though no daemon runs for this log: it airs when `loa run` starts (if still within its grace).")
    var queue = false

    @OptionGroup var logOptions: LogOptions

    func validate() throws {
        let repeats = AnnouncementRequest.Limits.repeats
        guard repeats.contains(repeatCount) else {
            throw ValidationError("--repeat must be from \(repeats.lowerBound) to \(repeats.upperBound), not \(repeatCount)")
        }
        if repeatCount > 1, every <= 0 { throw ValidationError("--repeat needs --every") }
    }

    func run() throws {
        let station = try options.loadRunnable().station
        let known = station.channels.map(\.id)
        if let unknown = channels?.first(where: { !known.contains($0) }) {
            throw ValidationError("unknown channel '\(unknown)'; the station has \(known.joined(separator: ", "))")
        }
        let url = URL(fileURLWithPath: file).standardizedFileURL
        let format: AudioFormat
        do {
            format = try AudioFile.probe(url: url)
        } catch {
            Terminal.printError("error: \(error)")
            throw ExitCode.failure
        }
        let now = Date()
        let request = AnnouncementRequest(
            id: AnnouncementRequest.newID(at: now), audio: url.path, channels: channels,
            level: level, repeatCount: repeatCount, everySeconds: every, requested: now, duration: format.duration)
        if let problem = request.problem() { throw ValidationError(problem) }
        let logPath = logOptions.path(for: options.station)
        let running = DaemonState.daemonRuns(logPath: logPath)
        if !queue, !running {
            Terminal.printError(
                "error: no daemon runs for \(logPath) (see loa status): nothing was sent; start `loa run`, or pass --queue to send it for when it starts")
            throw ExitCode.failure
        }
        let spool = AnnouncementSpool(logPath: logPath)
        try spool.submit(request)
        print("\(level == .emergency ? "Phát khẩn" : "Phát ưu tiên") \(file) (\(String(format: "%.1f", format.duration)) s) "
            + "trên \(channels?.joined(separator: ", ") ?? "mọi kênh"), \(repeatCount) lần: đã gửi tới \(spool.folder.path)"
            + (running ? "" : " (máy phát đang dừng: phát khi máy phát chạy lại)"))
    }
}

extension AnnouncementRequest.Level: ExpressibleByArgument {}
