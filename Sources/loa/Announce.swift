import ArgumentParser
import Foundation
import LoaAudio
import LoaModel
import LoaRunner

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

    @Option(help: "Channel ids, comma-separated (default: all).", transform: { $0.split(separator: ",").map(String.init) })
    var channels: [String]?

    @Option(help: "emergency or priority.")
    var level: AnnouncementRequest.Level = .emergency

    @Option(name: .customLong("repeat"), help: "How many times to play it.")
    var repeatCount = 1

    @Option(help: "Time between repeats: 90s, 15m or 1h.", transform: parseInterval)
    var every: Double = 0

    @OptionGroup var logOptions: LogOptions

    func validate() throws {
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        if repeatCount > 1, every <= 0 { throw ValidationError("--repeat needs --every") }
    }

    func run() throws {
        let checked = options.check()
        guard let station = checked.station else {
            Terminal.print(checked.diagnostics)
            throw ExitStatus.configErrors
        }
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
        let spool = AnnouncementSpool(logPath: logOptions.path(for: options.station))
        try spool.submit(request)
        print("\(level == .emergency ? "Phát khẩn" : "Phát ưu tiên") \(file) (\(String(format: "%.1f", format.duration)) s) "
            + "trên \(channels?.joined(separator: ", ") ?? "mọi kênh"), \(repeatCount) lần: đã gửi tới \(spool.folder.path)")
    }
}

/// `90s`, `15m`, `1h`, or plain seconds.
func parseInterval(_ text: String) throws -> Double {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
    if let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()) { return value * scale }
    if let seconds = Double(text) { return seconds }
    throw ValidationError("'\(text)' is not a duration; write 90s, 15m or 1h")
}

extension AnnouncementRequest.Level: ExpressibleByArgument {}
