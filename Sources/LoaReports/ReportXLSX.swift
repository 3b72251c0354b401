import Foundation
import LoaLog
import LoaModel

/// The report as a workbook for officials who add up communes in Excel: the tallies (one row per
/// campaign, channel, day and session, totals as formulas in a row apart), and the play history
/// behind them.
enum ReportXLSX {
    static func render(_ reports: [CampaignReport], _ context: ReportContext) throws -> Data {
        let station = context.station
        let names = StationNames(station)
        let areas = Dictionary(station.channels.map { ($0.id, $0.area) }, uniquingKeysWith: { a, _ in a })
        let tallies = XLSXWorkbook.Sheet(
            name: "Số liệu",
            columns: [
                .init("Chiến dịch", width: 36), .init("Kênh", width: 20), .init("Loại kênh", width: 12), .init("Khu vực", width: 24),
                .init("Ngày", width: 11), .init("Buổi", width: 12), .init("Kế hoạch (lượt)", width: 10), .init("Hoàn thành (lượt)", width: 10),
                .init("Bị ngắt", width: 8), .init("Lỗi", width: 8), .init("Bỏ lỡ", width: 8), .init("Bỏ qua", width: 8),
                .init("Thời lượng phát", width: 10),
            ],
            rows: reports.flatMap { report in
                report.rows.map { row -> [XLSXWorkbook.Cell] in
                    let tally = row.tally
                    return [
                        .text(report.campaign.title), .text(names.channel(row.channel)), .text(row.kind.vietnameseName),
                        .text(areas[row.channel] ?? ""), .date(row.date), .text(names.session(row.session)), .integer(tally.planned),
                        .integer(tally.completed), .integer(tally.interrupted), .integer(tally.failed), .integer(tally.missed),
                        .integer(tally.skipped), .duration(seconds: tally.airtimeSeconds.rounded()),
                    ]
                }
            },
            summed: Set(6...12))
        let history = reports.flatMap { report in
            context.history.filter { $0.campaign == report.campaign.id && report.from <= $0.date && $0.date <= report.through }
        }
        return try XLSXWorkbook(sheets: [tallies, BroadcastSheet.sheet(history, station: station)]).data()
    }
}
