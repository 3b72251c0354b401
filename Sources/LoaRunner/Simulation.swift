import Foundation
import LoaLog
import LoaModel
import LoaPlanner

/// `loa run --simulate`: the same channel runner on a virtual clock, with a player that plays
/// nothing, so a three-week campaign is "aired" into a log in seconds.
public enum Simulation {
    public static func run(
        station: Station, durations: AudioDurations, from: CivilDate, through: CivilDate, log: BroadcastLog
    ) async -> Int {
        let plan = Planner(station: station, durations: durations).plan(from: from, through: through)
        let time = StationTime(zone: station.timeZone)
        let byDay = Dictionary(grouping: plan.entries, by: \.date)
        for dayNumber in from.dayNumber...through.dayNumber {
            let date = CivilDate(dayNumber: dayNumber)
            guard let entries = byDay[date] else { continue }
            for channel in station.channels {
                // Each channel has its own clock, as each sound card does; all start at midnight.
                let clock = VirtualClock(start: time.instant(date, 0))
                let runner = ChannelRunner(
                    station: station, channel: channel, log: log, clock: clock, player: SimulatedItemPlayer(clock: clock))
                await runner.run(entries.filter { $0.channel == channel.id }, on: date)
            }
        }
        return plan.entries.count
    }
}
