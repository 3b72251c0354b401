import ArgumentParser
import Foundation
import LoaLog
import LoaModel
import LoaPlanner

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
        let time = StationTime(zone: station.timeZone)
        let now = time.wallTime(of: Date())
        let plan = Planner(station: station, durations: checked.durations).plan(from: now.date, through: now.date)
        let today = try log.records(from: now.date.description, through: now.date.description)
        let settled = try log.outcomes(on: [now.date.description])

        print("\(station.name): \(now.date.weekday.vietnameseName), \(now.date.vietnamese) \(TimeOfDay(seconds: Int(now.seconds)).withSeconds)")
        let completed = today.filter { $0.outcome == .completed && $0.campaign != nil }.count
        let planned = plan.entries.filter { $0.role == .message }.count
        print("Hôm nay: \(completed)/\(planned) lượt bản tin đã phát xong")
        for channel in station.channels {
            print("\n\(channel.name) [\(channel.id)] -> \(channel.device)")
            if let playing = today.last(where: { $0.channel == channel.id && $0.outcome == .playing }) {
                print("  Đang phát: \(playing.message) (\(playing.campaign ?? "nhạc hiệu")), từ \(local(playing.actualStart, time))")
            } else {
                print("  Đang phát: không")
            }
            let upcoming = plan.entries.filter {
                $0.channel == channel.id && Double($0.start) >= now.seconds && settled[$0.id]?.isFinal != true
            }.prefix(next)
            for entry in upcoming {
                print("  Sắp phát: \(TimeOfDay(seconds: entry.start).withSeconds)  \(entry.session)  \(entry.campaign ?? "nhạc hiệu"): \(entry.message)")
            }
        }
        let problems = try log.records().filter { [.failed, .missed, .interrupted].contains($0.outcome) }.suffix(5)
        print("\nLỗi gần đây:" + (problems.isEmpty ? " không có" : ""))
        for row in problems {
            print("  \(row.date) \(local(row.scheduledStart, time))  \(row.channel)  \(row.message): \(row.outcome.vietnameseName) (\(row.reasonCode ?? "")) \(row.reason ?? "")")
        }
    }

    private func local(_ stamp: String?, _ time: StationTime) -> String {
        guard let stamp, let instant = LogTime.date(stamp) else { return "?" }
        return TimeOfDay(seconds: Int(time.wallTime(of: instant).seconds)).withSeconds
    }
}
