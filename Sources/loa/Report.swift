import ArgumentParser
import Foundation
import LoaFrontend
import LoaLog
import LoaModel
import LoaReports

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The campaign report's broadcast tallies, or the station's periodic reports, from the log against the plan.",
        discussion: """
            One lượt is one completed play of one campaign message on one channel in one session; \
            interrupted, failed, missed and skipped plays are shown apart and never counted. The period \
            defaults to each campaign's window.

            --period week writes the week's programme log (sổ nhật ký chương trình: each day and session, \
            what aired, when, incidents, a line for the duty operator to sign); month, quarter and year \
            write the activity report (hours aired by kind of channel, sessions held against planned, \
            lượt per campaign, incidents). They are written as text, docx or xlsx.
            """)

    @OptionGroup var options: StationOptions
    @Option(name: .customLong("campaign"), help: "Campaign id (repeatable; default: all).") var campaigns: [String] = []
    @Option(help: "First day.", transform: parseDate) var from: CivilDate?
    @Option(help: "Last day.", transform: parseDate) var to: CivilDate?
    @Option(
        name: .customLong("on"),
        help: "The day the report is made (default: today): a period not over by then is reported as its figures so far.",
        transform: parseDate) var madeOn: CivilDate?
    @Option(help: "text, csv, json, html, docx or xlsx.") var format: ReportFormat = .text
    @Option(help: "week, month, quarter or year: the station's periodic report instead of the campaign report.")
    var period: ReportPeriod?
    @Option(help: "A day of the period (default: the report's day).", transform: parseDate) var at: CivilDate?
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var logOptions: LogOptions

    func run() throws {
        let (station, checked) = try options.loadValid()
        let known = station.reportedCampaigns.map(\.id)
        if let unknown = campaigns.first(where: { !known.contains($0) }) {
            throw ValidationError("unknown campaign '\(unknown)'; the station has \(known.joined(separator: ", "))")
        }
        if format.isBinary, output == nil { throw ValidationError("--format \(format.rawValue) needs --output FILE") }
        if let from, let to { try checkRange(from, to) }
        if period != nil, !campaigns.isEmpty || from != nil || to != nil {
            throw ValidationError("--period makes the station's report of that period; it takes --at, not --campaign, --from or --to")
        }
        if period == nil, at != nil { throw ValidationError("--at needs --period") }
        let log = try openExisting(logOptions.path(for: options.station))
        let audit = try log.audit()
        if let problem = audit.chain.problem { Terminal.printError("warning: the log's hash chain does not verify: \(problem)") }
        let today = madeOn ?? StationTime(zone: station.timeZone).wallTime(of: Date()).date
        let data: Data
        if let period {
            let report = try ActivityReport.make(
                station: station, durations: checked.durations, period: period, containing: at ?? today, today: today,
                records: { try log.records(from: $0.first, through: $0.last) })
            do {
                data = try report.render(format, chain: audit.chain)
            } catch let error as UnsupportedReportFormat {
                throw ValidationError(error.description)
            }
        } else {
            data = try format.render(
                station: station, durations: checked.durations, audit: audit, campaigns: campaigns, from: from, through: to,
                today: today, history: { try log.records(from: from, through: to) })
        }
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension ReportPeriod: ExpressibleByArgument {}
