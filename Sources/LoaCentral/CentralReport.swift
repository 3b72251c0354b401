import Foundation
import LoaModel
import PostgresNIO

/// A campaign across the store's communes: lượt completed and minutes by commune, kind of
/// channel and day, and how fresh each commune's figures are, so an official knows which are not
/// yet final.
public struct CentralReport: Sendable {
    public struct Line: Sendable, Equatable {
        public var commune: String
        public var name: String
        public var kind: String
        public var date: CivilDate
        public var completed: Int
        public var seconds: Double
    }

    public struct Freshness: Sendable {
        public var commune: String
        public var name: String
        /// Nil: the commune has never synced.
        public var syncedAt: Date?
        public var completeThrough: CivilDate?
        public var rows: Int64
    }

    public var campaign: String
    public var from: CivilDate
    public var through: CivilDate
    public var lines: [Line]
    public var freshness: [Freshness]

    public var completed: Int { lines.reduce(0) { $0 + $1.completed } }

    /// Completed campaign messages, as each commune's own report counts them.
    public static func make(_ store: CentralStore, campaign: String, from: CivilDate, through: CivilDate) async throws -> CentralReport {
        let rows = try await store.connection.query(
            """
            SELECT c.code, c.name, b.channel_kind, b.date::text, count(*)::bigint, coalesce(sum(b.played_seconds), 0)::float8
            FROM loa.broadcast b JOIN loa.commune c ON c.code = b.commune
            WHERE b.campaign = \(campaign) AND b.role = 'message' AND b.outcome = 'completed'
                AND b.date BETWEEN \(from.description)::date AND \(through.description)::date
            GROUP BY c.code, c.name, b.channel_kind, b.date ORDER BY c.code, b.date, b.channel_kind
            """, logger: store.logger)
        var lines: [Line] = []
        for try await (code, name, kind, date, completed, seconds) in rows.decode((String, String, String, String, Int64, Double).self) {
            guard let day = CivilDate(parsing: date) else { continue }
            lines.append(Line(commune: code, name: name, kind: kind, date: day, completed: Int(completed), seconds: seconds))
        }
        var freshness: [Freshness] = []
        let marks = try await store.connection.query(
            """
            SELECT c.code, c.name, extract(epoch FROM m.synced_at)::float8, m.complete_through::text, coalesce(m.seal_sequence, 0)
            FROM loa.commune c LEFT JOIN loa.mark m ON m.commune = c.code ORDER BY c.code
            """, logger: store.logger)
        for try await (code, name, synced, through, rows) in marks.decode((String, String, Double?, String?, Int64).self) {
            freshness.append(
                Freshness(
                    commune: code, name: name, syncedAt: synced.map { Date(timeIntervalSince1970: $0) },
                    completeThrough: through.flatMap(CivilDate.init(parsing:)), rows: rows))
        }
        return CentralReport(campaign: campaign, from: from, through: through, lines: lines, freshness: freshness)
    }

    /// For the official reading it: totals by commune and kind, then each commune's freshness.
    public func text(time: StationTime) -> String {
        var out = "BÁO CÁO TỔNG HỢP: chiến dịch \(campaign), từ ngày \(from.vietnamese) đến ngày \(through.vietnamese)\n\n"
        let byCommune = Dictionary(grouping: lines, by: \.commune)
        for fresh in freshness {
            let lines = byCommune[fresh.commune] ?? []
            let kinds = Dictionary(grouping: lines, by: \.kind).mapValues { $0.reduce(0) { $0 + $1.completed } }
            let kindText = kinds.keys.sorted().map { "\(ChannelKind(rawValue: $0)?.vietnameseName ?? $0) \(kinds[$0]!)" }.joined(separator: ", ")
            let synced = fresh.syncedAt.map { "đồng bộ lúc \(time.display($0))" } ?? "chưa đồng bộ"
            let through = fresh.completeThrough.map { ", số liệu đến hết ngày \($0.vietnamese)" } ?? ""
            out += "\(fresh.name) (\(fresh.commune)): \(lines.reduce(0) { $0 + $1.completed }) lượt"
            out += (kindText.isEmpty ? "" : " (\(kindText))") + "; \(synced)\(through)\n"
        }
        out += "\nTổng cộng: \(completed) lượt\n"
        return out
    }

    /// The machine form: one row per commune, kind and day.
    public var csv: String {
        var out = "commune,name,channel_kind,date,completed,airtime_seconds\r\n"
        for line in lines {
            out += [line.commune, line.name, line.kind, line.date.description, String(line.completed), String(format: "%.3f", line.seconds)]
                .map(csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
