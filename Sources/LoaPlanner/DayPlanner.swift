import LoaModel

/// Fills the sessions of one channel on one day, then writes them out as entries.
/// Reused from day to day so its buffers are allocated once.
struct DayPlanner {
    private let planner: Planner
    private var date = CivilDate(dayNumber: 0)
    private var channel = 0
    /// Sessions of the channel that run today, in time order, as indices into the compiled sessions.
    private var today: [Int] = []
    private var itemSeconds: [Int] = []
    private var items: [[Placement]] = []
    private var shortfalls: [Shortfall] = []
    private var sequence = 0

    private struct Placement {
        var campaign: Int
        var message: Int
        var sequence: Int
    }

    private struct Demand {
        var campaign: Int
        var required: Int
        var remaining: Int
        /// Plays wanted in each of today's sessions; nil where the campaign may not use the session.
        var targets: [Int?]
        var stuck = false
    }

    init(planner: Planner) { self.planner = planner }

    mutating func plan(channel: Int, date: CivilDate, active: [Int], state: inout PlanningState) {
        let sessions = planner.compiledSessions
        let campaigns = planner.compiledCampaigns
        self.channel = channel
        self.date = date
        today = planner.sessions(of: channel).filter { sessions[$0].session.runs(on: date) && !sessions[$0].airtime.isEmpty }
        itemSeconds = Array(repeating: 0, count: today.count)
        items = Array(repeating: [], count: today.count)
        shortfalls.removeAll(keepingCapacity: true)
        sequence = 0

        var demands: [Demand] = []
        for k in active where campaigns[k].channelAllowed[channel] {
            let allowed = today.indices.filter { campaigns[k].sessionAllowed[today[$0]] }
            let required: Int
            var targets: [Int?] = Array(repeating: nil, count: today.count)
            switch campaigns[k].campaign.quota {
            case .perDay(let n):
                required = n
                // Spread evenly; earlier sessions take the remainder.
                for (rank, position) in allowed.enumerated() {
                    targets[position] = n / allowed.count + (rank < n % allowed.count ? 1 : 0)
                }
            case .perSession(let n):
                required = n * max(allowed.count, 1)
                for position in allowed { targets[position] = n }
            }
            state.behind[k][channel] += required
            if allowed.isEmpty {
                record(k, required: required, planned: 0, reason: .noSession)
            } else if campaigns[k].messages.isEmpty {
                record(k, required: required, planned: 0, reason: .audioUnavailable)
            } else {
                demands.append(Demand(campaign: k, required: required, remaining: required, targets: targets))
            }
        }

        while let next = mostInNeed(demands, state: state) {
            if place(&demands[next], state: &state) {
                demands[next].remaining -= 1
                state.behind[demands[next].campaign][channel] -= 1
            } else {
                demands[next].stuck = true
            }
        }
        for demand in demands where demand.remaining > 0 {
            record(
                demand.campaign, required: demand.required, planned: demand.required - demand.remaining,
                reason: fitsEmpty(demand) ? .sessionFull : .audioTooLong)
        }
    }

    /// Appends the day's entries for the channel, and its shortfalls, to the plan.
    func emit(into plan: inout Plan) {
        let sessions = planner.compiledSessions
        let campaigns = planner.compiledCampaigns
        let channelID = planner.station.channels[channel].id
        let gap = planner.station.gapSeconds
        for (position, index) in today.enumerated() where !items[position].isEmpty {
            let compiled = sessions[index]
            let sessionID = compiled.session.id
            var start = compiled.airtime.lowerBound
            func frame(_ audio: PlannedAudio?, _ role: PlanEntry.Role, into plan: inout Plan) {
                guard let audio else { return }
                plan.entries.append(
                    PlanEntry(
                        date: date, channel: channelID, session: sessionID, role: role, campaign: nil,
                        priority: .normal, message: audio.id, audio: audio.path, start: start, slot: audio.slot,
                        duration: audio.duration, ordinal: 1))
                start += audio.slot + gap
            }
            frame(compiled.opening, .opening, into: &plan)
            var ordinals = [Int: Int]()
            for item in ordered(items[position]) {
                let campaign = campaigns[item.campaign]
                let audio = campaign.messages[item.message]
                let ordinal = (ordinals[item.campaign] ?? 0) + 1
                ordinals[item.campaign] = ordinal
                plan.entries.append(
                    PlanEntry(
                        date: date, channel: channelID, session: sessionID, role: .message,
                        campaign: campaign.campaign.id, priority: campaign.campaign.priority, message: audio.id,
                        audio: audio.path, start: start, slot: audio.slot, duration: audio.duration,
                        ordinal: ordinal))
                start += audio.slot + gap
            }
            frame(compiled.closing, .closing, into: &plan)
        }
        plan.shortfalls += shortfalls
    }

    // MARK: choosing

    /// Highest priority, then furthest behind its quota, then lowest id.
    private func mostInNeed(_ demands: [Demand], state: PlanningState) -> Int? {
        let campaigns = planner.compiledCampaigns
        var best: Int?
        for (i, demand) in demands.enumerated() where demand.remaining > 0 && !demand.stuck {
            guard let current = best else {
                best = i
                continue
            }
            let a = campaigns[demand.campaign], b = campaigns[demands[current].campaign]
            let behindA = state.behind[demand.campaign][channel]
            let behindB = state.behind[demands[current].campaign][channel]
            if (a.rank, behindA, -a.idRank) > (b.rank, behindB, -b.idRank) { best = i }
        }
        return best
    }

    /// Places one play of the demand's campaign: in a session still owed plays first, then in any
    /// other session it may use; a message not yet in that session first; the message furthest
    /// behind its weighted share first.
    private mutating func place(_ demand: inout Demand, state: inout PlanningState) -> Bool {
        let campaign = planner.compiledCampaigns[demand.campaign]
        let owed = demand.targets.indices.filter { (demand.targets[$0] ?? 0) > 0 }
        let spare = demand.targets.indices.filter { demand.targets[$0] == 0 }
        let playsBase = channel * campaign.messages.count
        for position in owed + spare {
            for allowRepeat in [false, true] {
                var best: Int?
                for (m, audio) in campaign.messages.enumerated() {
                    if !allowRepeat, items[position].contains(where: { $0.campaign == demand.campaign && $0.message == m }) {
                        continue
                    }
                    guard fits(audio.slot, in: position) else { continue }
                    if let b = best {
                        let mine = (state.plays[demand.campaign][playsBase + m] + 1) * campaign.messages[b].weight
                        let theirs = (state.plays[demand.campaign][playsBase + b] + 1) * audio.weight
                        if mine < theirs { best = m }
                    } else {
                        best = m
                    }
                }
                if let m = best {
                    items[position].append(Placement(campaign: demand.campaign, message: m, sequence: sequence))
                    sequence += 1
                    itemSeconds[position] += campaign.messages[m].slot
                    state.plays[demand.campaign][playsBase + m] += 1
                    if let target = demand.targets[position], target > 0 { demand.targets[position] = target - 1 }
                    return true
                }
            }
        }
        return false
    }

    private func fits(_ slot: Int, in position: Int) -> Bool {
        planner.compiledSessions[today[position]].budget.fits(
            itemSeconds: itemSeconds[position] + slot, items: items[position].count + 1)
    }

    /// Whether some message would fit some allowed session if it were empty: if not, the audio is too long.
    private func fitsEmpty(_ demand: Demand) -> Bool {
        let shortest = planner.compiledCampaigns[demand.campaign].messages.map(\.slot).min() ?? .max
        return demand.targets.indices.contains { position in
            demand.targets[position] != nil
                && planner.compiledSessions[today[position]].budget.roomForOneItem >= shortest
        }
    }

    /// Higher priority first; within a priority, the order placed (which alternates campaigns),
    /// moving a message away from its own last plays by the campaign's spacing where possible.
    private func ordered(_ placements: [Placement]) -> [Placement] {
        let campaigns = planner.compiledCampaigns
        var remaining = placements.sorted {
            (campaigns[$1.campaign].rank, $0.sequence) < (campaigns[$0.campaign].rank, $1.sequence)
        }
        var out: [Placement] = []
        out.reserveCapacity(remaining.count)
        while let first = remaining.first {
            let rank = campaigns[first.campaign].rank
            let pick = remaining.indices.first { i in
                let candidate = remaining[i]
                guard campaigns[candidate.campaign].rank == rank else { return false }
                let recent = out.suffix(campaigns[candidate.campaign].campaign.spacing)
                return !recent.contains { $0.campaign == candidate.campaign && $0.message == candidate.message }
            } ?? 0
            out.append(remaining.remove(at: pick))
        }
        return out
    }

    private mutating func record(_ campaign: Int, required: Int, planned: Int, reason: Shortfall.Reason) {
        shortfalls.append(
            Shortfall(
                campaign: planner.compiledCampaigns[campaign].campaign.id,
                channel: planner.station.channels[channel].id, date: date, required: required, planned: planned,
                reason: reason))
    }
}
