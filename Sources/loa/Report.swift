import ArgumentParser
import Foundation
import LoaFrontend
import LoaLog
import LoaModel
import LoaReports

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The campaign report's broadcast tallies, from the broadcast log against the plan.",
        discussion: """
            One lượt is one completed play of one campaign message on one channel in one session; \
            interrupted, failed, missed and skipped plays are shown apart and never counted. The period \
            defaults to each campaign's window.
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
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var logOptions: LogOptions

    func run() throws {
        let (station, checked) = try options.loadValid()
        let known = station.campaigns.map(\.id)
        if let unknown = campaigns.first(where: { !known.contains($0) }) {
            throw ValidationError("unknown campaign '\(unknown)'; the station has \(known.joined(separator: ", "))")
        }
        if format.isBinary, output == nil { throw ValidationError("--format \(format.rawValue) needs --output FILE") }
        if let from, let to { try checkRange(from, to) }
        let log = try openExisting(logOptions.path(for: options.station))
        let audit = try log.audit()
        if let problem = audit.chain.problem { Terminal.printError("warning: the log's hash chain does not verify: \(problem)") }
        let data = try format.render(
            station: station, durations: checked.durations, audit: audit, campaigns: campaigns, from: from, through: to,
            today: madeOn ?? StationTime(zone: station.timeZone).wallTime(of: Date()).date,
            history: { try log.records(from: from, through: to) })
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
