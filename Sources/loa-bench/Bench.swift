/// `loa-bench planner | playout [MINUTES] | report [ROWS]`: prints figures and ratios against baselines measured
/// in the same run. `loa-bench log ROWS PATH` writes the generated log the report benchmark uses, for
/// scripts/bench-central.sh.
@main
enum Bench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first ?? "planner" {
        case "planner": PlannerBenchmark.run()
        case "playout": try PlayoutBenchmark.run(minutes: arguments.dropFirst().first.flatMap { Int($0) } ?? 60)
        case "report": try ReportBenchmark.run(rows: arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000)
        case "log" where arguments.count == 3 && Int(arguments[1]) != nil:
            try ReportBenchmark.generate(rows: Int(arguments[1])!, path: arguments[2])
        default: print("usage: loa-bench planner | playout [MINUTES] | report [ROWS] | log ROWS PATH")
        }
    }
}
