import Foundation
import Hummingbird
import LoaModel
import LoaPlanner

/// Lịch phát: the plan for a day or a week, channel by channel, and each campaign's shortfalls
/// in plain words, straight from the planner.
extension Console {
    func addPlanRoutes(to router: Router<ConsoleContext>) {
        router.get("/lich-phat") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let today = StationTime(zone: station.timeZone).wallTime(of: settings.now()).date
            let first = request.uri.queryParameters["ngay"].flatMap { CivilDate(parsing: String($0)) } ?? today
            let week = request.uri.queryParameters["xem"] == "tuan"
            let last = first.adding(days: week ? 6 : 0)
            let plan = Planner(station: station, durations: checked.durations).plan(from: first, through: last)
            let names = StationNames(station)
            var date = first
            var days: [[String: Any]] = []
            while date <= last {
                let day = date
                // What airs alike on several channels (a session on all of them) is one row that
                // names them: a week is seven tables, not one per channel and day.
                var rows: [(key: String, entry: PlanEntry, channels: [String])] = []
                var index: [String: Int] = [:]
                for entry in plan.entries where entry.date == day {
                    let key = "\(entry.start)|\(entry.session)|\(entry.campaign ?? "")|\(entry.message)"
                    if let at = index[key] {
                        rows[at].channels.append(entry.channel)
                    } else {
                        index[key] = rows.count
                        rows.append((key, entry, [entry.channel]))
                    }
                }
                rows.sort { ($0.entry.start, $0.key) < ($1.entry.start, $1.key) }
                days.append([
                    "date": "\(day.weekday.vietnameseName), \(day.vietnamese)",
                    "entries": rows.map { row in
                        [
                            "time": TimeOfDay(seconds: row.entry.start).withSeconds, "session": names.session(row.entry.session),
                            "channels": row.channels.count == station.channels.count
                                ? "Mọi kênh" : row.channels.map(names.channel).joined(separator: ", "),
                            "campaign": names.what(row.entry).campaign, "message": names.what(row.entry).message, "seconds": Int(row.entry.duration.rounded()),
                        ] as [String: Any]
                    },
                ])
                date = date.adding(days: 1)
            }
            return page(
                "plan", title: "Lịch phát",
                [
                    "first": first.vietnamese, "week": week, "days": days,
                    "previous": first.adding(days: week ? -7 : -1).description, "next": first.adding(days: week ? 7 : 1).description,
                    "view": week ? "tuan" : "ngay", "hasShortfalls": !plan.shortfalls.isEmpty,
                    "shortfalls": plan.shortfalls.map { shortfall in
                        [
                            "campaign": names.campaign(shortfall.campaign),
                            "channel": names.channel(shortfall.channel), "text": shortfall.explanation(channelName: names.channel(shortfall.channel)),
                        ]
                    },
                ], context: context)
        }
    }
}

enum PlanTemplates {
    static let plan = """
        {{<layout}}{{$body}}
        <section>
        <form method="get" action="/lich-phat">
        <label for="ngay">Từ ngày</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="ngay" name="ngay" value="{{first}}">
        <div class="choices"><label><input type="radio" name="xem" value="ngay"{{^week}} checked{{/week}}> Một ngày</label>
        <label><input type="radio" name="xem" value="tuan"{{#week}} checked{{/week}}> Một tuần</label></div>
        <p><button>Xem lịch</button> <a href="/lich-phat?ngay={{previous}}&amp;xem={{view}}">← Trước</a> · <a href="/lich-phat?ngay={{next}}&amp;xem={{view}}">Sau →</a></p>
        </form>
        </section>
        {{#hasShortfalls}}
        <section class="warning"><h2>Không xếp đủ lượt</h2><ul>{{#shortfalls}}<li><strong>{{campaign}}</strong> ({{channel}}): {{text}}</li>{{/shortfalls}}</ul></section>
        {{/hasShortfalls}}
        {{#days}}
        <section>
        <h2>{{date}}</h2>
        <div class="scroll"><table>
        <tr><th>Giờ</th><th>Buổi</th><th>Kênh</th><th>Chiến dịch</th><th>Bản tin</th><th>Giây</th></tr>
        {{#entries}}<tr><td>{{time}}</td><td>{{session}}</td><td>{{channels}}</td><td>{{campaign}}</td><td>{{message}}</td><td>{{seconds}}</td></tr>{{/entries}}
        {{^entries}}<tr><td colspan="6" class="muted">Không có lượt phát.</td></tr>{{/entries}}
        </table></div>
        </section>
        {{/days}}
        {{/body}}{{/layout}}
        """
}
