import Foundation
import LoaLog
import LoaModel

/// The play history as a spreadsheet: one row per broadcast of the log, in local time, with
/// names from the config and reasons in Vietnamese (the report's second sheet, and the console's
/// export of the log page).
public enum BroadcastSheet {
    public static func sheet(_ rows: [BroadcastRecord], station: Station, name: String = "Lượt phát") -> XLSXWorkbook.Sheet {
        let names = StationNames(station)
        let time = StationTime(zone: station.timeZone)
        func clock(_ stamp: String?) -> XLSXWorkbook.Cell {
            guard let instant = stamp.flatMap(LogTime.date) else { return .empty }
            return .time(seconds: time.wallTime(of: instant).seconds.rounded())
        }
        return XLSXWorkbook.Sheet(
            name: name,
            columns: [
                .init("Ngày", width: 11), .init("Giờ theo lịch", width: 10), .init("Bắt đầu", width: 10), .init("Kết thúc", width: 10),
                .init("Thời lượng phát", width: 10), .init("Kênh", width: 20), .init("Loại kênh", width: 12), .init("Buổi", width: 12),
                .init("Chiến dịch", width: 36), .init("Bản tin", width: 32), .init("Kết quả", width: 12), .init("Lý do", width: 40),
                .init("Mã lượt phát", width: 30),
            ],
            rows: rows.map { row in
                [
                    .date(row.date), clock(row.scheduledStart), clock(row.actualStart), clock(row.actualEnd),
                    .duration(seconds: row.playedSeconds.rounded()), .text(names.channel(row.channel)), .text(row.channelKind.vietnameseName),
                    .text(names.session(row.session)), .text(names.campaign(row.campaign)), .text(names.message(row.message, of: row.campaign)),
                    .text(row.outcome.vietnameseName), .text(row.reasonCode?.vietnameseName ?? ""), .text(row.entryID),
                ]
            },
            summed: [4])
    }
}
