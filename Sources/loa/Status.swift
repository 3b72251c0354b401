import ArgumentParser
import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import LoaRunner

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What is on air on each channel, what comes next, and the last errors.")

    @OptionGroup var options: StationOptions
    @OptionGroup var logOptions: LogOptions

    @Option(help: "How many upcoming broadcasts to show per channel.")
    var next = 3

    func run() throws {
        let checked = options.check()
        guard let station = checked.station else {
            Terminal.print(checked.diagnostics)
            throw ExitStatus.configErrors
        }
        let log = try openExisting(logOptions.path(for: options.station))
        let status = try StationStatus(station: station, durations: checked.durations, log: log, at: Date(), upcoming: next)
        let now = status.now
        print("\(station.name): \(now.date.weekday.vietnameseName), \(now.date.vietnamese) \(TimeOfDay(seconds: Int(now.seconds)).withSeconds)")
        print("Hôm nay: \(status.completedToday)/\(status.plannedToday) lượt bản tin đã phát xong")
        for channel in status.channels {
            print("\n\(channel.channel.name) [\(channel.channel.id)] -> \(channel.channel.device)")
            if let playing = channel.playing {
                print("  Đang phát: \(playing.message) (\(playing.campaign ?? "nhạc hiệu")), từ \(status.localTime(playing.actualStart))")
            } else {
                print("  Đang phát: không")
            }
            for entry in channel.upcoming {
                print("  Sắp phát: \(TimeOfDay(seconds: entry.start).withSeconds)  \(entry.session)  \(entry.campaign ?? "nhạc hiệu"): \(entry.message)")
            }
        }
        print("\nLỗi gần đây:" + (status.problems.isEmpty ? " không có" : ""))
        for row in status.problems {
            print("  \(row.date) \(status.localTime(row.scheduledStart))  \(row.channel)  \(row.message): \(row.outcome.vietnameseName) (\(row.reasonCode ?? "")) \(row.reason ?? "")")
        }
    }
}
