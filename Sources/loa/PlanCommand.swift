import ArgumentParser
import Foundation
import LoaFrontend
import LoaModel
import LoaPlanner

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the timetable of every broadcast on every channel, and what could not fit.",
        discussion: """
            The default range runs from today (in the station's zone) through the last day of the latest campaign window. Exits 0 even with shortfalls, unless --strict is given (then 3).
            """)

    @OptionGroup var options: StationOptions

    @Option(help: "First day, YYYY-MM-DD or DD/MM/YYYY.", transform: parseDate)
    var from: CivilDate?

    @Option(help: "Last day, inclusive.", transform: parseDate)
    var to: CivilDate?

    @Option(help: "text (a timetable to read), json or csv.")
    var format: PlanFormat = .text

    @Flag(help: "Exit 3 when any campaign play could not be planned.")
    var strict = false

    func run() throws {
        let (station, checked) = try options.loadValid()
        let first = from ?? Self.today(in: station.timeZone)
        let last = to ?? station.campaigns.map(\.window.last).max().map { max($0, first) } ?? first
        try checkRange(first, last)
        let plan = Planner(station: station, durations: checked.durations).plan(from: first, through: last)
        print(format.render(plan, station: station), terminator: "")
        if !plan.shortfalls.isEmpty {
            let missing = plan.shortfalls.map(\.missing).reduce(0, +)
            Terminal.printError("\(options.station): \(missing) play(s) could not be planned (\(plan.shortfalls.count) shortfall(s))")
            if strict { throw ExitStatus.shortfalls }
        }
    }

    static func today(in zone: String) -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

extension PlanFormat: ExpressibleByArgument {}
