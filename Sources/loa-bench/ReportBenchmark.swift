import Foundation
import GRDB
import GRDBSQLite
import LoaLog
import LoaModel

/// `loa report` over a generated log of a million rows: CSV and DOCX, time and peak memory, beside
/// a baseline that only has SQLite count the rows by campaign and outcome.
enum ReportBenchmark {
    static func run(rows: Int) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let station = repository.appendingPathComponent("schedules/kha-son").path
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("loa-bench")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("report-\(rows).sqlite").path
        if !FileManager.default.fileExists(atPath: path) {
            print("generating a log of \(rows) rows...")
            try generate(rows: rows, path: path + ".tmp")
            try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
        }
        let log = try BroadcastLog.existing(path: path)
        let (baseline, baselineSeconds) = try timed {
            try log.read { db in
                try Int.fetchOne(db, sql: "SELECT SUM(n) FROM (SELECT COUNT(*) AS n FROM broadcast GROUP BY campaign, outcome)") ?? 0
            }
        }
        precondition(baseline == rows)
        let (read, floorSeconds) = try timed { try log.read(readEveryColumn) }
        precondition(read == rows)
        let loa = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loa").path
        print("Report over a log of \(rows) rows (Kha Sơn station, one campaign, every outcome present)")
        print("baseline: SQLite counts rows by campaign and outcome: \(String(format: "%.3f", baselineSeconds)) s")
        print("floor: SQLite hands over every column of every row, one thread, nothing done with them: \(String(format: "%.3f", floorSeconds)) s")
        for format in ["csv", "docx"] {
            let output = folder.appendingPathComponent("report.\(format)").path
            let usage = try PlayoutBenchmark.measure(
                "loa report --format \(format)", loa, "report", station, "--campaign", "lua-dao-truc-tuyen-2024",
                "--format", format, "--output", output, "--log", path)
            print(
                String(
                    format: "  %@: %.2f s wall, %.2fx the baseline, %.2fx the floor (goal under 1 s and 200 MB)", format, usage.wall,
                    usage.wall / baselineSeconds, usage.wall / floorSeconds))
        }
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now()
        let result = try body()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }

    /// What any pass over the log must pay: SQLite stepping through the rows in chain order and
    /// handing over each column's bytes.
    static func readEveryColumn(_ db: Database) throws -> Int {
        let statement = try db.makeStatement(sql: "SELECT * FROM broadcast ORDER BY sealSequence")
        let cursor = try Row.fetchCursor(statement)
        var rows = 0, bytes = 0
        while try cursor.next() != nil {
            rows += 1
            for column in 0..<sqlite3_column_count(statement.sqliteStatement) {
                _ = sqlite3_column_text(statement.sqliteStatement, column)
                bytes += Int(sqlite3_column_bytes(statement.sqliteStatement, column))
            }
        }
        precondition(bytes > 0)
        return rows
    }

    /// Rows spread over the campaign's window, channels, sessions and messages, 90 % completed and
    /// the rest spread over the other outcomes, sealed into a valid chain.
    static func generate(rows: Int, path: String) throws {
        let log = try BroadcastLog(path: path)
        let channels: [(String, ChannelKind)] = [("fm", .fm), ("loa-cum-1", .loudspeaker), ("loa-cum-2", .loudspeaker), ("loa-cum-3", .loudspeaker)]
        let sessions = ["sang", "trua", "chieu"]
        let messages = [("lừa-đảo-nhận-diện", "lừa-đảo-nhận-diện.wav"), ("lua-dao-tong-dai", "lua-dao-tong-dai.mp3")]
        let outcomes: [Outcome] = Array(repeating: .completed, count: 18) + [.interrupted, .missed]
        var batch: [BroadcastRecord] = []
        for n in 0..<rows {
            let channel = channels[n % channels.count], message = messages[n / 4 % messages.count]
            let date = CivilDate(year: 2024, month: 11, day: 25)!.adding(days: n % 21)
            var record = BroadcastRecord(
                entryID: "bench/\(n)", date: date, station: "Đài truyền thanh xã Kha Sơn", channel: channel.0,
                channelKind: channel.1, session: sessions[n / 8 % sessions.count], campaign: "lua-dao-truc-tuyen-2024",
                message: message.0, role: .message, audio: message.1, audioSHA256: nil,
                scheduledStart: "\(date)T00:00:00.000Z", timeZone: "Asia/Ho_Chi_Minh", device: "null")
            record.outcome = outcomes[n % outcomes.count]
            record.playedSeconds = record.outcome == .completed ? 20 : 0
            batch.append(record)
            if batch.count == 50_000 {
                try log.appendSettled(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try log.appendSettled(batch)
    }
}
