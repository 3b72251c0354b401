import Foundation
import LoaLog
import LoaModel

/// The report as a Word document (WordprocessingML in an ``OfficePackage``; no
/// converter at run time): the appendix of seed 002 filled in, one A4 section per campaign.
enum ReportDOCX {
    static func render(_ reports: [CampaignReport], _ context: ReportContext) throws -> Data {
        try OfficePackage.zip([
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", relationships), ("word/document.xml", document(reports, context)),
        ])
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        </Types>
        """

    static let relationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        </Relationships>
        """

    static func document(_ reports: [CampaignReport], _ context: ReportContext) -> String {
        var body = ""
        for (index, report) in reports.enumerated() {
            let sections = ReportSections(report, context, byDay: false)
            if index > 0 { body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>" }
            body += paragraph("Phụ lục", bold: true, center: true)
            body += paragraph(ReportSections.title, bold: true, center: true)
            body += paragraph("1. Thông tin chung", bold: true)
            for fact in sections.facts { body += paragraph("- \(fact.label): \(fact.value)") }
            body += paragraph("- Đánh giá kết quả thực hiện chiến dịch trên địa bàn/phạm vi quản lý:.....")
            body += paragraph("- Đề xuất, kiến nghị (nếu có):.....")
            body += paragraph("2. Thông tin số liệu", bold: true)
            body += table([ReportSections.appendixHeader] + sections.appendix, widths: [800, 5200, 1500, 1800])
            for section in sections.sections { body += breakdown(section.title, section.rows) }
            body += paragraph(sections.chainLine, bold: !sections.chainIntact)
            body += paragraph(sections.countingNote, italic: true)
            body += paragraph(ReportSections.signer.uppercased(), bold: true, right: true)
            body += paragraph(ReportSections.signature, italic: true, right: true)
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)\
            <w:sectPr><w:pgSz w:w="11906" w:h="16838"/>\
            <w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1418" w:header="709" w:footer="709" w:gutter="0"/>\
            </w:sectPr></w:body></w:document>
            """
    }

    private static func breakdown(_ title: String, _ rows: [(name: String, tally: Tally)]) -> String {
        let cells = rows.map { [$0.name] + ReportSections.cells($0.tally) }
        return paragraph(title, bold: true) + table([[""] + ReportSections.columns] + cells, widths: [2900] + Array(repeating: 920, count: 7))
    }

    private static func run(_ text: String, bold: Bool = false, italic: Bool = false) -> String {
        let font = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
        let style = font + (bold ? "<w:b/>" : "") + (italic ? "<w:i/>" : "") + "<w:sz w:val=\"24\"/>"
        return "<w:r><w:rPr>\(style)</w:rPr><w:t xml:space=\"preserve\">\(OfficePackage.escaped(text))</w:t></w:r>"
    }

    private static func paragraph(_ text: String, bold: Bool = false, italic: Bool = false, center: Bool = false, right: Bool = false) -> String {
        let alignment = center ? "<w:jc w:val=\"center\"/>" : right ? "<w:jc w:val=\"right\"/>" : ""
        return "<w:p><w:pPr>\(alignment)<w:spacing w:after=\"80\"/></w:pPr>\(run(text, bold: bold, italic: italic))</w:p>"
    }

    private static func table(_ rows: [[String]], widths: [Int]) -> String {
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>"
        out += ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) \(border)/>" }.joined()
        out += "</w:tblBorders></w:tblPr><w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for (index, row) in rows.enumerated() {
            out += "<w:tr>"
            for (column, cell) in row.enumerated() {
                out += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[min(column, widths.count - 1)])\" w:type=\"dxa\"/></w:tcPr>"
                out += "<w:p>\(run(cell, bold: index == 0))</w:p></w:tc>"
            }
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
    }
}
