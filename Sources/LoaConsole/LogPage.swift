import Foundation
import Hummingbird
import LoaLog
import LoaModel
import LoaReports
import LoaSystem
import Synchronization

/// Nhật ký: the broadcast log, filtered by day, channel, outcome and campaign, a page of 100 rows
/// at a time (newest first), what is shown downloadable as CSV, and the hash chain's verification.
extension Console {
    static let logPageRows = 100

    /// The rows the query asks for, oldest first: a day range (the last week by default, the whole
    /// log with `tat-ca=1`) and the filters.
    private func loggedRows(_ request: Request, station: Station) throws -> (rows: [BroadcastRecord], query: LogQuery) {
        let parameters = request.uri.queryParameters
        let query = LogQuery(
            { parameters[Substring($0)].map(String.init) }, today: StationTime(zone: station.timeZone).wallTime(of: settings.now()).date)
        let rows = try BroadcastLog(path: settings.logPath).records(from: query.from, through: query.through).filter { row in
            (query.channel.map { $0 == row.channel } ?? true) && (query.outcome.map { $0 == row.outcome.rawValue } ?? true)
                && (query.campaign.map { $0 == row.campaign } ?? true)
        }
        return (rows, query)
    }

    func addLogRoutes(to router: Router<ConsoleContext>) {
        router.get("/nhat-ky") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let (rows, query) = try loggedRows(request, station: station)
            let time = StationTime(zone: station.timeZone)
            let names = StationNames(station)
            let chain = try audits.audit(of: BroadcastLog(path: settings.logPath)).chain
            let pages = max(1, (rows.count + Self.logPageRows - 1) / Self.logPageRows)
            let pageNumber = min(query.page, pages)
            let newestFirst = rows.reversed().dropFirst((pageNumber - 1) * Self.logPageRows).prefix(Self.logPageRows)
            return page(
                "log", title: "Nhật ký phát",
                [
                    "from": query.from?.vietnamese ?? "", "through": query.through?.vietnamese ?? "", "intact": chain.isIntact,
                    "chainRows": chain.rows, "head": chain.head ?? "", "problem": chain.problem ?? "",
                    "channels": station.channels.map { ["id": $0.id, "name": $0.name, "selected": $0.id == query.channel] },
                    "outcomes": Outcome.allCases.filter { $0 != .playing }.map {
                        ["id": $0.rawValue, "name": $0.vietnameseName, "selected": $0.rawValue == query.outcome]
                    },
                    "campaigns": station.campaigns.map { ["id": $0.id, "name": $0.title, "selected": $0.id == query.campaign] },
                    "count": rows.count, "page": pageNumber, "pages": pages,
                    "previous": pageNumber > 1 ? query.link(page: pageNumber - 1) : "",
                    "next": pageNumber < pages ? query.link(page: pageNumber + 1) : "",
                    "download": "/nhat-ky/tai-ve" + query.link(page: nil),
                    "rows": newestFirst.map { row in
                        [
                            "date": row.date.vietnamese, "scheduled": time.clock(logged: row.scheduledStart) ?? "",
                            "started": time.clock(logged: row.actualStart) ?? "", "channel": names.channel(row.channel),
                            "session": names.session(row.session), "campaign": names.what(row).campaign, "message": names.what(row).message,
                            "outcome": row.outcome.vietnameseName, "completed": row.outcome == .completed,
                            "reason": row.reasonCode?.vietnameseName ?? "",
                        ]
                    },
                ], context: context)
        }
        // What the page shows, every row of it (not only the page): a workbook for Excel, or CSV
        // (the machine format, `loa log --format csv`'s columns).
        router.get("/nhat-ky/tai-ve") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let (rows, _) = try loggedRows(request, station: station)
            if request.uri.queryParameters["dinh-dang"] == "csv" {
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"nhat-ky-phat.csv\""],
                    body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + LogFormat.csv.render(rows))))
            }
            let workbook = try XLSXWorkbook(sheets: [BroadcastSheet.sheet(rows, station: station)]).data()
            return Response(
                status: .ok,
                headers: [.contentType: XLSXWorkbook.mediaType, .contentDisposition: "attachment; filename=\"nhat-ky-phat.xlsx\""],
                body: .init(byteBuffer: ByteBuffer(data: workbook)))
        }
    }
}

/// The log page's query: days, filters and page, each bounded, and the link that keeps them.
struct LogQuery {
    var from: CivilDate?
    var through: CivilDate?
    var all: Bool
    var channel: String?
    var outcome: String?
    var campaign: String?
    /// 1-based.
    var page: Int

    /// `parameter` reads one query parameter; one empty or over 64 characters counts as absent.
    init(_ parameter: (String) -> String?, today: CivilDate) {
        func value(_ name: String) -> String? { parameter(name).flatMap { $0.isEmpty || $0.count > 64 ? nil : $0 } }
        all = value("tat-ca") == "1"
        from = all ? nil : value("tu").flatMap(CivilDate.init(parsing:)) ?? today.adding(days: -6)
        through = all ? nil : value("den").flatMap(CivilDate.init(parsing:)) ?? today
        channel = value("kenh")
        outcome = value("ket-qua")
        campaign = value("chien-dich")
        page = value("trang").flatMap(Int.init).map { min(max($0, 1), 100_000) } ?? 1
    }

    /// `?tu=...&trang=2`, the filters as given, for the page links and the download.
    func link(page: Int?) -> String {
        var items: [(String, String)] = all ? [("tat-ca", "1")] : []
        if let from { items.append(("tu", from.description)) }
        if let through { items.append(("den", through.description)) }
        for (name, value) in [("kenh", channel), ("ket-qua", outcome), ("chien-dich", campaign)] {
            if let value { items.append((name, value)) }
        }
        if let page { items.append(("trang", String(page))) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        return "?" + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }
}

/// The log's audit (the chain verified, the plays counted in the same pass), kept until the log
/// file or its WAL changes: the log page, the overview, the campaign pages and the report page
/// would otherwise each go through the whole log on every view (about 0.2 s per 100,000 rows).
/// Any write, a new row or an edit by hand, changes a stamp, so an altered row is never hidden.
final class AuditCache: Sendable {
    private let known = Mutex<(stamps: [FileStamp?], audit: LogAudit)?>(nil)

    func audit(of log: BroadcastLog) throws -> LogAudit {
        let stamps = [log.path, log.path + "-wal"].map { FileStamp(path: $0) }
        if let cached = known.withLock({ $0 }), cached.stamps == stamps { return cached.audit }
        let audit = try log.audit()
        known.withLock { $0 = (stamps, audit) }
        return audit
    }
}

enum LogTemplates {
    static let log = """
        {{<layout}}{{$body}}
        {{#intact}}<p class="notice">Nhật ký nguyên vẹn: chuỗi băm của {{chainRows}} lượt ghi khớp. Mã cuối chuỗi: <code class="wrap">{{head}}</code></p>{{/intact}}
        {{^intact}}<p class="warning">Nhật ký KHÔNG nguyên vẹn: {{problem}}</p>{{/intact}}
        <section>
        <form method="get" action="/nhat-ky">
        <label for="tu">Từ ngày</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="tu" name="tu" value="{{from}}">
        <label for="den">Đến ngày</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="den" name="den" value="{{through}}">
        <label for="kenh">Kênh</label><select id="kenh" name="kenh"><option value="">Mọi kênh</option>{{#channels}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/channels}}</select>
        <label for="ket-qua">Kết quả</label><select id="ket-qua" name="ket-qua"><option value="">Mọi kết quả</option>{{#outcomes}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/outcomes}}</select>
        <label for="chien-dich">Chiến dịch</label><select id="chien-dich" name="chien-dich"><option value="">Mọi chiến dịch</option>{{#campaigns}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/campaigns}}</select>
        <p><button>Lọc</button></p>
        </form>
        </section>
        <section>
        <p>{{count}} lượt ghi, mới nhất trước · trang {{page}}/{{pages}}
        {{#previous}} · <a href="/nhat-ky{{previous}}">← Trang trước</a>{{/previous}}{{#next}} · <a href="/nhat-ky{{next}}">Trang sau →</a>{{/next}}
        · <a href="{{download}}">Tải về Excel (XLSX)</a> · <a href="{{download}}&amp;dinh-dang=csv">CSV</a> · <a href="/nhat-ky?tat-ca=1">Toàn bộ nhật ký</a></p>
        <div class="scroll"><table>
        <tr><th>Ngày</th><th>Giờ dự kiến</th><th>Giờ phát</th><th>Kênh</th><th>Buổi</th><th>Chiến dịch</th><th>Bản tin</th><th>Kết quả</th><th>Lý do</th></tr>
        {{#rows}}<tr><td>{{date}}</td><td>{{scheduled}}</td><td>{{started}}</td><td>{{channel}}</td><td>{{session}}</td><td>{{campaign}}</td><td>{{message}}</td><td{{^completed}} class="bad"{{/completed}}>{{outcome}}</td><td>{{reason}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="9" class="muted">Không có lượt phát nào.</td></tr>{{/rows}}
        </table></div>
        </section>
        {{/body}}{{/layout}}
        """
}
