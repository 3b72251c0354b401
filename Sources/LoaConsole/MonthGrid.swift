import LoaLog
import LoaModel
import LoaReports

/// A campaign's window as calendar months (weeks from Monday, as Vietnamese calendars run), each
/// day of the window with its lượt completed against planned: the same tallies as `loa report`.
enum MonthGrid {
    static let weekdays = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]

    static func months(of report: CampaignReport) -> [[String: Any]] {
        var months: [[String: Any]] = []
        var month = CivilDate(year: report.from.year, month: report.from.month, day: 1)!
        while month <= report.through {
            let next = month.month == 12
                ? CivilDate(year: month.year + 1, month: 1, day: 1)! : CivilDate(year: month.year, month: month.month + 1, day: 1)!
            // Blank cells before the 1st, then the month's days, in rows of seven.
            var cells: [[String: Any]] = Array(repeating: ["blank": true], count: month.weekday.rawValue - 1)
            var day = month
            while day < next {
                var cell: [String: Any] = ["day": day.day]
                if report.from <= day, day <= report.through {
                    let tally = report.byDay[day] ?? Tally()
                    cell["counts"] = "\(tally.completed)/\(tally.planned)"
                    cell["short"] = tally.completed < tally.planned
                }
                cells.append(cell)
                day = day.adding(days: 1)
            }
            let weeks = stride(from: 0, to: cells.count, by: 7).map { ["days": Array(cells[$0..<min($0 + 7, cells.count)])] }
            months.append(["name": "Tháng \(month.month)/\(month.year)", "weeks": weeks])
            month = next
        }
        return months
    }
}
