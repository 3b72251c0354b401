import Foundation
import Hummingbird
import LoaControl
import LoaLog
import LoaModel
import LoaPlanner

/// Hôm nay: today's broadcasts as the paper timetable has them, channel by channel and session
/// by session, each marked with what became of it: ✓ aired (at what time), ✗ not aired (why, in
/// Vietnamese), ▶ on air, ⏳ to come. A list, not a table, so it reads on a phone.
extension Console {
    func addTodayRoutes(to router: Router<ConsoleContext>) {
        router.get("/hom-nay") { _, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let time = StationTime(zone: station.timeZone)
            let now = time.wallTime(of: settings.now())
            let plan = Planner(station: station, durations: checked.durations).plan(from: now.date, through: now.date)
            let latest = try BroadcastLog(path: settings.logPath).latestRows(on: [now.date])
            let running = DaemonState.daemonRuns(logPath: settings.logPath)
            let names = StationNames(station)
            func mark(_ entry: PlanEntry) -> (symbol: String, text: String, kind: String) {
                guard let row = latest[entry.id] else {
                    return Double(entry.start) >= now.seconds ? ("⏳", "sắp phát", "next") : ("–", "chưa có kết quả", "bad")
                }
                switch row.outcome {
                case .completed: return ("✓", "đã phát lúc \(time.clock(logged: row.actualStart) ?? "?")", "ok")
                case .playing where running: return ("▶", "đang phát", "ok")
                default:
                    let reason = row.reasonCode.map { ": \($0.vietnameseName)" } ?? ""
                    return ("✗", row.outcome.vietnameseName + reason, "bad")
                }
            }
            let channels: [[String: Any]] = station.channels.map { channel in
                let entries = plan.entries.filter { $0.channel == channel.id }
                var sessions: [[String: Any]] = []
                for entry in entries where sessions.last?["id"] as? String != entry.session {
                    let items = entries.filter { $0.session == entry.session }.map { item -> [String: Any] in
                        let status = mark(item)
                        let what = names.what(item)
                        return [
                            "time": TimeOfDay(seconds: item.start).withSeconds, "what": what.campaign,
                            "message": what.message, "symbol": status.symbol, "status": status.text, "kind": status.kind,
                        ]
                    }
                    sessions.append(["id": entry.session, "name": names.session(entry.session), "items": items])
                }
                // What aired outside the plan: announcements and live broadcasts, in order.
                let outside = latest.values.filter { $0.channel == channel.id && ($0.role.isAnnouncement || $0.role.isLive) }
                    .sorted { $0.scheduledStart < $1.scheduledStart }
                    .map { row -> [String: Any] in
                        let what = names.what(row)
                        let done = row.outcome == .completed || (row.role.isLive && row.outcome == .interrupted && row.playedSeconds > 0)
                        let status =
                            row.outcome == .playing && running ? ("▶", "đang phát", "ok")
                            : done ? ("✓", "\(Int(row.playedSeconds.rounded())) giây" + (row.reasonCode.map { ", \($0.vietnameseName)" } ?? ""), "ok")
                            : ("✗", row.outcome.vietnameseName + (row.reasonCode.map { ": \($0.vietnameseName)" } ?? ""), "bad")
                        return [
                            "time": time.clock(logged: row.actualStart ?? row.scheduledStart) ?? "", "what": what.campaign, "message": what.message,
                            "symbol": status.0, "status": status.1, "kind": status.2,
                        ]
                    }
                if !outside.isEmpty { sessions.append(["id": "", "name": "Ngoài lịch: thông báo và nói trực tiếp", "items": outside]) }
                return ["name": channel.name, "area": channel.area, "sessions": sessions]
            }
            let messages = plan.entries.filter { $0.role == .message }
            let aired = messages.filter { latest[$0.id]?.outcome == .completed }.count
            return page(
                "today", title: "Hôm nay",
                [
                    "date": "\(now.date.weekday.vietnameseName), \(now.date.vietnamese)", "aired": aired,
                    "planned": messages.count, "channels": channels,
                ], context: context)
        }
    }
}

enum TodayTemplates {
    static let today = """
        {{<layout}}{{$body}}
        <section>
        <p><strong>{{date}}</strong>: đã phát {{aired}}/{{planned}} lượt bản tin.</p>
        </section>
        {{#channels}}
        <section>
        <h2>{{name}}{{#area}} <span class="muted">({{area}})</span>{{/area}}</h2>
        {{#sessions}}
        <h3>{{name}}</h3>
        <ul class="today">{{#items}}<li class="{{kind}}"><span class="mark">{{symbol}}</span> {{time}} · {{what}}: {{message}} <em>{{status}}</em></li>{{/items}}</ul>
        {{/sessions}}
        {{^sessions}}<p class="muted">Hôm nay kênh này không có lượt phát.</p>{{/sessions}}
        </section>
        {{/channels}}
        {{/body}}{{/layout}}
        """
}
