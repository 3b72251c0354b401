import Foundation
import LoaModel
import Testing

@testable import LoaReports

@Suite struct XLSXWorkbookTests {
    @Test func columnsAreNamedAsSpreadsheetsNameThem() {
        #expect([0, 25, 26, 51, 52, 701, 702].map(XLSXWorkbook.columnName) == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"])
    }

    @Test func datesAndTimesAreSerialNumbers() {
        #expect(XLSXWorkbook.numericValue(.date(CivilDate(year: 2024, month: 11, day: 25)!)) == 45_621)
        #expect(XLSXWorkbook.numericValue(.date(CivilDate(year: 1970, month: 1, day: 1)!)) == 25_569)
        #expect(XLSXWorkbook.numericValue(.duration(seconds: 43_200)) == 0.5)
        #expect(XLSXWorkbook.numericValue(.text("12")) == nil, "text stays text")
    }

    /// A title with a control character or markup still makes a well-formed sheet.
    @Test func textThatXMLCannotHoldIsDroppedAndMarkupEscaped() throws {
        #expect(MarkupText.escaped("a\u{0}b\u{1B}<c>&\"'\td") == "ab&lt;c&gt;&amp;&quot;&apos;\td")
        let names = XLSXWorkbook.uniqueNames(["Số liệu", "số liệu", "a/b:c", String(repeating: "x", count: 40), ""])
        #expect(names == ["Số liệu", "số liệu (2)", "a-b-c", String(repeating: "x", count: 31), "Trang"])
    }
}
