import LoaLog
import LoaModel

/// A printable page per campaign (A4), in Vietnamese, for the commune to sign and send up.
enum ReportHTML {
    static func render(_ reports: [CampaignReport], _ context: ReportContext) -> String {
        let station = context.station
        var out = """
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8"><title>Báo cáo kết quả tuyên truyền: \(escape(station.name))</title>
            <style>
            @page { size: A4; margin: 18mm; }
            body { font-family: "Times New Roman", serif; font-size: 12pt; }
            section { page-break-after: always; }
            h1 { font-size: 14pt; text-align: center; text-transform: uppercase; }
            table { border-collapse: collapse; width: 100%; margin: 6pt 0 12pt; }
            th, td { border: 1px solid #000; padding: 2pt 4pt; }
            td.n { text-align: right; }
            .note { font-size: 10pt; font-style: italic; }
            .warning { color: #a00; font-weight: bold; }
            .sign { margin-top: 24pt; text-align: right; }
            </style></head><body>

            """
        for report in reports {
            let sections = ReportSections(report, station: station, byDay: false)
            out += "<section>\n<h1>Báo cáo kết quả triển khai chiến dịch</h1>\n"
            out += "<p>Tên đơn vị: \(escape(sections.unit))<br>\n"
            out += "Chiến dịch: \(escape(report.campaign.title))<br>\n"
            if !report.campaign.directive.isEmpty { out += "Căn cứ: \(escape(report.campaign.directive))<br>\n" }
            out += "Thời gian: từ \(report.from.vietnamese) đến \(report.through.vietnamese)</p>\n"
            out += "<table><tr><th>STT</th><th>Nội dung</th><th>Số lượng</th><th>Ghi chú</th></tr>\n"
            out += "<tr><td>1</td><td>Tổng số cơ quan, tổ chức, doanh nghiệp nhận được thông tin về chiến dịch</td><td></td><td></td></tr>\n"
            out += "<tr><td>2</td><td>Tổng số cơ quan, đơn vị triển khai chiến dịch</td><td></td><td></td></tr>\n"
            out += "<tr><td>3</td><td>Tổng số bài viết được tuyên truyền trên trang thông tin điện tử, mạng xã hội,...</td><td></td><td></td></tr>\n"
            out += "<tr><td>4</td><td>Tổng số lượt tuyên truyền trên Hệ thống Truyền thanh cấp huyện, cấp xã</td>"
            out += "<td class=\"n\">\(VietnameseNumber.integer(report.total.completed))*</td>"
            out += "<td>Kế hoạch \(VietnameseNumber.integer(report.total.planned)) lượt</td></tr>\n"
            out += "<tr><td>5</td><td>Tổng số học sinh, sinh viên được tuyên truyền</td><td></td><td></td></tr>\n</table>\n"
            for section in sections.sections { out += table(section.title, section.rows) }
            let chain = ReportText.chainLine(context.chain)
            out += "<p class=\"\(context.chain.isIntact ? "note" : "warning")\">\(escape(chain))</p>\n"
            out += "<p class=\"note\">* \(escape(CountingRule.vietnamese))</p>\n"
            out += "<p class=\"sign\">Người lập báo cáo<br><br><br>(Ký, ghi rõ họ tên)</p>\n</section>\n"
        }
        return out + "</body></html>\n"
    }

    private static func table(_ title: String, _ rows: [(name: String, tally: Tally)]) -> String {
        var out = "<p><b>\(escape(title))</b></p>\n<table><tr><th></th>"
        out += ReportSections.columns.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for (name, tally) in rows {
            out += "<tr><td>\(escape(name))</td>" + ReportSections.cells(tally).map { "<td class=\"n\">\($0)</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    /// Everything the operator wrote is text, never markup: a campaign titled `<script>` shows as text.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
