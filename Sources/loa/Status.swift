import ArgumentParser
import Foundation
import LoaControl
import LoaFrontend
import LoaLog
import LoaModel

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What is on air on each channel, what comes next, and the last errors.")

    @OptionGroup var options: StationOptions
    @OptionGroup var logOptions: LogOptions

    @Option(help: "How many upcoming broadcasts to show per channel (0-100).")
    var next = 3

    func validate() throws {
        guard (0...100).contains(next) else { throw ValidationError("--next must be from 0 to 100, not \(next)") }
    }

    func run() throws {
        let runnable = try options.loadRunnable()
        let station = runnable.station
        let logPath = logOptions.path(for: options.station)
        let log = try openExisting(logPath)
        let status = try StationStatus(station: station, durations: runnable.durations, log: log, at: Date(), upcoming: next)
        let daemon = DaemonState.read(logPath: logPath)
        let running = daemon?.isRunning == true
        let now = status.now
        print("\(station.name): \(now.date.weekday.vietnameseName), \(now.date.vietnamese) \(TimeOfDay(seconds: Int(now.seconds)).withSeconds)")
        if let daemon, running {
            print("Máy phát: đang chạy (pid \(daemon.pid), từ \(status.time.display(daemon.startedAt)))")
        } else {
            print("Máy phát: ĐÃ DỪNG (the daemon is not running)" + (daemon.map { ", lần cuối \(status.time.display($0.updatedAt))" } ?? ""))
        }
        if let daemon, running {
            if let problem = daemon.logProblem {
                print("LỖI NHẬT KÝ (log cannot be written) từ \(daemon.logProblemSince.map(status.time.display) ?? "?"): \(problem)")
            }
            if let problem = daemon.configProblem { print("CẤU HÌNH BỊ TỪ CHỐI (config refused; the last good one airs): \(problem.english)") }
            if let live = daemon.live {
                let level = live.level == .emergency ? "khẩn cấp" : "ưu tiên"
                print("Đang phát trực tiếp: \(live.speaker) (\(level), \(live.channels?.joined(separator: ", ") ?? "mọi kênh"), từ \(status.time.display(live.since)))")
            }
        }
        for campaign in runnable.setAside {
            print("Chiến dịch bị gác lại (campaign set aside): \(campaign.errors.first?.description ?? campaign.file)")
        }
        print("Hôm nay: \(status.completedToday)/\(status.plannedToday) lượt bản tin đã phát xong")
        for channel in status.channels {
            print("\n\(channel.channel.name) [\(channel.channel.id)] -> \(channel.channel.device)")
            // A row left `playing` by a daemon that is gone is not on air.
            if let playing = channel.playing, running {
                let what = playing.role.isRelay ? "tiếp sóng" : playing.role.isLive ? "nói trực tiếp" : playing.campaign ?? "nhạc hiệu"
                print("  Đang phát: \(playing.message) (\(what)), từ \(status.time.clock(logged: playing.actualStart) ?? "?")")
            } else {
                print("  Đang phát: không")
            }
            for entry in channel.upcoming {
                print("  Sắp phát: \(TimeOfDay(seconds: entry.start).withSeconds)  \(entry.session)  \(entry.role == .relay ? "tiếp sóng" : entry.campaign ?? "nhạc hiệu"): \(entry.message)")
            }
        }
        print("\nLỗi gần đây:" + (status.problems.isEmpty ? " không có" : ""))
        for row in status.problems {
            print("  \(row.date) \(status.time.clock(logged: row.scheduledStart) ?? "?")  \(row.channel)  \(row.message): \(row.outcome.vietnameseName), \(row.reasonCode?.vietnameseName ?? "") (\(row.reasonCode?.rawValue ?? ""): \(row.reason ?? ""))")
        }
    }
}
