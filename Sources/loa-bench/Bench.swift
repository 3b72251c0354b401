/// `loa-bench [planner]`: prints figures and ratios against baselines measured in the same run.
@main
enum Bench {
    static func main() {
        let which = CommandLine.arguments.dropFirst().first ?? "planner"
        switch which {
        case "planner": PlannerBenchmark.run()
        default:
            print("usage: loa-bench [planner]")
        }
    }
}
