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
            let sections = ReportSections(report, context, byDay: false)
            out += "<section>\n<h1>\(ReportSections.title)</h1>\n<p>"
            out += sections.facts.map { "\($0.label): \(escape($0.value))" }.joined(separator: "<br>\n") + "</p>\n"
            out += "<table><tr>" + ReportSections.appendixHeader.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
            for row in sections.appendix {
                out += "<tr><td>\(row[0])</td><td>\(escape(row[1]))</td><td class=\"n\">\(row[2])</td><td>\(escape(row[3]))</td></tr>\n"
            }
            out += "</table>\n"
            for section in sections.sections { out += table(section.title, section.rows) }
            out += "<p class=\"\(sections.chainIntact ? "note" : "warning")\">\(escape(sections.chainLine))</p>\n"
            out += "<p class=\"note\">\(escape(sections.countingNote))</p>\n"
            out += "<p class=\"sign\">\(ReportSections.signer)<br><br><br>\(ReportSections.signature)</p>\n</section>\n"
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
