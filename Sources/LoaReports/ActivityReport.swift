import Foundation
import LoaLog
import LoaModel
import LoaPlanner

/// The periods of the station's own reports: the week's programme log (sổ nhật ký chương trình)
/// and the month's, quarter's and year's activity reports.
public enum ReportPeriod: String, CaseIterable, Sendable {
    case week, month, quarter, year

    /// The period holding `date`: Monday to Sunday, a calendar month, quarter or year.
    public func window(containing date: CivilDate) -> DateWindow {
        switch self {
        case .week:
            let monday = date.adding(days: 1 - date.weekday.rawValue)
            return DateWindow(first: monday, last: monday.adding(days: 6))
        case .month: return Self.months(date.year, from: date.month, count: 1)
        case .quarter: return Self.months(date.year, from: (date.month - 1) / 3 * 3 + 1, count: 3)
        case .year: return Self.months(date.year, from: 1, count: 12)
        }
    }

    private static func months(_ year: Int, from month: Int, count: Int) -> DateWindow {
        let first = CivilDate(year: year, month: month, day: 1)!
        let next = month + count > 12 ? CivilDate(year: year + 1, month: 1, day: 1)! : CivilDate(year: year, month: month + count, day: 1)!
        return DateWindow(first: first, last: next.adding(days: -1))
    }

    /// "tuần từ 25/11/2024 đến 01/12/2024", "tháng 11/2024", "quý IV/2024", "năm 2024"
    public func vietnamese(_ window: DateWindow) -> String {
        switch self {
        case .week: "tuần từ ngày \(window.first.vietnamese) đến ngày \(window.last.vietnamese)"
        case .month: "tháng \(CivilDate.padded(window.first.month))/\(window.first.year)"
        case .quarter: "quý \(["I", "II", "III", "IV"][(window.first.month - 1) / 3])/\(window.first.year)"
        case .year: "năm \(window.first.year)"
        }
    }
}

/// What the station did in a period, from its log against its plan: each session on each
/// channel (planned, aired, when, what), hours aired by kind of channel, lượt per campaign, and
/// every play that did not complete.
public struct ActivityReport: Sendable {
    public struct SessionLine: Sendable {
        public var date: CivilDate
        public var session: String
        public var channel: String
        /// Items of the plan in it (to the report's day); 0 for a session outside the plan.
        public var plannedItems: Int
        public var completedItems: Int
        /// Local times of the first start and the last end logged.
        public var start: Double?
        public var end: Double?
        public var airedSeconds: Double
        /// Of which relayed (tiếp sóng) from a source.
        public var relayedSeconds: Double
        /// Messages' titles (and relays' names), in the order first aired.
        public var titles: [String]
        public var incidents: Int

        public var wasPlanned: Bool { plannedItems > 0 }
        public var wasHeld: Bool { completedItems > 0 }
    }

    public struct CampaignLine: Sendable {
        public var title: String
        public var planned: Int
        public var completed: Int
    }

    public var station: Station
    public var period: ReportPeriod
    public var window: DateWindow
    /// The report's day when the period is not over by then: figures go to it.
    public var asOf: CivilDate?
    public var sessions: [SessionLine]
    /// The station's own airtime (its messages, nhạc hiệu and announcements), by kind of channel.
    public var airedSeconds: [ChannelKind: Double]
    /// Relayed from VOV, the province or a receiver, apart from the station's own, and what the
    /// fallback aired while a relay's source failed.
    public var relayedSeconds: [ChannelKind: Double]
    public var fallbackSeconds: [ChannelKind: Double]
    public var campaigns: [CampaignLine]
    public var incidents: [BroadcastRecord]

    /// The period holding `date`, from the log's rows of it and the plan over it.
    public static func make(
        station: Station, durations: AudioDurations, period: ReportPeriod, containing date: CivilDate, today: CivilDate?,
        records: (DateWindow) throws -> [BroadcastRecord]
    ) rethrows -> ActivityReport {
        let window = period.window(containing: date)
        let asOf = today.flatMap { $0 < window.last ? $0 : nil }
        let through = asOf ?? window.last
        let all = try records(window).filter { $0.date <= through }
        let rows = BroadcastRecord.latestPerEntry(all).values.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        // The plan counts from the log's first day in the period: days before the station logged
        // anything (before Loa was installed, or the log was started) are not sessions it failed.
        let logged = all.map(\.date).min()
        let first = max(window.first, logged ?? through.adding(days: 1))
        let planned = through < first ? [] : Planner(station: station, durations: durations).plan(from: first, through: through).entries
        let names = StationNames(station)
        let time = StationTime(zone: station.timeZone)

        struct Key: Hashable { var date: CivilDate, session: String, channel: String }
        var lines: [Key: SessionLine] = [:]
        func line(_ key: Key) -> SessionLine {
            lines[key] ?? SessionLine(
                date: key.date, session: key.session, channel: key.channel, plannedItems: 0, completedItems: 0, start: nil, end: nil,
                airedSeconds: 0, relayedSeconds: 0, titles: [], incidents: 0)
        }
        for entry in planned {
            let key = Key(date: entry.date, session: entry.session, channel: entry.channel)
            var value = line(key)
            value.plannedItems += 1
            lines[key] = value
        }
        var aired: [ChannelKind: Double] = [:], relayed: [ChannelKind: Double] = [:], fallback: [ChannelKind: Double] = [:]
        // A relay block joined again after a restart or an emergency has a row per try, each
        // counting what it relayed: every one counts.
        for row in all where row.role.isRelay {
            let key = Key(date: row.date, session: row.session, channel: row.channel)
            var value = line(key)
            value.airedSeconds += row.playedSeconds
            if row.role == .relay {
                value.relayedSeconds += row.playedSeconds
                relayed[row.channelKind, default: 0] += row.playedSeconds
            } else {
                fallback[row.channelKind, default: 0] += row.playedSeconds
            }
            lines[key] = value
        }
        var completedByCampaign: [String: Int] = [:]
        var incidents: [BroadcastRecord] = []
        for row in rows {
            let key = Key(date: row.date, session: row.session, channel: row.channel)
            var value = line(key)
            if let start = row.actualStart.flatMap(LogTime.date).map({ time.wallTime(of: $0).seconds }) {
                value.start = min(value.start ?? start, start)
            }
            if let end = row.actualEnd.flatMap(LogTime.date).map({ time.wallTime(of: $0).seconds }) { value.end = max(value.end ?? end, end) }
            if !row.role.isRelay {
                value.airedSeconds += row.playedSeconds
                aired[row.channelKind, default: 0] += row.playedSeconds
            }
            if row.outcome == .completed, row.role != .relayFallback {
                value.completedItems += 1
                if row.role == .message, let campaign = row.campaign { completedByCampaign[campaign, default: 0] += 1 }
                if row.role != .opening, row.role != .closing {
                    let title =
                        row.role == .relay ? names.relay(row.message)
                        : row.role.isLive ? "Nói trực tiếp: \(row.message)" : names.message(row.message, of: row.campaign)
                    if !value.titles.contains(title) { value.titles.append(title) }
                }
            } else {
                // A fallback row is an outage of its relay's source.
                value.incidents += 1
                incidents.append(row)
            }
            lines[key] = value
        }
        let plannedByCampaign = Dictionary(grouping: planned.filter { $0.role == .message }, by: { $0.campaign ?? "" }).mapValues(\.count)
        let campaigns = station.campaigns.compactMap { campaign -> CampaignLine? in
            let planned = plannedByCampaign[campaign.id] ?? 0, completed = completedByCampaign[campaign.id] ?? 0
            return planned == 0 && completed == 0 ? nil : CampaignLine(title: campaign.title, planned: planned, completed: completed)
        }
        let sessionOrder = Dictionary(station.sessions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let channelOrder = Dictionary(station.channels.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = lines.values.sorted {
            ($0.date, $0.start ?? 86_400, sessionOrder[$0.session] ?? 99, channelOrder[$0.channel] ?? 99)
                < ($1.date, $1.start ?? 86_400, sessionOrder[$1.session] ?? 99, channelOrder[$1.channel] ?? 99)
        }
        return ActivityReport(
            station: station, period: period, window: window, asOf: asOf, sessions: sorted, airedSeconds: aired, relayedSeconds: relayed,
            fallbackSeconds: fallback, campaigns: campaigns,
            incidents: incidents.sorted { ($0.date, $0.scheduledStart) < ($1.date, $1.scheduledStart) })
    }
}
