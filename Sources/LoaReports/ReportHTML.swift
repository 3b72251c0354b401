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
            @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
            body { font-family: "Times New Roman", serif; font-size: 13pt; max-width: 165mm; }
            section { page-break-after: always; }
            .heading { width: 100%; border: 0; margin: 0; }
            .heading td { border: 0; text-align: center; vertical-align: top; padding: 0; }
            .heading .issuer { width: 39%; font-weight: bold; } .heading .nation { font-weight: bold; font-size: 12pt; }
            .heading hr { border: 0; border-top: 1px solid #000; margin: 2pt auto 6pt; }
            .heading .date { font-style: italic; font-weight: normal; font-size: 13pt; white-space: pre; }
            .heading .number { font-weight: normal; white-space: pre; }
            h1 { font-size: 14pt; text-align: center; margin: 12pt 0 0; } h2 { font-size: 14pt; text-align: center; margin: 0; }
            .to { text-align: center; font-size: 14pt; }
            p.body { text-align: justify; text-indent: 1.27cm; margin: 0 0 6pt; }
            table.data { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 12pt; }
            table.data th, table.data td { border: 1px solid #000; padding: 2pt 4pt; }
            td.n { text-align: right; }
            .note { font-size: 11pt; font-style: italic; text-align: justify; }
            .warning { color: #a00; font-weight: bold; }
            .sign { width: 100%; margin-top: 12pt; } .sign td { vertical-align: top; border: 0; }
            .copies { font-size: 11pt; } .copies b { font-size: 12pt; font-style: italic; }
            .signer { text-align: center; font-weight: bold; } .signer .name { margin-top: 60pt; }
            </style></head><body>

            """
        let all = reports.map { ReportSections($0, context, byDay: false) }
        for s in all {
            out += "<section>\n<table class=\"heading\"><tr><td class=\"issuer\">" + s.heading.issuer.map(escape).joined(separator: "<br>")
            out += "<hr style=\"width: 30%\"><span class=\"number\">\(escape(s.heading.number))</span></td>"
            out += "<td class=\"nation\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br><span style=\"font-size: 13pt\">Độc lập - Tự do - Hạnh phúc</span>"
            out += "<hr style=\"width: 60%\"><span class=\"date\">\(escape(s.heading.dateLine))</span></td></tr></table>\n"
            out += "<h1>BÁO CÁO</h1>\n<h2>\(escape(s.subject))</h2>\n<hr style=\"width: 25%; border: 0; border-top: 1px solid #000\">\n"
            if !s.heading.recipients.isEmpty { out += "<p class=\"to\">Kính gửi: \(s.heading.recipients.map(escape).joined(separator: "; "))</p>\n" }
            for text in [
                s.intro, "<b>1. Thông tin chung</b>", "- Tên đơn vị: \(s.heading.unit).",
                "- Đánh giá kết quả thực hiện chiến dịch trên địa bàn/phạm vi quản lý: \(s.evaluation)", "- Đề xuất, kiến nghị (nếu có): không.",
            ] {
                out += "<p class=\"body\">\(text.hasPrefix("<b>") ? text : escape(text))</p>\n"
            }
            out += "<p class=\"body\"><b>2. Thông tin số liệu</b>\(s.asOf.map { " (" + escape(String($0.dropLast())) + ")" } ?? "")</p>\n"
            out += "<table class=\"data\"><tr>" + ReportSections.appendixHeader.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
            for row in s.appendix {
                out += "<tr><td>\(row[0])</td><td>\(escape(row[1]))</td><td class=\"n\">\(row[2])</td><td>\(escape(row[3]))</td></tr>\n"
            }
            out += "</table>\n<p class=\"note\">\(escape(s.countingNote))</p>\n"
            out += "<table class=\"sign\"><tr><td class=\"copies\"><b>Nơi nhận:</b><br>" + s.heading.copies.map { "- " + escape($0) }.joined(separator: "<br>")
            out += "</td><td class=\"signer\">\(escape(s.heading.signerCapacity))<br>\(escape(s.heading.signerTitle))<div class=\"name\">\(escape(s.heading.signerName))</div></td></tr></table>\n"
            out += "</section>\n"
        }
        if let first = all.first {
            out += "<section>\n<h1>Phụ lục</h1>\n<h2>XÁC THỰC NHẬT KÝ PHÁT</h2>\n"
            out += "<p class=\"\(first.chainIntact ? "" : "warning")\">\(escape(first.chainLine))</p>\n"
            out += "<p>Kiểm tra lại trên máy phát của đài bằng lệnh: <i>\(escape(first.verifyCommand))</i></p>\n"
            for s in all {
                out += "<p><b>\(escape(s.facts[1].value))</b></p>\n"
                for section in s.sections where !section.rows.isEmpty { out += table(section.title, section.rows) }
            }
            out += "</section>\n"
        }
        return out + "</body></html>\n"
    }

    private static func table(_ title: String, _ rows: [(name: String, tally: Tally)]) -> String {
        var out = "<p><b>\(escape(title))</b></p>\n<table class=\"data\"><tr><th></th>"
        out += ReportSections.columns.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for (name, tally) in rows {
            out += "<tr><td>\(escape(name))</td>" + ReportSections.cells(tally).map { "<td class=\"n\">\($0)</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    static func escape(_ text: String) -> String { MarkupText.escaped(text) }
}
