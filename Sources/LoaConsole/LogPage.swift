import Foundation
import Hummingbird
import LoaLog
import LoaModel

/// Nhật ký: the broadcast log with filters, and the hash chain's verification.
extension Console {
    func addLogRoutes(to router: Router<ConsoleContext>) {
        router.get("/nhat-ky") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let query = request.uri.queryParameters
            func value(_ name: String) -> String? { query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            let time = StationTime(zone: station.timeZone)
            let names = StationNames(station)
            let today = time.wallTime(of: settings.now()).date
            let from = value("tu").flatMap(CivilDate.init(parsing:)) ?? today.adding(days: -6)
            let through = value("den").flatMap(CivilDate.init(parsing:)) ?? today
            let log = try BroadcastLog(path: settings.logPath)
            let chain = try log.verify()
            let rows = try log.records(from: from, through: through).filter { row in
                (value("kenh").map { $0 == row.channel } ?? true) && (value("ket-qua").map { $0 == row.outcome.rawValue } ?? true)
                    && (value("chien-dich").map { $0 == row.campaign } ?? true)
            }
            return page(
                "log", title: "Nhật ký phát",
                [
                    "from": from.description, "through": through.description, "intact": chain.isIntact,
                    "chainRows": chain.rows, "head": chain.head ?? "", "problem": chain.problem ?? "",
                    "channels": station.channels.map { ["id": $0.id, "name": $0.name, "selected": $0.id == value("kenh")] },
                    "outcomes": Outcome.allCases.filter { $0 != .playing }.map {
                        ["id": $0.rawValue, "name": $0.vietnameseName, "selected": $0.rawValue == value("ket-qua")]
                    },
                    "campaigns": station.campaigns.map { ["id": $0.id, "name": $0.title, "selected": $0.id == value("chien-dich")] },
                    "count": rows.count,
                    "rows": rows.suffix(500).reversed().map { row in
                        [
                            "date": row.date.vietnamese, "scheduled": time.clock(logged: row.scheduledStart) ?? "",
                            "started": time.clock(logged: row.actualStart) ?? "", "channel": names.channel(row.channel),
                            "session": names.session(row.session), "campaign": names.campaign(row.campaign), "message": row.message, "outcome": row.outcome.vietnameseName,
                            "completed": row.outcome == .completed, "reason": row.reasonCode?.vietnameseName ?? "",
                        ]
                    },
                ], context: context)
        }
    }
}

enum LogTemplates {
    static let log = """
        {{<layout}}{{$body}}
        {{#intact}}<p class="notice">Nhật ký nguyên vẹn: chuỗi băm của {{chainRows}} lượt ghi khớp. Mã cuối chuỗi: <code>{{head}}</code></p>{{/intact}}
        {{^intact}}<p class="warning">Nhật ký KHÔNG nguyên vẹn: {{problem}}</p>{{/intact}}
        <section>
        <form method="get" action="/nhat-ky">
        <label for="tu">Từ ngày</label><input type="date" id="tu" name="tu" value="{{from}}">
        <label for="den">Đến ngày</label><input type="date" id="den" name="den" value="{{through}}">
        <label for="kenh">Kênh</label><select id="kenh" name="kenh"><option value="">Mọi kênh</option>{{#channels}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/channels}}</select>
        <label for="ket-qua">Kết quả</label><select id="ket-qua" name="ket-qua"><option value="">Mọi kết quả</option>{{#outcomes}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/outcomes}}</select>
        <label for="chien-dich">Chiến dịch</label><select id="chien-dich" name="chien-dich"><option value="">Mọi chiến dịch</option>{{#campaigns}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/campaigns}}</select>
        <p><button>Lọc</button></p>
        </form>
        </section>
        <section>
        <p>{{count}} lượt ghi (hiện tối đa 500, mới nhất trước).</p>
        <div class="scroll"><table>
        <tr><th>Ngày</th><th>Giờ dự kiến</th><th>Giờ phát</th><th>Kênh</th><th>Buổi</th><th>Chiến dịch</th><th>Bản tin</th><th>Kết quả</th><th>Lý do</th></tr>
        {{#rows}}<tr><td>{{date}}</td><td>{{scheduled}}</td><td>{{started}}</td><td>{{channel}}</td><td>{{session}}</td><td>{{campaign}}</td><td>{{message}}</td><td{{^completed}} class="bad"{{/completed}}>{{outcome}}</td><td>{{reason}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="9" class="muted">Không có lượt phát nào.</td></tr>{{/rows}}
        </table></div>
        </section>
        {{/body}}{{/layout}}
        """
}
