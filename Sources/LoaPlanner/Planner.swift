import LoaModel

/// Plans campaign messages into the sessions of each channel. Pure: a station, the durations of its
/// audio and a range of days in; a ``Plan`` out. No files, devices or clock.
///
/// Channels are planned independently (a quota is per channel). Each (channel, day) is filled by
/// repeatedly giving one play to the campaign most in need: highest priority first, then the one
/// furthest behind its quota over its window so far, then by id. A day's plan depends on earlier days
/// only through campaigns running then, so planning starts at the first day of the chain of
/// overlapping campaign windows that reaches the range: the plan for a day is the same whatever
/// range it was asked with.
public struct Planner: Sendable {
    public let station: Station
    let compiledSessions: [CompiledSession]
    let compiledCampaigns: [CompiledCampaign]
    /// Per channel, indices into `compiledSessions` in time order.
    private let channelSessions: [[Int]]
    /// Campaigns' one-off relays by date, in time order.
    private let oneOffRelays: [CivilDate: [OneOffRelay]]

    public init(station: Station, durations: AudioDurations) {
        self.station = station
        let gap = station.gapSeconds
        compiledSessions = station.sessions.map { session in
            CompiledSession(session: session, station: station, durations: durations, gap: gap)
        }
        let idOrder = Dictionary(
            uniqueKeysWithValues: station.campaigns.map(\.id).sorted().enumerated().map { ($1, $0) })
        compiledCampaigns = station.campaigns.map { campaign in
            CompiledCampaign(campaign: campaign, station: station, durations: durations, idRank: idOrder[campaign.id]!)
        }
        channelSessions = station.channels.map { channel in
            station.sessions.indices
                .filter { station.sessions[$0].channels.contains(channel.id) }
                .sorted { (station.sessions[$0].start, $0) < (station.sessions[$1].start, $1) }
        }
        var oneOffs: [CivilDate: [OneOffRelay]] = [:]
        for (index, campaign) in station.campaigns.enumerated() {
            for relay in campaign.relays where campaign.window.contains(relay.date) && !relay.range.isEmpty {
                guard let source = station.relaySource(relay.source) else { continue }
                oneOffs[relay.date, default: []].append(OneOffRelay(campaign: index, relay: PlannedRelay(source, range: relay.range)))
            }
        }
        oneOffRelays = oneOffs.mapValues { $0.sorted { $0.relay.range.lowerBound < $1.relay.range.lowerBound } }
    }

    /// Plans the days from `from` through `through`, inclusive.
    public func plan(from: CivilDate, through: CivilDate) -> Plan {
        var plan = Plan(station: station.name, from: from, through: through, entries: [], shortfalls: [])
        guard from <= through else { return plan }
        var state = PlanningState(campaigns: compiledCampaigns, channels: station.channels.count)
        var day = DayPlanner(planner: self)
        for dayNumber in firstDayToSimulate(from: from).dayNumber...through.dayNumber {
            let date = CivilDate(dayNumber: dayNumber)
            let active = compiledCampaigns.indices.filter { compiledCampaigns[$0].runs(on: date) }
            let emit = date >= from
            for channel in station.channels.indices {
                day.plan(channel: channel, date: date, active: active, state: &state)
                if emit { day.emit(into: &plan) }
            }
            if date == from {
                // Size the plan from its first day rather than doubling its way up through a year.
                plan.entries.reserveCapacity(plan.entries.count * (through.dayNumber - from.dayNumber + 1) * 11 / 10)
            }
        }
        return plan
    }

    /// The first day of the chain of overlapping campaign windows that reaches `from`.
    private func firstDayToSimulate(from: CivilDate) -> CivilDate {
        var start = from
        var moved = true
        while moved {
            moved = false
            for compiled in compiledCampaigns {
                let window = compiled.window
                if window.first < start, window.last >= start {
                    start = window.first
                    moved = true
                }
            }
        }
        return start
    }

    func sessions(of channel: Int) -> [Int] { channelSessions[channel] }

    /// The one-off relays of campaigns on the channel that day, in time order.
    func oneOffRelays(channel: Int, date: CivilDate) -> [OneOffRelay] {
        guard let relays = oneOffRelays[date] else { return [] }
        return relays.filter { compiledCampaigns[$0.campaign].channelAllowed[channel] }
    }
}

/// A message with what the planner needs of its audio.
struct PlannedAudio: Sendable {
    var id: String
    var path: String
    var duration: Double
    var slot: Int
    var weight: Int
}

/// A relay block as the plan places it.
struct PlannedRelay: Sendable {
    var source: String
    var address: String
    var range: Range<Int>

    init(_ source: RelaySource, range: Range<Int>) {
        self.source = source.id
        address = source.input.address
        self.range = range
    }
}

/// A campaign's relay on a date of its own, outside the sessions.
struct OneOffRelay: Sendable {
    /// Index into the compiled campaigns.
    var campaign: Int
    var relay: PlannedRelay
}

/// Compiled sessions and campaigns are classes: the planner reads them millions of times, and a
/// struct copy would retain each of their many fields every time.
final class CompiledSession: Sendable {
    let id: String
    let days: DaySet
    let datesOff: Set<CivilDate>
    /// Where the session starts, in seconds since midnight: one-off relays before it air first.
    let start: Int
    let airtime: Range<Int>
    let opening: PlannedAudio?
    let closing: PlannedAudio?
    let budget: SessionBudget
    /// Relay blocks before the session's own time and after it, clipped to the allowed hours.
    let relaysBefore: [PlannedRelay]
    let relaysAfter: [PlannedRelay]

    init(session: Session, station: Station, durations: AudioDurations, gap: Int) {
        func audio(_ reference: AudioReference?) -> PlannedAudio? {
            guard let reference, let duration = durations[reference.path] else { return nil }
            return PlannedAudio(
                id: reference.stem, path: reference.path, duration: duration, slot: slotSeconds(for: duration),
                weight: 1)
        }
        id = session.id
        days = session.days
        datesOff = session.datesOff
        start = session.start.seconds
        airtime = session.ownAirtime(earliest: station.earliest, latest: station.latest)
        let allowed = session.airtime(earliest: station.earliest, latest: station.latest)
        let relays = session.relayRanges.compactMap { block, range -> PlannedRelay? in
            let clipped = range.clamped(to: allowed)
            guard !clipped.isEmpty, let source = station.relaySource(block.source) else { return nil }
            return PlannedRelay(source, range: clipped)
        }
        let ownStart = airtime.lowerBound
        relaysBefore = relays.filter { $0.range.lowerBound < ownStart }
        relaysAfter = relays.filter { $0.range.lowerBound >= ownStart }
        opening = audio(session.opening)
        closing = audio(session.closing)
        budget = SessionBudget(airtime: airtime.count, opening: opening?.slot, closing: closing?.slot, gap: gap)
    }

    /// As ``Session/runs(on:)``, without copying the session out of the class on every call.
    func runs(on date: CivilDate) -> Bool { days.contains(date.weekday) && !datesOff.contains(date) }
}

final class CompiledCampaign: Sendable {
    let id: String
    let priority: Priority
    let window: DateWindow
    let days: DaySet
    let quota: Quota
    let spacing: Int
    let rank: Int
    let idRank: Int
    /// Messages whose audio can be played, in config order.
    let messages: [PlannedAudio]
    let countsPlays: Bool
    let channelAllowed: [Bool]
    let sessionAllowed: [Bool]

    init(campaign: Campaign, station: Station, durations: AudioDurations, idRank: Int) {
        id = campaign.id
        priority = campaign.priority
        window = campaign.window
        days = campaign.days
        quota = campaign.quota
        spacing = campaign.spacing
        rank = campaign.priority.rank
        self.idRank = idRank
        countsPlays = campaign.countsPlays
        messages = campaign.messages.compactMap { message in
            durations[message.audio.path].map {
                PlannedAudio(
                    id: message.id, path: message.audio.path, duration: $0, slot: slotSeconds(for: $0),
                    weight: message.weight)
            }
        }
        channelAllowed = station.channels.map { campaign.channels.contains($0.id) }
        sessionAllowed = station.sessions.map { campaign.sessions.contains($0.id) }
    }

    func runs(on date: CivilDate) -> Bool { window.contains(date) && days.contains(date.weekday) }
}

/// What carries over from one day to the next: how far each campaign is behind on each channel,
/// and how often each of its messages has played there (for rotation).
struct PlanningState {
    /// Plays required minus plays planned so far, per campaign and channel.
    var behind: [[Int]]
    /// Plays per campaign, channel and message: `plays[campaign][channel * messages + message]`.
    var plays: [[Int]]

    init(campaigns: [CompiledCampaign], channels: Int) {
        behind = campaigns.map { _ in Array(repeating: 0, count: channels) }
        plays = campaigns.map { Array(repeating: 0, count: channels * $0.messages.count) }
    }
}
