import ArgumentParser

@main
struct Loa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa",
        abstract: "Plans, plays and proves the broadcasts of a commune radio station.",
        discussion: """
            A station is a folder: station.yaml (channels and daily sessions) and campaigns/*.yaml (one file per directive). Start with `loa check schedules/kha-son`.
            """,
        subcommands: [Check.self, PlanCommand.self, Probe.self, Devices.self, Play.self, Run.self, Status.self, Announce.self, LogCommand.self, Report.self])
}
