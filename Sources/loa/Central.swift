import ArgumentParser
import Foundation
import LoaCentral
import LoaFrontend
import LoaLog
import LoaModel
import LoaPlanner
import LoaSystem

/// The province's central store (PostgreSQL): set up by its engineer, synced into by communes.
struct Central: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The province's central store of every commune's log (PostgreSQL).",
        subcommands: [CentralInit.self, CentralAddCommune.self, CentralReportCommand.self, CentralCampaign.self])
}

/// The connection every `central` command and `sync` take.
struct CentralOptions: ParsableArguments {
    @Argument(help: "postgres://ROLE@HOST[:PORT]/DATABASE (no password in it).")
    var url: String

    @Option(help: "A file holding the role's password on its first line, readable by its owner only (chmod 600).")
    var passwordFile: String?

}

/// Runs `body` on a connection, closing it after; the store's refusals are the command's error.
func withStore<T>(_ options: CentralOptions, _ body: (CentralStore) async throws -> T) async throws -> T {
    do {
        let address = try CentralAddress(options.url)
        return try await CentralStore.with(address, password: try options.passwordFile.map(CentralAddress.password(file:)), body)
    } catch let error as CentralError {
        Terminal.printError("error: \(error)")
        throw ExitCode.failure
    }
}

struct CentralInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the store's schema (or bring it up to date), as the database's owner.",
        aliases: ["migrate"])

    @OptionGroup var options: CentralOptions

    func run() async throws {
        try await withStore(options) { try await $0.initialize() }
        print("central store ready at \(options.url)")
    }
}

struct CentralAddCommune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-commune",
        abstract: "Add a commune (or change it) and its login role; the role's password is read from standard input.")

    @OptionGroup var options: CentralOptions
    @Option(help: "The commune's official administrative code.") var code: String
    @Option(help: "Its name, as reports show it: 'Xã Kha Sơn'.") var name: String
    @Option(help: "Its district, if any.") var district: String = ""
    @Option(help: "Its province.") var province: String = ""
    @Option(help: "The login role the commune's PC syncs as (lower case, digits, '_').") var role: String

    func validate() throws {
        if name.isEmpty || name.count > 200 || district.count > 200 || province.count > 200 {
            throw ValidationError("--name is 1-200 characters, --district and --province at most 200")
        }
    }

    func run() async throws {
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw ValidationError("give the commune role's password on standard input")
        }
        try await withStore(options) {
            try await $0.addCommune(code: code, name: name, district: district, province: province, role: role, password: password)
        }
        print("commune \(code) (\(name)) syncs as role \(role)")
    }
}

struct CentralReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A campaign's lượt across the store's communes, by commune, kind of channel and day, with each one's freshness.")

    @OptionGroup var options: CentralOptions
    @Option(help: "The campaign id.") var campaign: String
    @Option(help: "First day.", transform: parseDate) var from: CivilDate
    @Option(help: "Last day.", transform: parseDate) var to: CivilDate
    @Option(help: "text, csv, json, xlsx or docx (xlsx and docx need --output).") var format: String = "text"
    @Option(help: "Where an xlsx or docx report is written.") var output: String?
    @Option(help: "The province whose Sở Văn hóa, Thể thao và Du lịch signs the docx: 'Tỉnh Thái Nguyên'.") var province: String = ""
    @Option(help: "The campaign's title as the docx names it (default: as the communes' files title it, or its id).") var title: String?
    @Option(help: "Who signs the docx (default: left for the signer's hand).") var signerName: String = ""

    func validate() throws {
        if to < from { throw ValidationError("--to is before --from") }
        if !["text", "csv", "json", "xlsx", "docx"].contains(format) { throw ValidationError("--format is text, csv, json, xlsx or docx") }
        if ["xlsx", "docx"].contains(format), output == nil { throw ValidationError("--format \(format) writes a file: give --output") }
        if campaign.isEmpty || campaign.count > 64 { throw ValidationError("--campaign is an id of 1-64 characters") }
        for (name, value) in [("--province", province), ("--title", title ?? ""), ("--signer-name", signerName)] where value.count > 200 {
            throw ValidationError("\(name) is longer than 200 characters")
        }
    }

    func run() async throws {
        let report = try await withStore(options) { try await CentralReport.make($0, campaign: campaign, from: from, through: to) }
        let time = StationTime(zone: Station.defaultTimeZone)
        switch format {
        case "csv": print(report.csv, terminator: "")
        case "json": print(report.json, terminator: "")
        case "text": print(report.text(time: time), terminator: "")
        default:
            let data: Data
            if format == "xlsx" {
                data = try report.xlsx(time: time)
            } else {
                let unit = AdministrativeUnit(province)
                let body = "Sở Văn hóa, Thể thao và Du lịch" + (unit.isEmpty ? "" : " \(unit.midLine)")
                let heading = OfficialHeading(
                    issuer: (unit.isEmpty ? [] : ["ỦY BAN NHÂN DÂN \(unit.capitals)"]) + ["SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"],
                    numberSuffix: "BC-SVHTTDL", place: unit.name, recipients: unit.isEmpty ? [] : ["Ủy ban nhân dân \(unit.midLine)"],
                    signerCapacity: "KT. GIÁM ĐỐC", signerTitle: "PHÓ GIÁM ĐỐC", signerName: signerName, copiesTo: [], filing: "VP")
                data = try report.docx(heading: heading, body: body, campaignTitle: title ?? report.title ?? campaign, time: time, year: to.year)
            }
            try DurableFile.write(data, to: output!)
            Terminal.printError("wrote \(output!)")
        }
    }
}

/// One sync, as `loa sync` and the daemon's background sync make it: the log's sealed rows after
/// the store's mark, then each campaign's plan (lượt per day and kind of channel over its window).
func syncToStore(_ runnable: RunnableStation, folder: String, log: BroadcastLog, url: String, passwordFile: String) async throws
    -> (result: CentralStore.SyncResult, campaigns: Int, issued: (fetched: [String], refused: [String]))
{
    let campaigns = runnable.station.reportedCampaigns
    let plan = campaigns.isEmpty ? nil : Planner(station: runnable.station, durations: runnable.durations).plan(
        from: campaigns.map(\.window.first).min()!, through: campaigns.map(\.window.last).max()!)
    let counts = plan.map { CentralStore.plannedCounts($0, station: runnable.station) } ?? [:]
    return try await CentralStore.with(try CentralAddress(url), password: try CentralAddress.password(file: passwordFile)) { store in
        let result = try await store.sync(log)
        for campaign in campaigns { try await store.shipPlan(campaign: campaign, counts[campaign.id] ?? []) }
        let issued = try await PublishedCampaigns.fetch(from: store, into: folder, station: runnable.station)
        return (result, campaigns.count, issued)
    }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ship the log's sealed rows to the province's central store, where each is checked against the chain.",
        discussion: """
            Rows go in the chain's order, a batch of up to 1,000 per transaction, from the store's mark for this \
            commune (its last sequence and hash, which must be in this log). A resend adds nothing; an interrupted \
            sync resumes from the mark; a row whose hash or link does not check is refused with its id, and its \
            batch rolls back. Nothing is deleted locally. Then each campaign's plan (lượt per day and kind of \
            channel, over its window) replaces the store's copy, for planned against completed.
            """)

    @OptionGroup var station: StationOptions
    @Option(name: .customLong("to"), help: "postgres://ROLE@HOST[:PORT]/DATABASE, the commune's role.") var url: String
    @Option(help: "A file holding the role's password, readable by its owner only.") var passwordFile: String
    @OptionGroup var logOptions: LogOptions

    func run() async throws {
        let log = try openExisting(logOptions.path(for: station.station))
        let runnable = try station.loadRunnable()
        let result: CentralStore.SyncResult, campaigns: Int, issued: (fetched: [String], refused: [String])
        do {
            (result, campaigns, issued) = try await syncToStore(
                runnable, folder: station.station, log: log, url: url, passwordFile: passwordFile)
        } catch let error as CentralError {
            Terminal.printError("error: \(error)")
            throw ExitCode.failure
        }
        print(
            "synced \(result.added) new row(s) of \(result.sent) sent in \(result.batches) batch(es) (\(result.bytes) bytes of JSON); "
                + "the store's mark is sequence \(result.mark)")
        print("shipped the plan of \(campaigns) campaign(s)")
        for id in issued.fetched { print("fetched campaign \(id), issued by the province, into campaigns/drafts/ for approval") }
        for refusal in issued.refused { Terminal.printError("warning: did not fetch \(refusal)") }
    }
}
