import Foundation
import Hummingbird
import LoaLog
import LoaModel
import LoaReports

/// Báo cáo: a campaign's report for a period, or the station's weekly programme log and its
/// month, quarter and year activity reports, downloaded as `loa report` makes them.
extension Console {
    func addReportRoutes(to router: Router<ConsoleContext>) {
        router.get("/bao-cao") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let chosen = request.uri.queryParameters["chien-dich"].map(String.init)
            return page(
                "report", title: "Báo cáo",
                [
                    "campaigns": station.reportedCampaigns.map {
                        [
                            "id": $0.id, "title": $0.title, "selected": $0.id == chosen,
                            "window": "\($0.window.first.vietnamese) - \($0.window.last.vietnamese)",
                        ]
                    },
                    "formats": [
                        ["id": "docx", "name": "Word (DOCX)", "checked": true], ["id": "xlsx", "name": "Excel (XLSX)"], ["id": "html", "name": "Trang in (HTML)"],
                        ["id": "csv", "name": "CSV (cho phần mềm)"],
                    ],
                    "periods": [
                        ["id": "week", "name": "Sổ nhật ký chương trình tuần"], ["id": "month", "name": "Báo cáo hoạt động tháng"],
                        ["id": "quarter", "name": "Báo cáo hoạt động quý"], ["id": "year", "name": "Báo cáo hoạt động năm"],
                    ],
                ], context: context)
        }
        router.get("/bao-cao/dinh-ky") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let query = request.uri.queryParameters
            guard let period = query["ky"].flatMap({ ReportPeriod(rawValue: String($0)) }) else {
                return page("error", title: "Báo cáo", ["message": "Hãy chọn loại báo cáo định kỳ."], context: context, status: .badRequest)
            }
            let format: ReportFormat = query["dinh-dang"] == "xlsx" ? .xlsx : .docx
            let today = StationTime(zone: station.timeZone).wallTime(of: settings.now()).date
            let day = query["ngay"].flatMap { $0.count <= 10 ? CivilDate(parsing: String($0)) : nil } ?? today
            let log = try BroadcastLog(path: settings.logPath)
            let report = try ActivityReport.make(
                station: station, durations: checked.durations, period: period, containing: day, today: today,
                records: { try log.records(from: $0.first, through: $0.last) })
            let data = try report.render(format, chain: try audits.audit(of: log).chain)
            let stem = period == .week ? "nhat-ky-chuong-trinh" : "bao-cao-hoat-dong-\(period.rawValue)"
            let name = "\(stem)-\(report.window.first)-den-\(report.window.last).\(format.rawValue)"
            return Response(
                status: .ok, headers: [.contentType: format.mediaType, .contentDisposition: "attachment; filename=\"\(name)\""],
                body: .init(byteBuffer: ByteBuffer(data: data)))
        }
        router.get("/bao-cao/tai") { request, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let query = request.uri.queryParameters
            guard let id = query["chien-dich"].map(String.init), let campaign = station.reportedCampaigns.first(where: { $0.id == id }) else {
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
        <h2>Báo cáo kết quả tuyên truyền chiến dịch</h2>
        <form method="get" action="/bao-cao/tai">
        <label for="chien-dich">Chiến dịch</label>
        <select id="chien-dich" name="chien-dich" required>{{#campaigns}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{title}} ({{window}})</option>{{/campaigns}}</select>
        <label for="tu">Từ ngày (để trống: đầu chiến dịch)</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="tu" name="tu">
        <label for="den">Đến ngày (để trống: cuối chiến dịch)</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="den" name="den">
        <label>Định dạng</label>
        <div class="choices">{{#formats}}<label><input type="radio" name="dinh-dang" value="{{id}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/formats}}</div>
        <p><button>Tải báo cáo</button></p>
        </form>
        <p class="muted">Một lượt là một lần phát trọn vẹn một bản tin của chiến dịch trên một kênh trong một buổi; các lần bị ngắt, lỗi, bỏ lỡ, bỏ qua được ghi riêng và không tính.</p>
        </section>
        <section>
        <h2>Báo cáo định kỳ của đài</h2>
        <form method="get" action="/bao-cao/dinh-ky">
        <label for="ky">Loại báo cáo</label>
        <select id="ky" name="ky">{{#periods}}<option value="{{id}}">{{name}}</option>{{/periods}}</select>
        <label for="ngay">Một ngày trong kỳ (để trống: hôm nay)</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="ngay" name="ngay">
        <label>Định dạng</label>
        <div class="choices"><label><input type="radio" name="dinh-dang" value="docx" checked> Word (DOCX)</label><label><input type="radio" name="dinh-dang" value="xlsx"> Excel (XLSX)</label></div>
        <p><button>Tải báo cáo định kỳ</button></p>
        </form>
        <p class="muted">Sổ nhật ký chương trình: mỗi ngày, mỗi buổi đã phát gì, lúc nào, sự cố, chỗ ký của người trực máy. Báo cáo hoạt động: số giờ phát, số buổi phát so với kế hoạch, số lượt từng chiến dịch, các sự cố.</p>
        </section>
        {{/body}}{{/layout}}
        """
}
