/// `loa-bench planner | playout [MINUTES] | report [ROWS] | live URL COOKIE SECONDS`: prints figures and ratios
/// against baselines measured in the same run (the live delay's baseline is the relay's, in scripts/bench-live-delay.sh). `loa-bench log ROWS PATH` writes the generated log the report benchmark uses, for
/// scripts/bench-central.sh.
@main
enum Bench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first ?? "planner" {
        case "planner": PlannerBenchmark.run()
        case "playout": try PlayoutBenchmark.run(minutes: arguments.dropFirst().first.flatMap { Int($0) } ?? 60)
        case "report": try ReportBenchmark.run(rows: arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000)
        case "live" where arguments.count == 4 && Double(arguments[3]) != nil:
            try await LiveDelayBenchmark.run(url: arguments[1], cookie: arguments[2], seconds: Double(arguments[3])!)
        case "log" where arguments.count == 3 && Int(arguments[1]) != nil:
            try ReportBenchmark.generate(rows: Int(arguments[1])!, path: arguments[2])
        default: print("usage: loa-bench planner | playout [MINUTES] | report [ROWS] | log ROWS PATH | live URL COOKIE SECONDS")
        }
    }
}
