import LoaModel
import LoaReports
import Testing

@Suite struct ReportPeriodTests {
    static func day(_ text: String) -> CivilDate { CivilDate(parsing: text)! }

    @Test func periodsAreCalendarWeeksMonthsQuartersAndYears() {
        let wednesday = Self.day("2024-11-27")
        #expect(ReportPeriod.week.window(containing: wednesday) == DateWindow(first: Self.day("2024-11-25"), last: Self.day("2024-12-01")))
        #expect(ReportPeriod.week.window(containing: Self.day("2024-12-01")).first == Self.day("2024-11-25"), "Sunday ends the week")
        #expect(ReportPeriod.month.window(containing: Self.day("2024-12-31")) == DateWindow(first: Self.day("2024-12-01"), last: Self.day("2024-12-31")))
        #expect(ReportPeriod.month.window(containing: Self.day("2024-02-10")).last == Self.day("2024-02-29"), "a leap February")
        #expect(ReportPeriod.quarter.window(containing: wednesday) == DateWindow(first: Self.day("2024-10-01"), last: Self.day("2024-12-31")))
        #expect(ReportPeriod.year.window(containing: wednesday) == DateWindow(first: Self.day("2024-01-01"), last: Self.day("2024-12-31")))
        let quarter = ReportPeriod.quarter.window(containing: wednesday)
        #expect(ReportPeriod.quarter.vietnamese(quarter) == "quý IV/2024")
        #expect(ReportPeriod.month.vietnamese(ReportPeriod.month.window(containing: wednesday)) == "tháng 11/2024")
    }
}
