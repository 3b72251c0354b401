import Foundation
import LoaModel

/// A workbook of real cells (SpreadsheetML in an ``OfficePackage``): numbers as
/// numbers, dates as dates shown dd/mm/yyyy, durations as durations, so Excel and LibreOffice sum
/// and sort them under any locale. Written here rather than with libxlsxwriter, whose Debian 12
/// release is from 2021 and would be a C dependency for a few XML files.
public struct XLSXWorkbook: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case integer(Int)
        case date(CivilDate)
        /// A local date and time of day (seconds since midnight), shown dd/mm/yyyy hh:mm:ss.
        case dateTime(CivilDate, seconds: Double)
        /// A time of day, shown hh:mm:ss.
        case time(seconds: Double)
        /// A length of time, shown [h]:mm:ss.
        case duration(seconds: Double)
        case empty
    }

    public struct Column: Sendable {
        public var header: String
        /// In characters, as spreadsheets measure columns.
        public var width: Double

        public init(_ header: String, width: Double) {
            self.header = header
            self.width = width
        }
    }

    public struct Sheet: Sendable {
        public var name: String
        public var columns: [Column]
        public var rows: [[Cell]]
        /// Columns summed in a total row below the data, one blank row apart, as formulas.
        public var summed: Set<Int>
        public var totalLabel: String

        public init(name: String, columns: [Column], rows: [[Cell]], summed: Set<Int> = [], totalLabel: String = "Tổng cộng") {
            self.name = name
            self.columns = columns
            self.rows = rows
            self.summed = summed
            self.totalLabel = totalLabel
        }
    }

    public var sheets: [Sheet]

    public init(sheets: [Sheet]) { self.sheets = sheets }

    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    public func data() throws -> Data {
        let names = Self.uniqueNames(sheets.map(\.name))
        return try OfficePackage.zip(
            [
                ("[Content_Types].xml", contentTypes), ("_rels/.rels", Self.rootRelationships), ("xl/workbook.xml", workbook(names)),
                ("xl/_rels/workbook.xml.rels", workbookRelationships), ("xl/styles.xml", Self.styles),
            ] + sheets.enumerated().map { ("xl/worksheets/sheet\($0 + 1).xml", Self.worksheet($1)) })
    }

    // MARK: parts

    private var contentTypes: String {
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        return Self.declaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
            + overrides + "</Types>"
    }

    private static let rootRelationships = declaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    private func workbook(_ names: [String]) -> String {
        let list = names.enumerated().map { "<sheet name=\"\(MarkupText.escaped($1))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined()
        return Self.declaration
            + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>\(list)</sheets></workbook>"
    }

    private var workbookRelationships: String {
        let sheetLinks = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        return Self.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" + sheetLinks
            + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            + "</Relationships>"
    }

    /// Style indexes of `cellXfs`, in the order written below.
    private enum Style: Int {
        case plain = 0, header, date, dateTime, time, duration, total, totalDuration, decimal
    }

    private static let styles = declaration
        + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        + "<numFmts count=\"5\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/><numFmt numFmtId=\"165\" formatCode=\"dd/mm/yyyy hh:mm:ss\"/>"
        + "<numFmt numFmtId=\"166\" formatCode=\"hh:mm:ss\"/><numFmt numFmtId=\"167\" formatCode=\"[h]:mm:ss\"/><numFmt numFmtId=\"168\" formatCode=\"0.0\"/></numFmts>"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"11\"/><name val=\"Times New Roman\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"9\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"166\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"167\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"167\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"168\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"

    private static func worksheet(_ sheet: Sheet) -> String {
        let lastColumn = columnName(max(sheet.columns.count, 1) - 1)
        var out = declaration + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        // The header row stays in view while the rows scroll.
        out += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        out += "<cols>" + sheet.columns.enumerated().map {
            "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1.width)\" customWidth=\"1\"/>"
        }.joined() + "</cols><sheetData>"
        out += "<row r=\"1\">" + sheet.columns.enumerated().map { cell(.text($1.header), row: 1, column: $0, style: .header) }.joined() + "</row>"
        for (index, values) in sheet.rows.enumerated() {
            let row = index + 2
            out += "<row r=\"\(row)\">" + values.enumerated().map { cell($1, row: row, column: $0, style: nil) }.joined() + "</row>"
        }
        if !sheet.summed.isEmpty, !sheet.rows.isEmpty {
            let row = sheet.rows.count + 3
            out += "<row r=\"\(row)\">" + cell(.text(sheet.totalLabel), row: row, column: 0, style: .total)
            for column in sheet.summed.sorted() {
                let letter = columnName(column)
                let isDuration = sheet.rows.contains { if case .duration = $0[column] { true } else { false } }
                let sum = sheet.rows.reduce(0.0) { total, values in total + (numericValue(values[column]) ?? 0) }
                out += "<c r=\"\(letter)\(row)\" s=\"\((isDuration ? Style.totalDuration : .total).rawValue)\">"
                    + "<f>SUM(\(letter)2:\(letter)\(sheet.rows.count + 1))</f><v>\(number(sum))</v></c>"
            }
            out += "</row>"
        }
        out += "</sheetData>"
        if !sheet.rows.isEmpty { out += "<autoFilter ref=\"A1:\(lastColumn)\(sheet.rows.count + 1)\"/>" }
        out += "<pageSetup paperSize=\"9\" orientation=\"landscape\"/></worksheet>"
        return out
    }

    private static func cell(_ value: Cell, row: Int, column: Int, style: Style?) -> String {
        let reference = "\(columnName(column))\(row)"
        func numeric(_ value: Double, _ defaultStyle: Style) -> String {
            "<c r=\"\(reference)\" s=\"\((style ?? defaultStyle).rawValue)\"><v>\(number(value))</v></c>"
        }
        switch value {
        case .empty: return ""
        case .text(let text):
            return "<c r=\"\(reference)\" t=\"inlineStr\" s=\"\((style ?? .plain).rawValue)\"><is><t xml:space=\"preserve\">\(MarkupText.escaped(text))</t></is></c>"
        case .integer(let value): return numeric(Double(value), .plain)
        case .number(let value): return numeric(value, .decimal)
        case .date: return numeric(numericValue(value)!, .date)
        case .dateTime: return numeric(numericValue(value)!, .dateTime)
        case .time: return numeric(numericValue(value)!, .time)
        case .duration: return numeric(numericValue(value)!, .duration)
        }
    }

    /// Dates as spreadsheet serial numbers (days since 30/12/1899), times as fractions of a day.
    static func numericValue(_ cell: Cell) -> Double? {
        switch cell {
        case .integer(let value): Double(value)
        case .number(let value): value
        case .date(let date): Double(date.dayNumber + 25_569)
        case .dateTime(let date, let seconds): Double(date.dayNumber + 25_569) + seconds / 86_400
        case .time(let seconds), .duration(let seconds): seconds / 86_400
        case .text, .empty: nil
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A, B, ..., Z, AA, AB, ...
    static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// Sheet names as spreadsheets allow them: at most 31 characters, none of `[]:*?/\`, unique.
    static func uniqueNames(_ names: [String]) -> [String] {
        var used: Set<String> = []
        return names.map { name in
            let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "-" : $0 }.prefix(31))
            var candidate = cleaned.isEmpty ? "Trang" : cleaned
            var counter = 2
            while used.contains(candidate.lowercased()) {
                candidate = String(cleaned.prefix(27)) + " (\(counter))"
                counter += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
}
