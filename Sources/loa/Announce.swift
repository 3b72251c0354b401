import ArgumentParser
import Foundation
import LoaAudio
import LoaControl
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

    @Option(help: "Channel ids, comma-separated (default: all).", transform: parseChannelList)
    var channels: [String]?

    @Option(help: "emergency or priority.")
    var level: AnnouncementRequest.Level = .emergency

    @Option(name: .customLong("repeat"), help: "How many times to play it (1-48, all within 24 hours).")
    var repeatCount = 1

    @Option(help: "Time between repeats: 90s, 15m or 1h (1 minute to 24 hours).", transform: parseInterval)
    var every: Double = 0

    @OptionGroup var logOptions: LogOptions

    func validate() throws {
        let repeats = AnnouncementRequest.Limits.repeats
        guard repeats.contains(repeatCount) else {
            throw ValidationError("--repeat must be from \(repeats.lowerBound) to \(repeats.upperBound), not \(repeatCount)")
        }
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
        do {
            try spool.submit(request)
        } catch let refused as AnnouncementRefused {
            throw ValidationError(refused.reason)
        }
        print("\(level == .emergency ? "Phát khẩn" : "Phát ưu tiên") \(file) (\(String(format: "%.1f", format.duration)) s) "
            + "trên \(channels?.joined(separator: ", ") ?? "mọi kênh"), \(repeatCount) lần: đã gửi tới \(spool.folder.path)")
    }
}

/// `90s`, `15m`, `1h`, or plain seconds.
func parseInterval(_ text: String) throws -> Double {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
    let seconds: Double? =
        if let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()) { value * scale } else { Double(text) }
    guard let seconds, seconds.isFinite, seconds >= 0 else {
        throw ValidationError("'\(text)' is not a duration; write 90s, 15m or 1h")
    }
    return seconds
}

/// `fm,loa-1`: every id non-empty, none twice.
func parseChannelList(_ text: String) throws -> [String] {
    let ids = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard !ids.isEmpty, ids.allSatisfy({ !$0.isEmpty }) else {
        throw ValidationError("--channels needs channel ids separated by commas, such as fm,loa-1; '\(text)' has an empty one")
    }
    guard Set(ids).count == ids.count else { throw ValidationError("--channels names a channel twice: '\(text)'") }
    return ids
}

extension AnnouncementRequest.Level: ExpressibleByArgument {}
