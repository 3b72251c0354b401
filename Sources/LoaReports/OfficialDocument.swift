import Foundation
import LoaModel

/// An official document (NĐ 30/2020: heading, title, Kính gửi, body, signer, Nơi nhận) for a
/// body other than a commune's, such as the province's report across its communes: the same
/// layout and wording rules as the commune's báo cáo.
public struct OfficialDocument: Sendable {
    public enum Block: Sendable {
        case paragraph(String, bold: Bool = false)
        /// A header row, then rows; widths in twentieths of a point.
        case table([[String]], widths: [Int])
    }

    public var heading: OfficialHeading
    /// "Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên": who reports, as the body names it.
    public var body: String
    public var kind: String
    public var subject: String
    public var year: Int
    public var blocks: [Block]

    public init(heading: OfficialHeading, body: String, kind: String = "BÁO CÁO", subject: String, year: Int, blocks: [Block]) {
        self.heading = heading
        self.body = body
        self.kind = kind
        self.subject = subject
        self.year = year
        self.blocks = blocks
    }

    /// The document as a DOCX file.
    public func docx() throws -> Data {
        let document = DocumentHeading(heading: heading, committee: body, unit: body, year: year)
        var out = ReportDOCX.opening(document, kind: kind, subject: subject)
        for block in blocks {
            switch block {
            case .paragraph(let text, let bold): out += ReportDOCX.body(text, bold: bold)
            case .table(let rows, let widths): out += ReportDOCX.table(rows, widths: widths, size: 11)
            }
        }
        out += ReportDOCX.signature(document)
        return try ReportDOCX.package(body: out)
    }
}
