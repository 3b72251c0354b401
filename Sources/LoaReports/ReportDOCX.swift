import Foundation
import LoaLog
import LoaModel

/// The report as a Word document (WordprocessingML in an ``OfficePackage``; no converter at run
/// time) laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I lays out a "văn bản có tên loại": A4,
/// margins 20/15/20/30 mm, Times New Roman, the two-column heading without borders, BÁO CÁO and
/// its trích yếu, Kính gửi, the body justified with a first-line indent, the signature block
/// and Nơi nhận, page numbers centred in the top margin from page 2. One page per campaign, each
/// a báo cáo of its own, then an annex that proves the figures from the log.
enum ReportDOCX {
    static func render(_ reports: [CampaignReport], _ context: ReportContext) throws -> Data {
        let all = reports.map { ReportSections($0, context, byDay: false) }
        return try package(body: all.map { campaignPage($0) + pageBreak }.joined() + annex(all))
    }

    /// A document of this body, on the pages NĐ 30 gives (A4 turned, for a wide table such as
    /// the programme log, where `landscape`), with its page numbers.
    static func package(body: String, landscape: Bool = false) throws -> Data {
        try OfficePackage.zip([
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", relationships), ("word/_rels/document.xml.rels", documentRelationships),
            ("word/styles.xml", styles), ("word/header1.xml", pageNumberHeader), ("word/document.xml", document(body, landscape: landscape)),
        ])
    }

    // MARK: the page (twentieths of a point: 567 to the centimetre)

    static let pageWidth = 11_906, pageHeight = 16_838
    static let margins = (top: 1_134, right: 851, bottom: 1_134, left: 1_701)
    static let textWidth = pageWidth - margins.left - margins.right
    static let landscapeTextWidth = pageHeight - margins.left - margins.right
    /// The heading's columns: the issuing body's, and the Quốc hiệu's.
    static let headingColumns = [3_700, textWidth - 3_700]

    private static func document(_ body: String, landscape: Bool) -> String {
        let size = landscape ? "w:w=\"\(pageHeight)\" w:h=\"\(pageWidth)\" w:orient=\"landscape\"" : "w:w=\"\(pageWidth)\" w:h=\"\(pageHeight)\""
        return declaration + """
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>\(body)\
            <w:sectPr><w:headerReference w:type="default" r:id="rId2"/>\
            <w:pgSz \(size)/>\
            <w:pgMar w:top="\(margins.top)" w:right="\(margins.right)" w:bottom="\(margins.bottom)" w:left="\(margins.left)" \
            w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr></w:body></w:document>
            """
    }

    private static func campaignPage(_ s: ReportSections) -> String {
        var out = opening(s.heading, kind: "BÁO CÁO", subject: s.subject)
        out += body(s.intro)
        out += body("1. Thông tin chung", bold: true)
        out += body("- Tên đơn vị: \(s.heading.unit).")
        out += body("- Đánh giá kết quả thực hiện chiến dịch trên địa bàn/phạm vi quản lý: \(s.evaluation)")
        out += body("- Đề xuất, kiến nghị (nếu có): không.")
        out += body("2. Thông tin số liệu" + (s.asOf.map { " (\($0.dropLast()))" } ?? ""), bold: true)
        out += table([ReportSections.appendixHeader] + s.appendix, widths: [700, 5_300, 1_350, 2_004], size: 12)
        out += paragraph([Run(s.countingNote, italic: true, size: 11)], align: "both", before: 60, after: 120)
        out += signature(s.heading)
        return out
    }

    /// The heading, the document's kind ("BÁO CÁO", "SỔ NHẬT KÝ ...") and trích yếu over a short
    /// rule, and Kính gửi.
    static func opening(_ s: DocumentHeading, kind: String, subject: String, withRecipients: Bool = true) -> String {
        var out = heading(s)
        out += paragraph([Run(kind, bold: true, size: 14)], align: "center", before: 240, after: 0)
        out += paragraph([Run(subject, bold: true, size: 14)], align: "center", after: 0)
        out += rule(width: 2_400, within: textWidth, after: 160)
        if !withRecipients {
            return out
        } else if s.recipients.count == 1 {
            out += paragraph([Run("Kính gửi: ", size: 14), Run(s.recipients[0], size: 14)], align: "center", after: 160)
        } else if !s.recipients.isEmpty {
            out += paragraph([Run("Kính gửi:", size: 14)], align: "center", after: 0)
            for recipient in s.recipients { out += paragraph([Run("- \(recipient);", size: 14)], indent: (left: 2_600, first: 0), after: 0) }
            out += paragraph([], after: 120)
        }
        return out
    }

    /// The borderless two-column heading: the issuing body over a short rule and the number; the
    /// Quốc hiệu, the Tiêu ngữ over a rule its length, and the place and date.
    private static func heading(_ s: DocumentHeading) -> String {
        let left =
            s.issuer.map { paragraph([Run($0, bold: true, size: 13)], align: "center", after: 0) }.joined()
            + rule(width: 1_200, within: headingColumns[0], after: 120)
            + paragraph([Run(s.number, size: 13)], align: "center", after: 0)
        let right =
            paragraph([Run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 12)], align: "center", after: 0)
            + paragraph([Run("Độc lập - Tự do - Hạnh phúc", bold: true, size: 13)], align: "center", after: 0)
            + rule(width: 3_250, within: headingColumns[1], after: 120)
            + paragraph([Run(s.dateLine, italic: true, size: 13)], align: "center", after: 0)
        return borderless([[left, right]], widths: headingColumns)
    }

    /// Nơi nhận on the left, in the smaller sizes NĐ 30 gives it; the signer on the right, with
    /// room for the signature and the seal.
    static func signature(_ s: DocumentHeading) -> String {
        let left =
            paragraph([Run("Nơi nhận:", bold: true, italic: true, size: 12)], after: 0)
            + s.copies.map { paragraph([Run("- \($0)", size: 11)], after: 0) }.joined()
        var right =
            paragraph([Run(s.signerCapacity, bold: true, size: 13)], align: "center", after: 0)
            + paragraph([Run(s.signerTitle, bold: true, size: 13)], align: "center", after: 0)
        right += String(repeating: paragraph([], after: 0), count: 4)
        right += paragraph([Run(s.signerName, bold: true, size: 13)], align: "center", after: 0)
        return borderless([[left, right]], widths: [4_300, textWidth - 4_300])
    }

    /// Phụ lục: the log's verification and the command that checks it, and each campaign's
    /// figures by channel, message and session.
    private static func annex(_ all: [ReportSections]) -> String {
        guard let first = all.first else { return paragraph([Run("Không có chiến dịch nào trong báo cáo.", size: 13)]) }
        var out = paragraph([Run("Phụ lục", bold: true, size: 14)], align: "center", after: 0)
        out += paragraph([Run("XÁC THỰC NHẬT KÝ PHÁT", bold: true, size: 14)], align: "center", after: 240)
        out += paragraph([Run(first.chainLine, bold: !first.chainIntact, size: 12)], align: "left", after: 120)
        out += paragraph(
            [Run("Kiểm tra lại trên máy phát của đài bằng lệnh: ", size: 12), Run(first.verifyCommand, italic: true, size: 12)], after: 240)
        for sections in all {
            out += paragraph([Run(sections.facts[1].value, bold: true, size: 12)], after: 60)
            for section in sections.sections where !section.rows.isEmpty {
                out += paragraph([Run(section.title, italic: true, size: 11)], before: 60, after: 40)
                let rows = section.rows.map { [$0.name] + ReportSections.cells($0.tally) }
                out += table([[""] + ReportSections.columns] + rows, widths: [2_800] + Array(repeating: 936, count: 7), size: 10)
            }
        }
        return out
    }

    // MARK: WordprocessingML

    struct Run {
        var text: String
        var bold = false
        var italic = false
        /// Points.
        var size: Double

        init(_ text: String, bold: Bool = false, italic: Bool = false, size: Double) {
            self.text = text
            self.bold = bold
            self.italic = italic
            self.size = size
        }

        var xml: String {
            let style = font + (bold ? "<w:b/>" : "") + (italic ? "<w:i/>" : "") + "<w:sz w:val=\"\(Int(size * 2))\"/><w:szCs w:val=\"\(Int(size * 2))\"/>"
            return "<w:r><w:rPr>\(style)</w:rPr><w:t xml:space=\"preserve\">\(MarkupText.escaped(text))</w:t></w:r>"
        }
    }

    static let font = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>"

    /// A paragraph; spacing in twentieths of a point, single line spacing.
    static func paragraph(
        _ runs: [Run], align: String = "left", indent: (left: Int, first: Int) = (0, 0), before: Int = 0, after: Int = 120,
        border: String = ""
    ) -> String {
        "<w:p><w:pPr>\(border)<w:spacing w:before=\"\(before)\" w:after=\"\(after)\" w:line=\"240\" w:lineRule=\"auto\"/>"
            + "<w:ind w:left=\"\(indent.left)\" w:firstLine=\"\(indent.first)\"/><w:jc w:val=\"\(align)\"/></w:pPr>"
            + runs.map(\.xml).joined() + "</w:p>"
    }

    /// Body text: 13 pt, justified, the first line indented 1.27 cm, 6 pt after.
    static func body(_ text: String, bold: Bool = false) -> String {
        paragraph([Run(text, bold: bold, size: 13)], align: "both", indent: (0, 720), after: 120)
    }

    /// A solid line `width` long, centred in a column `within` wide: a paragraph's top border
    /// between equal indents.
    private static func rule(width: Int, within: Int, after: Int) -> String {
        let indent = max(0, (within - width) / 2)
        // A paragraph with no run has no height to draw its border at in LibreOffice: it holds a
        // 2-point space.
        return "<w:p><w:pPr><w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>"
            + "<w:spacing w:before=\"40\" w:after=\"\(after)\" w:line=\"240\" w:lineRule=\"auto\"/>"
            + "<w:ind w:left=\"\(indent)\" w:right=\"\(indent)\"/></w:pPr>\(Run(" ", size: 2).xml)</w:p>"
    }

    static let pageBreak = "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"

    /// A table of paragraphs already made, with no borders (the heading, the signature block).
    private static func borderless(_ rows: [[String]], widths: [Int]) -> String {
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>"
        out += ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) w:val=\"nil\"/>" }.joined()
        out += "</w:tblBorders><w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar>"
        out += "</w:tblPr><w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for row in rows {
            out += "<w:tr>" + row.enumerated().map { "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[$0])\" w:type=\"dxa\"/></w:tcPr>\($1)</w:tc>" }.joined()
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
    }

    /// A ruled table of text; the first row is the header, in bold.
    static func table(_ rows: [[String]], widths: [Int], size: Double) -> String {
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>"
        out += ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) \(border)/>" }.joined()
        out += "</w:tblBorders></w:tblPr><w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for (index, row) in rows.enumerated() {
            out += "<w:tr>"
            for (column, cell) in row.enumerated() {
                let numeric = index > 0 && column > 0 && cell.first?.isNumber == true && !cell.contains(" ")
                out += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[min(column, widths.count - 1)])\" w:type=\"dxa\"/></w:tcPr>"
                out += paragraph(
                    [Run(cell, bold: index == 0, size: size)], align: index == 0 || column == 0 && widths[0] < 1_000 ? "center" : numeric ? "right" : "left",
                    before: 20, after: 20)
                out += "</w:tc>"
            }
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
    }

    // MARK: package parts

    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static let contentTypes = declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
        </Types>
        """

    static let relationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        </Relationships>
        """

    static let documentRelationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>\
        </Relationships>
        """

    /// Times New Roman and Vietnamese for everything, empty paragraphs included.
    static let styles = declaration + """
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr>\
        \(font)<w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>\
        <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>\
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>
        """

    /// The page number, centred in the top margin; `titlePg` leaves it off the first page.
    static let pageNumberHeader = declaration + """
        <w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>\
        <w:fldSimple w:instr="PAGE"><w:r><w:rPr>\(font)<w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r></w:fldSimple></w:p></w:hdr>
        """
}
