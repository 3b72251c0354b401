import Foundation
import Hummingbird
import LoaControl
import LoaLog
import LoaModel
import LoaReports

/// Tổng quan: what is on air on each channel, what comes next, device health, the last
/// problems and today's count, from the same `StationStatus` as `loa status`.
extension Console {
    func addOverviewRoutes(to router: Router<ConsoleContext>) {
        router.get("/") { _, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            guard let log = try? BroadcastLog(path: settings.logPath) else {
                return page("error", title: "Tổng quan", ["message": "Không mở được nhật ký \(settings.logPath)."], context: context)
            }
            let status = try StationStatus(station: station, durations: checked.durations, log: log, at: settings.now())
            let latest = try log.records(from: status.now.date.adding(days: -7))
            let names = StationNames(station)
            let running = DaemonState.daemonRuns(logPath: settings.logPath)
            let progress = try campaignProgress(station: station, durations: checked.durations, log: log, today: status.now.date)
            let channels: [[String: Any]] = status.channels.map { channel in
                let last = latest.last { $0.channel == channel.channel.id && $0.outcome != .playing }
                let deviceDown = last?.reasonCode == .deviceUnavailable
                var values: [String: Any] = [
                    "name": channel.channel.name, "id": channel.channel.id, "area": channel.channel.area,
                    "health": !running ? "Máy phát đã dừng" : deviceDown ? "Thiết bị lỗi" : (last == nil ? "Chưa phát tuần này" : "Bình thường"),
                    "healthy": running && !deviceDown,
                    "upcoming": channel.upcoming.map { entry in
                        [
                            "time": TimeOfDay(seconds: entry.start).withSeconds, "session": names.session(entry.session),
                            "what": names.what(entry).campaign, "message": names.what(entry).message,
                        ]
                    },
                ]
                // A row left `playing` by a daemon that is gone is not on air.
                if let playing = channel.playing, running {
                    values["playing"] = [
                        "message": names.what(playing).message, "campaign": names.what(playing).campaign,
                        "since": status.time.clock(logged: playing.actualStart) ?? "?",
                    ]
                }
                return values
            }
            return page(
                "overview", title: "Tổng quan",
                [
                    "stationName": station.name,
                    "today": "\(status.now.date.weekday.vietnameseName), \(status.now.date.vietnamese)",
                    "completed": status.completedToday, "planned": status.plannedToday, "channels": channels,
                    "progress": progress, "hasProgress": !progress.isEmpty,
                    "problems": status.problems.reversed().map { row in
                        [
                            "date": row.date.vietnamese,
                            "time": status.time.clock(logged: row.scheduledStart) ?? "?", "channel": names.channel(row.channel), "message": names.what(row).message,
                            "outcome": row.outcome.vietnameseName, "reason": row.reasonCode?.vietnameseName ?? "",
                        ]
                    },
                ], context: context)
        }
    }

    /// Each campaign running today: lượt completed against planned so far and for its whole
    /// window, and days left, from each window's report (the tallies `loa report` counts).
    func campaignProgress(station: Station, durations: AudioDurations, log: BroadcastLog, today: CivilDate) throws -> [[String: Any]] {
        let running = station.reportedCampaigns.filter { $0.window.contains(today) }
        guard !running.isEmpty else { return [] }
        let reports = CampaignReporter.reports(
            station: station, durations: durations, counts: try audits.audit(of: log).counts, campaigns: running.map(\.id),
            from: nil, through: nil)
        return reports.map { report in
            let campaign = report.campaign
            let soFar = report.tally(through: today)
            // Behind means short of the plan up to yesterday: today's later plays are still to come.
            let upToYesterday = report.tally(through: today.adding(days: -1))
            let daysLeft = campaign.window.last.dayNumber - today.dayNumber
            return [
                "title": campaign.title, "id": campaign.id, "completed": soFar.completed, "plannedSoFar": soFar.planned,
                "planned": report.total.planned, "daysLeft": daysLeft, "until": campaign.window.last.vietnamese,
                "behind": upToYesterday.completed < upToYesterday.planned, "missing": upToYesterday.planned - upToYesterday.completed,
            ]
        }
    }

    /// A station whose config does not load: say so, with `loa check`'s words.
    func configBroken(_ checked: CheckedStation, context: ConsoleContext) -> Response {
        page(
            "error", title: "Cấu hình lỗi",
            ["message": "Cấu hình đài có lỗi: " + checked.diagnostics.filter { $0.severity == .error }.map(\.vietnameseDescription).joined(separator: "; ")],
            context: context, status: .internalServerError)
    }
}

enum OverviewTemplates {
    static let overview = """
        {{<layout}}{{$body}}
        <section>
        <p><strong>{{stationName}}</strong> · {{today}}</p>
        <p>Hôm nay đã phát xong <strong>{{completed}}/{{planned}}</strong> lượt bản tin theo kế hoạch.</p>
        </section>
        {{#hasProgress}}<section>
        <h2>Tiến độ chiến dịch</h2>
        <ul class="today">{{#progress}}<li class="{{#behind}}bad{{/behind}}{{^behind}}ok{{/behind}}"><a href="/chien-dich/{{id}}">{{title}}</a>:
        đã phát <strong>{{completed}}/{{plannedSoFar}}</strong> lượt theo kế hoạch đến hôm nay, cả đợt {{planned}} lượt,
        còn {{daysLeft}} ngày (đến {{until}}).{{#behind}} <em>Đến hết hôm qua còn thiếu {{missing}} lượt so với kế hoạch.</em>{{/behind}}</li>{{/progress}}</ul>
        </section>{{/hasProgress}}
        <div class="cards">
        {{#channels}}
        <section>
        <h2>{{name}}</h2>
        <p class="muted">{{area}}</p>
        <p>Thiết bị: {{#healthy}}<span class="ok">{{health}}</span>{{/healthy}}{{^healthy}}<span class="bad">{{health}}</span>{{/healthy}}</p>
        {{#playing}}<p>Đang phát: <strong>{{message}}</strong> ({{campaign}}) từ {{since}}</p>{{/playing}}
        {{^playing}}<p class="muted">Đang phát: không</p>{{/playing}}
        <p>Sắp phát:</p>
        <ul>{{#upcoming}}<li>{{time}} · {{session}} · {{what}}: {{message}}</li>{{/upcoming}}{{^upcoming}}<li class="muted">không còn lượt nào hôm nay</li>{{/upcoming}}</ul>
        </section>
        {{/channels}}
        </div>
        <section>
        <h2>Lỗi gần đây</h2>
        <div class="scroll"><table>
        <tr><th>Ngày</th><th>Giờ</th><th>Kênh</th><th>Bản tin</th><th>Kết quả</th><th>Lý do</th></tr>
        {{#problems}}<tr><td>{{date}}</td><td>{{time}}</td><td>{{channel}}</td><td>{{message}}</td><td class="bad">{{outcome}}</td><td>{{reason}}</td></tr>{{/problems}}
        {{^problems}}<tr><td colspan="6" class="muted">Không có lỗi.</td></tr>{{/problems}}
        </table></div>
        </section>
        {{/body}}{{/layout}}
        """
}
