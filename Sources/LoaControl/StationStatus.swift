import Foundation
import LoaLog
import LoaModel
import LoaPlanner

/// What `loa status` and the console's overview show: what is on air on each channel, what comes
/// next, today's count, and the last problems, read from the plan and the log.
public struct StationStatus: Sendable {
    public struct ChannelStatus: Sendable {
        public var channel: Channel
        /// The row of what is playing now, if anything.
        public var playing: BroadcastRecord?
        public var upcoming: [PlanEntry]
    }

    public var now: (date: CivilDate, seconds: Double)
    public var completedToday: Int
    public var plannedToday: Int
    public var channels: [ChannelStatus]
    /// The latest failed, missed and interrupted rows, oldest first.
    public var problems: [BroadcastRecord]
    public var time: StationTime

    public init(station: Station, durations: AudioDurations, log: BroadcastLog, at instant: Date, upcoming: Int = 3) throws {
        time = StationTime(zone: station.timeZone)
        let now = time.wallTime(of: instant)
        self.now = now
        let plan = Planner(station: station, durations: durations).plan(from: now.date, through: now.date)
        let today = try log.records(from: now.date, through: now.date)
        let settled = try log.outcomes(on: [now.date])
        completedToday = today.filter { $0.outcome == .completed && $0.campaign != nil }.count
        plannedToday = plan.entries.filter { $0.role == .message }.count
        channels = station.channels.map { channel in
            ChannelStatus(
                channel: channel,
                playing: today.last { $0.channel == channel.id && $0.outcome == .playing },
                upcoming: Array(
                    plan.entries.filter {
                        $0.channel == channel.id && Double($0.start) >= now.seconds && settled[$0.id]?.isFinal != true
                    }.prefix(upcoming)))
        }
        problems = try log.latest([.failed, .missed, .interrupted], limit: 5)
    }
}
