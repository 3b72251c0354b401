import Foundation
import LoaModel
import LoaReports
import PostgresNIO

/// A campaign across the store's communes: lượt planned (where a commune shipped its plan) and
/// completed, and minutes, by commune, kind of channel and day, and how fresh each commune's
/// figures are, so an official knows which are not yet final.
public struct CentralReport: Sendable {
    public struct Line: Sendable, Equatable {
        public var commune: String
        public var name: String
        public var kind: String
        public var date: CivilDate
        /// Nil where the commune shipped no plan of the campaign.
        public var planned: Int?
        public var completed: Int
        public var seconds: Double
    }

    public struct Freshness: Sendable {
        public var commune: String
        public var name: String
        /// Nil: the commune has never synced.
        public var syncedAt: Date?
        public var completeThrough: CivilDate?
        /// The last sequence of its chain the store holds, every row of it checked on arrival.
        public var rows: Int64
    }

    public var campaign: String
    /// As the communes' campaign files title it, once one has synced its plan.
    public var title: String?
    public var from: CivilDate
    public var through: CivilDate
    public var lines: [Line]
    public var freshness: [Freshness]

    /// Lượt planned (nil where no commune of the lines shipped a plan), completed, and airtime.
    struct Totals: Sendable, Equatable {
        var planned: Int?
        var completed: Int
        var seconds: Double

        init(_ lines: [Line]) {
            planned = lines.contains { $0.planned != nil } ? lines.reduce(0) { $0 + ($1.planned ?? 0) } : nil
            completed = lines.reduce(0) { $0 + $1.completed }
            seconds = lines.reduce(0) { $0 + $1.seconds }
        }

        /// "46/48" where the plan is known, "46" where it is not.
        var fraction: String { planned.map { "\(completed)/\($0)" } ?? "\(completed)" }
        /// Airtime in minutes, to a tenth, as the spreadsheet shows it.
        var minutes: Double { (seconds / 60 * 10).rounded() / 10 }
    }

    var totals: Totals { Totals(lines) }

    /// Each commune's totals, by its code.
    var totalsByCommune: [String: Totals] { Dictionary(grouping: lines, by: \.commune).mapValues(Totals.init) }

    /// Completed campaign messages, as each commune's own report counts them.
    public static func make(_ store: CentralStore, campaign: String, from: CivilDate, through: CivilDate) async throws -> CentralReport {
        let rows = try await store.connection.query(
            """
            WITH done AS (
                SELECT commune, channel_kind, date, count(*)::bigint AS completed, coalesce(sum(played_seconds), 0)::float8 AS seconds
                FROM loa.broadcast
                WHERE campaign = \(campaign) AND role = 'message' AND outcome = 'completed'
                    AND date BETWEEN \(from.description)::date AND \(through.description)::date
                GROUP BY commune, channel_kind, date),
            shipped AS (SELECT DISTINCT commune FROM loa.planned WHERE campaign = \(campaign)),
            plan AS (
                SELECT commune, channel_kind, date, planned FROM loa.planned
                WHERE campaign = \(campaign) AND date BETWEEN \(from.description)::date AND \(through.description)::date)
            SELECT c.code, c.name, coalesce(d.channel_kind, p.channel_kind), coalesce(d.date, p.date)::text,
                CASE WHEN c.code IN (SELECT commune FROM shipped) THEN coalesce(p.planned, 0)::bigint END,
                coalesce(d.completed, 0)::bigint, coalesce(d.seconds, 0)::float8
            FROM done d FULL JOIN plan p ON p.commune = d.commune AND p.channel_kind = d.channel_kind AND p.date = d.date
            JOIN loa.commune c ON c.code = coalesce(d.commune, p.commune)
            ORDER BY 1, 4, 3
            """, logger: store.logger)
        var lines: [Line] = []
        for try await (code, name, kind, date, planned, completed, seconds) in rows.decode(
            (String, String, String, String, Int64?, Int64, Double).self)
        {
            guard let day = CivilDate(parsing: date) else { continue }
            lines.append(
                Line(commune: code, name: name, kind: kind, date: day, planned: planned.map(Int.init), completed: Int(completed), seconds: seconds))
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
        var title: String?
        for try await name in try await store.connection.query("SELECT title FROM loa.campaign WHERE id = \(campaign)", logger: store.logger)
            .decode(String.self)
        {
            title = name
        }
        return CentralReport(campaign: campaign, title: title, from: from, through: through, lines: lines, freshness: freshness)
    }

    /// For the official reading it: totals by commune and kind, then each commune's freshness.
    public func text(time: StationTime) -> String {
        var out = "BÁO CÁO TỔNG HỢP: chiến dịch \(title.map { "\($0) (\(campaign))" } ?? campaign), từ ngày \(from.vietnamese) đến ngày \(through.vietnamese)\n\n"
        let byCommune = Dictionary(grouping: lines, by: \.commune)
        for fresh in freshness {
            let lines = byCommune[fresh.commune] ?? []
            let kinds = Dictionary(grouping: lines, by: \.kind).mapValues { $0.reduce(0) { $0 + $1.completed } }
            let kindText = kinds.keys.sorted().map { "\(ChannelKind(rawValue: $0)?.vietnameseName ?? $0) \(kinds[$0]!)" }.joined(separator: ", ")
            let synced = fresh.syncedAt.map { "đồng bộ lúc \(time.display($0))" } ?? "chưa đồng bộ"
            let through = fresh.completeThrough.map { ", số liệu đến hết ngày \($0.vietnamese)" } ?? ""
            out += "\(fresh.name) (\(fresh.commune)): \(Totals(lines).fraction) lượt"
            out += (kindText.isEmpty ? "" : " (\(kindText))") + "; \(synced)\(through)\n"
        }
        out += "\nTổng cộng: \(totals.fraction) lượt\n"
        return out
    }

    /// For programs: the lines and each commune's freshness.
    public var json: String {
        let document: [String: Any] = [
            "campaign": campaign, "from": from.description, "to": through.description,
            "lines": lines.map { line -> [String: Any] in
                [
                    "commune": line.commune, "name": line.name, "channel_kind": line.kind, "date": line.date.description,
                    "planned": line.planned.map { $0 as Any } ?? NSNull(), "completed": line.completed,
                    "airtime_seconds": (line.seconds * 1000).rounded() / 1000,
                ]
            },
            "communes": freshness.map { fresh -> [String: Any] in
                [
                    "commune": fresh.commune, "name": fresh.name,
                    "synced_at": fresh.syncedAt.map { ISO8601DateFormatter().string(from: $0) as Any } ?? NSNull(),
                    "complete_through": fresh.completeThrough.map { $0.description as Any } ?? NSNull(), "verified_rows": fresh.rows,
                ]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Per commune (planned, completed, minutes, freshness), then every line, for Excel.
    public func xlsx(time: StationTime) throws -> Data {
        let byCommune = totalsByCommune
        let communes = XLSXWorkbook.Sheet(
            name: "Theo xã",
            columns: [
                .init("Mã xã", width: 9), .init("Xã, phường", width: 28), .init("Kế hoạch (lượt)", width: 12),
                .init("Đã phát (lượt)", width: 12), .init("Thời lượng (phút)", width: 12), .init("Đồng bộ lúc", width: 20),
                .init("Số liệu đến hết ngày", width: 14),
            ],
            rows: freshness.map { fresh in
                let totals = byCommune[fresh.commune] ?? Totals([])
                return [
                    .text(fresh.commune), .text(fresh.name), totals.planned.map { .integer($0) } ?? .empty, .integer(totals.completed),
                    .number(totals.minutes),
                    .text(fresh.syncedAt.map(time.display) ?? "chưa đồng bộ"), fresh.completeThrough.map { .date($0) } ?? .empty,
                ]
            },
            summed: [2, 3, 4])
        let days = XLSXWorkbook.Sheet(
            name: "Theo ngày",
            columns: [
                .init("Mã xã", width: 9), .init("Xã, phường", width: 28), .init("Hệ thống", width: 20), .init("Ngày", width: 11),
                .init("Kế hoạch (lượt)", width: 12), .init("Đã phát (lượt)", width: 12), .init("Thời lượng (phút)", width: 12),
            ],
            rows: lines.map { line in
                [
                    .text(line.commune), .text(line.name), .text(ChannelKind(rawValue: line.kind)?.vietnameseName ?? line.kind), .date(line.date),
                    line.planned.map { .integer($0) } ?? .empty, .integer(line.completed), .number(Totals([line]).minutes),
                ]
            },
            summed: [4, 5, 6])
        return try XLSXWorkbook(sheets: [communes, days]).data()
    }

    /// The province's báo cáo tổng hợp, in the official layout, signed by the level above.
    public func docx(heading: OfficialHeading, body: String, campaignTitle: String, time: StationTime, year: Int) throws -> Data {
        let byCommune = Dictionary(grouping: lines, by: \.commune)
        let totals = self.totals
        let stale = freshness.filter { ($0.completeThrough ?? CivilDate(dayNumber: 0)) < through }
        var blocks: [OfficialDocument.Block] = [
            .paragraph(
                "\(body) tổng hợp kết quả tuyên truyền chiến dịch \(campaignTitle) trên hệ thống truyền thanh cơ sở "
                    + "từ ngày \(from.vietnamese) đến ngày \(through.vietnamese), theo nhật ký phát của \(freshness.count) xã, phường "
                    + "gửi về kho dữ liệu tập trung (mỗi bản ghi đã được kiểm tra chuỗi băm khi nhận), như sau:"),
            .paragraph("1. Kết quả theo xã, phường", bold: true),
            .table(
                [["Xã, phường", "Kế hoạch (lượt)", "Đã phát (lượt)", "FM (lượt)", "Loa (lượt)", "Số liệu đến ngày"]]
                    + freshness.map { fresh in
                        let lines = byCommune[fresh.commune] ?? []
                        func count(_ kind: String) -> String { VietnameseNumber.integer(lines.filter { $0.kind == kind }.reduce(0) { $0 + $1.completed }) }
                        let commune = Totals(lines)
                        return [
                            fresh.name, commune.planned.map(VietnameseNumber.integer) ?? "-", VietnameseNumber.integer(commune.completed),
                            count("fm"), count("loudspeaker"),
                            fresh.completeThrough?.vietnamese ?? "chưa gửi",
                        ]
                    }
                    + [["Tổng cộng", VietnameseNumber.integer(totals.planned ?? 0), VietnameseNumber.integer(totals.completed), "", "", ""]],
                widths: [2_954, 1_300, 1_300, 1_100, 1_100, 1_600]),
            .paragraph("2. Tình trạng số liệu", bold: true),
        ]
        if stale.isEmpty {
            blocks.append(.paragraph("Số liệu của mọi xã, phường đã gửi đến hết ngày \(through.vietnamese)."))
        } else {
            blocks.append(
                .paragraph(
                    "Số liệu của \(stale.count) xã, phường chưa đầy đủ đến hết ngày \(through.vietnamese) (chưa đồng bộ hoặc đồng bộ chưa hết kỳ): "
                        + stale.map { "\($0.name) (\($0.syncedAt.map { "đồng bộ lúc " + time.display($0) } ?? "chưa đồng bộ"))" }
                        .joined(separator: "; ") + ". Các số liệu này sẽ được cập nhật khi xã gửi đủ."))
        }
        return try OfficialDocument(
            heading: heading, body: body, subject: "Kết quả tuyên truyền chiến dịch \(campaignTitle) trên hệ thống truyền thanh cơ sở",
            year: year, blocks: blocks
        ).docx()
    }

    /// The machine form: one row per commune, kind and day.
    public var csv: String {
        var out = "commune,name,channel_kind,date,planned,completed,airtime_seconds\r\n"
        for line in lines {
            out += [
                line.commune, line.name, line.kind, line.date.description, line.planned.map(String.init) ?? "", String(line.completed),
                String(format: "%.3f", line.seconds),
            ]
                .map(csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
