import LoaLog
import LoaModel
import LoaPlanner

/// The counting rule, printed with every report.
public enum CountingRule {
    public static let vietnamese =
        "Một lượt tuyên truyền là một lần phát trọn vẹn một bản tin của chiến dịch trên một kênh trong một buổi phát. "
        + "Các lần phát bị ngắt, bị lỗi, bị bỏ lỡ hoặc bị bỏ qua được thống kê riêng và không được tính."
    public static let english =
        "One broadcast (lượt) is one completed play of one campaign message on one channel in one session. "
        + "Interrupted, failed, missed and skipped plays are shown in their own columns and never counted."
}

/// Plays of a campaign by outcome: what a report row shows.
public struct Tally: Sendable, Equatable {
    public var planned = 0
    public var completed = 0
    public var interrupted = 0
    public var failed = 0
    public var missed = 0
    public var skipped = 0
    /// Seconds of completed plays.
    public var airtimeSeconds = 0.0

    public init() {}

    mutating func count(_ counted: OutcomeCount) {
        switch counted.outcome {
        case .completed:
            completed += counted.plays
            airtimeSeconds += counted.seconds
        case .interrupted: interrupted += counted.plays
        case .failed: failed += counted.plays
        case .missed: missed += counted.plays
        case .skipped: skipped += counted.plays
        case .playing: break
        }
    }

    public var airtimeMinutes: Double { airtimeSeconds / 60 }

    mutating func add(_ other: Tally) {
        planned += other.planned
        completed += other.completed
        interrupted += other.interrupted
        failed += other.failed
        missed += other.missed
        skipped += other.skipped
        airtimeSeconds += other.airtimeSeconds
    }
}

/// One campaign's broadcasts over a period, with the breakdowns the report asks for.
public struct CampaignReport: Sendable {
    public var campaign: Campaign
    public var from: CivilDate
    public var through: CivilDate
    public var total: Tally
    /// By channel kind: plays as the log recorded the channel's kind, planned ones by today's config.
    public var byKind: [ChannelKind: Tally]
    public var byChannel: [String: Tally]
    public var byMessage: [String: Tally]
    public var byDay: [CivilDate: Tally]
    public var bySession: [String: Tally]
    /// One row per (channel, day, session), as the CSV for Excel has them.
    public var rows: [Row]

    /// The period's tallies from its first day up to `day`: progress so far.
    public func tally(through day: CivilDate) -> Tally {
        byDay.filter { $0.key <= day }.values.reduce(into: Tally()) { $0.add($1) }
    }

    public struct Row: Sendable, Equatable {
        public var channel: String
        public var kind: ChannelKind
        public var date: CivilDate
        public var session: String
        public var tally: Tally
    }
}

/// Builds campaign reports: planned plays from the planner for the same period, outcomes from the log.
public enum CampaignReporter {
    public static func reports(
        station: Station, durations: AudioDurations, counts: [OutcomeCount], campaigns: [String],
        from: CivilDate?, through: CivilDate?
    ) -> [CampaignReport] {
        let chosen = station.reportedCampaigns.filter { campaigns.isEmpty || campaigns.contains($0.id) }
        let kinds = Dictionary(station.channels.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        // One plan per period asked for: campaigns reported over the same days share it.
        var plans: [ClosedRange<CivilDate>: Plan] = [:]
        return chosen.map { campaign in
            let first = from ?? campaign.window.first
            let last = through ?? campaign.window.last
            let plan = plans[first...last] ?? Planner(station: station, durations: durations).plan(from: first, through: last)
            plans[first...last] = plan
            var report = CampaignReport(
                campaign: campaign, from: first, through: last, total: Tally(), byKind: [:], byChannel: [:],
                byMessage: [:], byDay: [:], bySession: [:], rows: [])
            var rows: [String: CampaignReport.Row] = [:]
            func update(
                _ channel: String, _ kind: ChannelKind, _ date: CivilDate, _ session: String, _ message: String,
                _ change: (inout Tally) -> Void
            ) {
                change(&report.total)
                change(&report.byKind[kind, default: Tally()])
                change(&report.byChannel[channel, default: Tally()])
                change(&report.byMessage[message, default: Tally()])
                change(&report.byDay[date, default: Tally()])
                change(&report.bySession[session, default: Tally()])
                let empty = CampaignReport.Row(channel: channel, kind: kind, date: date, session: session, tally: Tally())
                change(&rows["\(channel)|\(kind)|\(date)|\(session)", default: empty].tally)
            }
            for entry in plan.entries where entry.campaign == campaign.id {
                guard let kind = kinds[entry.channel] else { continue }
                update(entry.channel, kind, entry.date, entry.session, entry.message) { $0.planned += 1 }
            }
            for counted in counts where counted.campaign == campaign.id && first <= counted.date && counted.date <= last {
                update(counted.channel, counted.channelKind, counted.date, counted.session, counted.message) { $0.count(counted) }
            }
            report.rows = rows.values.sorted {
                ($0.date, $0.channel, $0.session, $0.kind.rawValue) < ($1.date, $1.channel, $1.session, $1.kind.rawValue)
            }
            return report
        }
    }
}
