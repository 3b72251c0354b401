import Foundation
import Hummingbird
import LoaLog
import LoaModel
import LoaReports

/// Báo cáo: pick a campaign and a period, download the report as `loa report` makes it.
extension Console {
    func addReportRoutes(to router: Router<ConsoleContext>) {
        router.get("/bao-cao") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let chosen = request.uri.queryParameters["chien-dich"].map(String.init)
            return page(
                "report", title: "Báo cáo",
                [
                    "campaigns": station.campaigns.map {
                        [
                            "id": $0.id, "title": $0.title, "selected": $0.id == chosen,
                            "window": "\($0.window.first.vietnamese) - \($0.window.last.vietnamese)",
                        ]
                    },
                    "formats": [
                        ["id": "docx", "name": "Word (DOCX)"], ["id": "xlsx", "name": "Excel (XLSX)"], ["id": "html", "name": "Trang in (HTML)"],
                        ["id": "csv", "name": "CSV (cho phần mềm)"],
                    ],
                ], context: context)
        }
        router.get("/bao-cao/tai") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let query = request.uri.queryParameters
            guard let id = query["chien-dich"].map(String.init), let campaign = station.campaigns.first(where: { $0.id == id }) else {
                return page("error", title: "Báo cáo", ["message": "Hãy chọn một chiến dịch."], context: context, status: .badRequest)
            }
            let format = query["dinh-dang"].flatMap { ReportFormat(rawValue: String($0)) } ?? .docx
            let from = query["tu"].flatMap { CivilDate(parsing: String($0)) }
            let through = query["den"].flatMap { CivilDate(parsing: String($0)) }
            if let from, let through, through < from {
                return page("error", title: "Báo cáo", ["message": "Ngày cuối trước ngày đầu."], context: context, status: .badRequest)
            }
            let log = try BroadcastLog(path: settings.logPath)
            let audit = try audits.audit(of: log)
            let data = try format.render(
                station: station, durations: checked.durations, audit: audit, campaigns: [id], from: from, through: through,
                today: StationTime(zone: station.timeZone).wallTime(of: settings.now()).date,
                history: { try log.records(from: from, through: through) })
            // Named for what it holds: the campaign and the period, as the văn thư files it.
            let name = "bao-cao-\(id)-\(from ?? campaign.window.first)-den-\(through ?? campaign.window.last).\(format.rawValue)"
            return Response(
                status: .ok,
                headers: [
                    .contentType: format.mediaType,
                    .contentDisposition: "attachment; filename=\"\(name)\"",
                ],
                body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }
}

enum ReportTemplates {
    static let report = """
        {{<layout}}{{$body}}
        <section>
        <form method="get" action="/bao-cao/tai">
        <label for="chien-dich">Chiến dịch</label>
        <select id="chien-dich" name="chien-dich" required>{{#campaigns}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{title}} ({{window}})</option>{{/campaigns}}</select>
        <label for="tu">Từ ngày (để trống: đầu chiến dịch)</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="tu" name="tu">
        <label for="den">Đến ngày (để trống: cuối chiến dịch)</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="den" name="den">
        <label>Định dạng</label>
        <div class="choices">{{#formats}}<label><input type="radio" name="dinh-dang" value="{{id}}"> {{name}}</label>{{/formats}}</div>
        <p><button>Tải báo cáo</button></p>
        </form>
        <p class="muted">Một lượt là một lần phát trọn vẹn một bản tin của chiến dịch trên một kênh trong một buổi; các lần bị ngắt, lỗi, bỏ lỡ, bỏ qua được ghi riêng và không tính.</p>
        </section>
        {{/body}}{{/layout}}
        """
}
