import Foundation
import LoaLog
import LoaModel

/// The chain verification the report quotes, so every format says whether the log can be trusted.
public struct ReportContext: Sendable {
    public var station: Station
    public var chain: ChainVerification
    /// The log's rows of the period, for the formats that list the plays (XLSX).
    public var history: [BroadcastRecord]
    /// The station's day the report is made on: a period not over by then says its figures are
    /// "tính đến ngày" that day. Nil: the period is taken as over.
    public var today: CivilDate?

    public init(station: Station, chain: ChainVerification, history: [BroadcastRecord] = [], today: CivilDate? = nil) {
        self.station = station
        self.chain = chain
        self.history = history
        self.today = today
    }
}

/// The forms a report is written in; the raw value is the file's extension.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, csv, json, html, docx, xlsx

    /// As the console serves the file.
    public var mediaType: String {
        switch self {
        case .text: "text/plain; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        case .html: "text/html; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: XLSXWorkbook.mediaType
        }
    }

    /// The report of a station's campaigns from one pass over its log (`loa report` and the
    /// console's Báo cáo page), as the bytes of a file: tallies against the plan, and the chain's
    /// verification.
    public func render(
        station: Station, durations: AudioDurations, audit: LogAudit, campaigns: [String] = [], from: CivilDate? = nil,
        through: CivilDate? = nil, today: CivilDate? = nil, history: () throws -> [BroadcastRecord] = { [] }
    ) throws -> Data {
        let reports = CampaignReporter.reports(
            station: station, durations: durations, counts: audit.counts, campaigns: campaigns, from: from, through: through)
        return try render(
            reports,
            context: ReportContext(station: station, chain: audit.chain, history: listsPlays ? try history() : [], today: today))
    }

    /// Formats with a sheet of the plays themselves, which need the log's rows and not only its counts.
    public var listsPlays: Bool { self == .xlsx }

    /// The reports as the bytes of a file: UTF-8 text, or a Word document or workbook.
    public func render(_ reports: [CampaignReport], context: ReportContext) throws -> Data {
        switch self {
        case .text: Data(ReportText.render(reports, context).utf8)
        case .csv: Data(ReportCSV.render(reports, context).utf8)
        case .json: Data(ReportJSON.render(reports, context).utf8)
        case .html: Data(ReportHTML.render(reports, context).utf8)
        case .docx: try ReportDOCX.render(reports, context)
        case .xlsx: try ReportXLSX.render(reports, context)
        }
    }

    /// Binary formats go to a file, not to a terminal.
    public var isBinary: Bool { self == .docx || self == .xlsx }
}

/// Numbers as Vietnamese documents write them: `1.234`, `12,5`.
/// Numbers as Vietnamese documents write them: 1.234 and 4,6.
public enum VietnameseNumber {
    public static func integer(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, digit) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + String(grouped.reversed())
    }

    public static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return integer(tenths / 10) + "," + String(abs(tenths % 10))
    }
}

enum ReportText {
    static func render(_ reports: [CampaignReport], _ context: ReportContext) -> String {
        var out = ""
        for report in reports {
            let sections = ReportSections(report, context, byDay: true)
            out += ReportSections.title + "\n"
            for fact in sections.facts { out += "\(fact.label): \(fact.value)\n" }
            if let asOf = sections.asOf { out += asOf + "\n" }
            // The appendix rows Loa fills; the others are the commune's to write in.
            for row in sections.appendix where !row[2].isEmpty { out += "\(row[1]): \(row[2]) (\(row[3]))\n" }
            out += "\n"
            for section in sections.sections { out += table(section.title, section.rows) }
            out += sections.chainLine + "\n"
            out += sections.countingNote + "\n\n"
        }
        return out
    }

    private static func table(_ title: String, _ rows: [(name: String, tally: Tally)]) -> String {
        var out = "\(title):\n"
        out += "  " + pad("", 34) + ReportSections.columns.map { pad($0, 11) }.joined() + "\n"
        for (name, tally) in rows {
            out += "  " + pad(String(name.prefix(33)), 34) + ReportSections.cells(tally).map { pad($0, 11) }.joined() + "\n"
        }
        return out + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

/// The machine format (RFC 4180): one header row of stable English names (documented in the
/// README), one row per campaign, channel, day and session, ids as the config writes them, ISO
/// dates, airtime in seconds; no totals or notes among the data. People get the XLSX.
enum ReportCSV {
    static let header = "campaign,channel,channel_kind,date,session,planned,completed,interrupted,failed,missed,skipped,airtime_seconds"

    static func render(_ reports: [CampaignReport], _ context: ReportContext) -> String {
        var out = header + "\r\n"
        for report in reports {
            for row in report.rows {
                let tally = row.tally
                let counts = [tally.planned, tally.completed, tally.interrupted, tally.failed, tally.missed, tally.skipped].map(String.init)
                let fields = [report.campaign.id, row.channel, row.kind.rawValue, row.date.description, row.session]
                out += (fields + counts + [String(format: "%.1f", tally.airtimeSeconds)]).map(csvField).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }
}

/// For programs: every tally of every campaign, keys in English.
enum ReportJSON {
    struct Document: Encodable {
        var station: String
        var countingRule = CountingRule.english
        var chain: Chain
        var campaigns: [Campaign]
    }

    struct Chain: Encodable {
        var intact: Bool
        var head: String?
        var problem: String?
    }

    struct Campaign: Encodable {
        var id: String
        var title: String
        var directive: String
        var from: CivilDate
        var to: CivilDate
        var total: Counts
        var byKind: [String: Counts]
        var byChannel: [String: Counts]
        var byMessage: [String: Counts]
        var bySession: [String: Counts]
        var byDay: [String: Counts]
    }

    struct Counts: Encodable {
        var planned, completed, interrupted, failed, missed, skipped: Int
        /// To a tenth of a minute.
        var airtimeMinutes: Double

        init(_ t: Tally) {
            (planned, completed, interrupted, failed, missed, skipped) = (t.planned, t.completed, t.interrupted, t.failed, t.missed, t.skipped)
            airtimeMinutes = (t.airtimeMinutes * 10).rounded() / 10
        }
    }

    static func render(_ reports: [CampaignReport], _ context: ReportContext) -> String {
        func counts<Key>(_ values: [Key: Tally], _ name: (Key) -> String) -> [String: Counts] {
            Dictionary(uniqueKeysWithValues: values.map { (name($0.key), Counts($0.value)) })
        }
        let chain = context.chain
        return JSONDocument.text(
            Document(
                station: context.station.name, chain: Chain(intact: chain.isIntact, head: chain.head, problem: chain.problem),
                campaigns: reports.map { report in
                    Campaign(
                        id: report.campaign.id, title: report.campaign.title, directive: report.campaign.directive,
                        from: report.from, to: report.through, total: Counts(report.total),
                        byKind: counts(report.byKind) { $0.rawValue }, byChannel: counts(report.byChannel) { $0 },
                        byMessage: counts(report.byMessage) { $0 }, bySession: counts(report.bySession) { $0 },
                        byDay: counts(report.byDay) { $0.description })
                }))
    }
}
