import Foundation
import LoaLog
import LoaModel

/// A periodic report made where a campaign report's machine formats have no meaning.
public struct UnsupportedReportFormat: Error, CustomStringConvertible {
    public var format: ReportFormat
    public var description: String {
        "a periodic report is written as text, docx or xlsx, not \(format.rawValue) (for the log's rows use loa log --format csv|json)"
    }
}

extension ActivityReport {
    /// The week's programme log (sổ nhật ký chương trình) or the period's activity report, as the
    /// bytes of a file.
    public func render(_ format: ReportFormat, chain: ChainVerification) throws -> Data {
        switch format {
        case .text: Data(ActivityText.render(self, chain: chain).utf8)
        case .docx: try ActivityDOCX.render(self, chain: chain)
        case .xlsx: try ActivityXLSX.render(self)
        case .csv, .json, .html: throw UnsupportedReportFormat(format: format)
        }
    }

    /// "SỔ NHẬT KÝ CHƯƠNG TRÌNH" for a week, "BÁO CÁO" for the others.
    var kind: String { period == .week ? "SỔ NHẬT KÝ CHƯƠNG TRÌNH" : "BÁO CÁO" }

    var subject: String {
        period == .week
            ? "\(station.name), \(period.vietnamese(window))"
            : "Kết quả hoạt động của \(station.name) \(period.vietnamese(window))"
    }

    var asOfLine: String? { asOf.map { "Số liệu tính đến ngày \($0.vietnamese)." } }

    /// Sessions of the plan held (one completed item at least), per channel, in the station's order.
    var heldByChannel: [(channel: String, planned: Int, held: Int, unplanned: Int)] {
        let names = StationNames(station)
        return station.channels.map { channel in
            let lines = sessions.filter {
                $0.channel == channel.id && $0.session != StationNames.announcementSession && $0.session != StationNames.liveSession
            }
            return (
                names.channel(channel.id), lines.filter(\.wasPlanned).count, lines.filter { $0.wasPlanned && $0.wasHeld }.count,
                lines.filter { !$0.wasPlanned && $0.wasHeld }.count
            )
        }
    }

    /// Airtime by kind of channel, in hours: in all, the station's own, relayed (tiếp sóng), and
    /// the fallback aired while a relay's source failed.
    var hoursByKind: [(kind: String, hours: Double, own: Double, relayed: Double, fallback: Double)] {
        ChannelKind.allCases.compactMap { kind in
            let own = airedSeconds[kind] ?? 0, relayed = relayedSeconds[kind] ?? 0, fallback = fallbackSeconds[kind] ?? 0
            guard airedSeconds[kind] != nil || relayedSeconds[kind] != nil || fallbackSeconds[kind] != nil else { return nil }
            return (kind.vietnameseName, (own + relayed + fallback) / 3600, own / 3600, relayed / 3600, fallback / 3600)
        }
    }

    static func clock(_ seconds: Double?) -> String { seconds.map { TimeOfDay(seconds: Int($0)).withSeconds } ?? "" }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return "\(whole / 60):" + CivilDate.padded(whole % 60)
    }
}

enum ActivityText {
    static func render(_ report: ActivityReport, chain: ChainVerification) -> String {
        let names = StationNames(report.station)
        var out = "\(report.kind): \(report.subject)\n"
        if let asOf = report.asOfLine { out += asOf + "\n" }
        if report.period == .week {
            var day: CivilDate?
            for line in report.sessions {
                if line.date != day {
                    day = line.date
                    out += "\n\(line.date.weekday.vietnameseName), \(line.date.vietnamese)\n"
                }
                let times = "\(ActivityReport.clock(line.start))-\(ActivityReport.clock(line.end))"
                out += "  \(times.padding(toLength: 18, withPad: " ", startingAt: 0)) \(names.session(line.session)), \(names.channel(line.channel)): "
                out += "\(line.completedItems)/\(line.plannedItems) mục, \(ActivityReport.duration(line.airedSeconds))"
                out += (line.incidents > 0 ? ", \(line.incidents) sự cố" : "") + (line.titles.isEmpty ? "" : "; " + line.titles.joined(separator: "; ")) + "\n"
            }
        } else {
            out += "\nThời lượng phát:\n"
            for line in report.hoursByKind {
                out += "  \(line.kind): \(VietnameseNumber.decimal(line.hours)) giờ (tự sản xuất \(VietnameseNumber.decimal(line.own)), "
                out += "tiếp sóng \(VietnameseNumber.decimal(line.relayed))"
                out += (line.fallback > 0 ? ", phát dự phòng khi mất tín hiệu \(VietnameseNumber.decimal(line.fallback))" : "") + ")\n"
            }
            out += "Buổi phát theo kế hoạch đã phát:\n"
            for row in report.heldByChannel { out += "  \(row.channel): \(row.held)/\(row.planned)\n" }
            out += "Lượt tuyên truyền:\n"
            for campaign in report.campaigns { out += "  \(campaign.title): \(campaign.completed)/\(campaign.planned) lượt\n" }
        }
        out += "\nSự cố: \(report.incidents.count)\n"
        let time = StationTime(zone: report.station.timeZone)
        for row in report.incidents.prefix(200) {
            out += "  \(row.date.vietnamese) \(time.clock(logged: row.scheduledStart) ?? "")  "
            let what = row.role == .relayFallback ? "phát dự phòng \(ActivityReport.duration(row.playedSeconds))" : row.outcome.vietnameseName
            out += "\(names.channel(row.channel)): \(what), \(row.reasonCode?.vietnameseName ?? "")\n"
        }
        out += "\n" + ReportSections.chainLine(chain) + "\n"
        return out
    }
}

enum ActivityDOCX {
    typealias D = ReportDOCX

    static func render(_ report: ActivityReport, chain: ChainVerification) throws -> Data {
        let heading = DocumentHeading(station: report.station, year: (report.asOf ?? report.window.last).year)
        var body = D.opening(heading, kind: report.kind, subject: report.subject, withRecipients: report.period != .week)
        if let asOf = report.asOfLine { body += D.paragraph([D.Run(asOf, italic: true, size: 13)], align: "center", after: 120) }
        body += report.period == .week ? programmeLog(report) : activity(report, heading: heading)
        body += D.paragraph([D.Run(ReportSections.chainSummary(chain), italic: true, size: 11)], before: 120, after: 120)
        body += D.signature(heading)
        return try D.package(body: body, landscape: report.period == .week)
    }

    /// Each day: what aired in each session on each channel, then a line for the duty operator;
    /// on a turned page, so times and sources fit their columns on one line.
    private static func programmeLog(_ report: ActivityReport) -> String {
        let names = StationNames(report.station)
        var out = ""
        for (date, lines) in Dictionary(grouping: report.sessions, by: \.date).sorted(by: { $0.key < $1.key }) {
            out += D.paragraph([D.Run("\(date.weekday.vietnameseName), \(date.vietnamese)", bold: true, size: 13)], before: 120, after: 60)
            let rows = lines.map { line in
                [
                    names.session(line.session), names.channel(line.channel),
                    "\(ActivityReport.clock(line.start))-\(ActivityReport.clock(line.end))", ActivityReport.duration(line.airedSeconds),
                    "\(line.completedItems)/\(line.plannedItems) mục" + (line.titles.isEmpty ? "" : ": " + line.titles.joined(separator: "; ")),
                    line.relayedSeconds == 0 ? "Tự sản xuất" : line.relayedSeconds >= line.airedSeconds ? "Tiếp sóng" : "Tự sản xuất, tiếp sóng",
                    line.incidents == 0 ? "" : "\(line.incidents)",
                ]
            }
            out += D.table(
                [["Buổi", "Kênh", "Giờ phát", "Thời lượng", "Nội dung đã phát", "Nguồn", "Sự cố"]] + rows,
                widths: [1_300, 1_900, 1_900, 1_100, D.landscapeTextWidth - 9_200, 2_300, 700], size: 10)
            out += D.paragraph(
                [D.Run("Người trực máy (ký, ghi rõ họ tên): ........................................", italic: true, size: 11)],
                align: "right", before: 60, after: 120)
        }
        return out
    }

    private static func activity(_ report: ActivityReport, heading: DocumentHeading) -> String {
        let period = report.period.vietnamese(report.window)
        var out = D.body(
            "\(heading.committee) báo cáo kết quả hoạt động của \(report.station.name) \(period) "
                + "(từ ngày \(report.window.first.vietnamese) đến ngày \(report.window.last.vietnamese)) như sau:")
        out += D.body("1. Thời lượng phát sóng", bold: true)
        out += D.table(
            [["Hệ thống", "Số giờ phát", "Tự sản xuất", "Tiếp sóng"]]
                + report.hoursByKind.map {
                    [$0.kind, VietnameseNumber.decimal($0.hours), VietnameseNumber.decimal($0.own), VietnameseNumber.decimal($0.relayed + $0.fallback)]
                },
            widths: [3_354, 2_000, 2_000, 2_000], size: 12)
        out += D.body("2. Buổi phát", bold: true)
        out += D.table(
            [["Kênh", "Theo kế hoạch", "Đã phát", "Không phát được"]]
                + report.heldByChannel.map { [$0.channel, "\($0.planned)", "\($0.held)", "\($0.planned - $0.held)"] },
            widths: [3_354, 2_000, 2_000, 2_000], size: 12)
        out += D.body("3. Tuyên truyền các chiến dịch", bold: true)
        out += D.table(
            [["Chiến dịch", "Kế hoạch (lượt)", "Đã phát (lượt)"]]
                + report.campaigns.map { [$0.title, VietnameseNumber.integer($0.planned), VietnameseNumber.integer($0.completed)] },
            widths: [5_354, 2_000, 2_000], size: 12)
        out += D.body("4. Sự cố", bold: true)
        if report.incidents.isEmpty {
            out += D.body("Không có sự cố: mọi lượt theo kế hoạch đều được phát trọn vẹn.")
        } else {
            let names = StationNames(report.station), time = StationTime(zone: report.station.timeZone)
            let byReason = Dictionary(grouping: report.incidents, by: { $0.reasonCode?.vietnameseName ?? $0.outcome.vietnameseName })
            out += D.body(
                "Có \(report.incidents.count) lần phát không trọn vẹn: "
                    + byReason.sorted { $0.value.count > $1.value.count }.map { "\($0.key) (\($0.value.count))" }.joined(separator: "; ") + ".")
            out += D.table(
                [["Ngày", "Giờ", "Kênh", "Nội dung", "Lý do"]]
                    + report.incidents.prefix(100).map { row in
                        [
                            row.date.vietnamese, time.clock(logged: row.scheduledStart) ?? "", names.channel(row.channel),
                            names.message(row.message, of: row.campaign), row.reasonCode?.vietnameseName ?? row.outcome.vietnameseName,
                        ]
                    },
                widths: [1_300, 1_000, 1_800, 2_854, 2_400], size: 10)
        }
        return out
    }
}

enum ActivityXLSX {
    static func render(_ report: ActivityReport) throws -> Data {
        let names = StationNames(report.station)
        let sessions = XLSXWorkbook.Sheet(
            name: "Buổi phát",
            columns: [
                .init("Ngày", width: 11), .init("Buổi", width: 12), .init("Kênh", width: 20), .init("Mục theo kế hoạch", width: 10),
                .init("Mục đã phát", width: 10), .init("Bắt đầu", width: 10), .init("Kết thúc", width: 10), .init("Thời lượng phát", width: 10),
                .init("Tiếp sóng", width: 10), .init("Sự cố", width: 8), .init("Nội dung đã phát", width: 60),
            ],
            rows: report.sessions.map { line in
                [
                    .date(line.date), .text(names.session(line.session)), .text(names.channel(line.channel)), .integer(line.plannedItems),
                    .integer(line.completedItems), line.start.map { .time(seconds: $0.rounded()) } ?? .empty,
                    line.end.map { .time(seconds: $0.rounded()) } ?? .empty, .duration(seconds: line.airedSeconds.rounded()),
                    .duration(seconds: line.relayedSeconds.rounded()), .integer(line.incidents), .text(line.titles.joined(separator: "; ")),
                ]
            },
            summed: [3, 4, 7, 8, 9])
        let campaigns = XLSXWorkbook.Sheet(
            name: "Chiến dịch",
            columns: [.init("Chiến dịch", width: 50), .init("Kế hoạch (lượt)", width: 12), .init("Đã phát (lượt)", width: 12)],
            rows: report.campaigns.map { [.text($0.title), .integer($0.planned), .integer($0.completed)] }, summed: [1, 2])
        return try XLSXWorkbook(sheets: [sessions, campaigns, BroadcastSheet.sheet(report.incidents, station: report.station, name: "Sự cố")])
            .data()
    }
}
