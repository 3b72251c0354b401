/// `loa-bench planner | playout [MINUTES]`: prints figures and ratios against baselines measured
/// in the same run.
@main
enum Bench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first ?? "planner" {
        case "planner": PlannerBenchmark.run()
        case "playout": try PlayoutBenchmark.run(minutes: arguments.dropFirst().first.flatMap { Int($0) } ?? 60)
        default: print("usage: loa-bench planner | playout [MINUTES]")
        }
    }
}
