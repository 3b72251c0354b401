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
    private var demands: [Demand] = []
    /// Plays each demand still wants in each of today's sessions, `demands.count` rows of
    /// `today.count`; -1 where the campaign may not use the session. One buffer for all days.
    private var targets: [Int] = []

    private struct Placement {
        var campaign: Int
        var message: Int
        var sequence: Int
    }

    private struct Demand {
        var campaign: Int
        var required: Int
        var remaining: Int
        var stuck = false
    }

    init(planner: Planner) { self.planner = planner }

    mutating func plan(channel: Int, date: CivilDate, active: [Int], state: inout PlanningState) {
        let sessions = planner.compiledSessions
        let campaigns = planner.compiledCampaigns
        self.channel = channel
        self.date = date
        today.removeAll(keepingCapacity: true)
        for index in planner.sessions(of: channel)
        where sessions[index].runs(on: date) && !sessions[index].airtime.isEmpty {
            today.append(index)
        }
        itemSeconds.removeAll(keepingCapacity: true)
        itemSeconds.append(contentsOf: repeatElement(0, count: today.count))
        for position in items.indices { items[position].removeAll(keepingCapacity: true) }
        if items.count < today.count { items.append(contentsOf: repeatElement([], count: today.count - items.count)) }
        shortfalls.removeAll(keepingCapacity: true)
        sequence = 0

        demands.removeAll(keepingCapacity: true)
        targets.removeAll(keepingCapacity: true)
        for k in active where campaigns[k].channelAllowed[channel] && campaigns[k].countsPlays {
            let allowed = today.reduce(0) { $0 + (campaigns[k].sessionAllowed[$1] ? 1 : 0) }
            let required: Int
            switch campaigns[k].quota {
            case .perDay(let n): required = n
            case .perSession(let n): required = n * max(allowed, 1)
            }
            state.behind[k][channel] += required
            if allowed == 0 {
                record(k, required: required, planned: 0, reason: .noSession)
            } else if campaigns[k].messages.isEmpty {
                record(k, required: required, planned: 0, reason: .audioUnavailable)
            } else {
                var rank = 0
                for index in today {
                    guard campaigns[k].sessionAllowed[index] else {
                        targets.append(-1)
                        continue
                    }
                    switch campaigns[k].quota {
                    // Spread evenly; earlier sessions take the remainder.
                    case .perDay(let n): targets.append(n / allowed + (rank < n % allowed ? 1 : 0))
                    case .perSession(let n): targets.append(n)
                    }
                    rank += 1
                }
                demands.append(Demand(campaign: k, required: required, remaining: required))
            }
        }

        while let next = mostInNeed(state: state) {
            if place(next, state: &state) {
                demands[next].remaining -= 1
                state.behind[demands[next].campaign][channel] -= 1
            } else {
                demands[next].stuck = true
            }
        }
        for (d, demand) in demands.enumerated() where demand.remaining > 0 {
            record(
                demand.campaign, required: demand.required, planned: demand.required - demand.remaining,
                reason: fitsEmpty(d) ? .sessionFull : .audioTooLong)
        }
    }

    /// Appends the day's entries for the channel, and its shortfalls, to the plan.
    func emit(into plan: inout Plan) {
        let sessions = planner.compiledSessions
        let campaigns = planner.compiledCampaigns
        let channelID = planner.station.channels[channel].id
        let gap = planner.station.gapSeconds
        var ordinals = Array(repeating: 0, count: campaigns.count)
        func relay(_ relay: PlannedRelay, session: String, into plan: inout Plan) {
            plan.entries.append(
                PlanEntry(
                    date: date, channel: channelID, session: session, role: .relay, campaign: nil, priority: .normal,
                    message: relay.source, audio: relay.address, start: relay.range.lowerBound,
                    slot: relay.range.count, duration: Double(relay.range.count), ordinal: 1))
        }
        // A campaign's one-off relay is logged under the campaign's id in place of a session's, and
        // counts as none of its plays.
        var pending = planner.oneOffRelays(channel: channel, date: date)[...]
        func oneOffs(before start: Int, into plan: inout Plan) {
            while let next = pending.first, next.relay.range.lowerBound < start {
                relay(next.relay, session: campaigns[next.campaign].id, into: &plan)
                pending.removeFirst()
            }
        }
        defer { oneOffs(before: Int.max, into: &plan) }
        // Every session that runs today, for its relays; those with time of their own for their items.
        for index in planner.sessions(of: channel) where sessions[index].runs(on: date) {
            let compiled = sessions[index]
            let sessionID = compiled.id
            oneOffs(before: compiled.start, into: &plan)
            func relays(_ relays: [PlannedRelay], into plan: inout Plan) {
                for block in relays { relay(block, session: sessionID, into: &plan) }
            }
            relays(compiled.relaysBefore, into: &plan)
            defer { relays(compiled.relaysAfter, into: &plan) }
            guard let position = today.firstIndex(of: index), !items[position].isEmpty else { continue }
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
            let sessionItems = ordered(items[position])
            for item in sessionItems { ordinals[item.campaign] = 0 }
            for item in sessionItems {
                let campaign = campaigns[item.campaign]
                let audio = campaign.messages[item.message]
                ordinals[item.campaign] += 1
                let ordinal = ordinals[item.campaign]
                plan.entries.append(
                    PlanEntry(
                        date: date, channel: channelID, session: sessionID, role: .message,
                        campaign: campaign.id, priority: campaign.priority, message: audio.id,
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
    private func mostInNeed(state: PlanningState) -> Int? {
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
    /// other session it may use.
    private mutating func place(_ d: Int, state: inout PlanningState) -> Bool {
        let row = d * today.count
        for owed in [true, false] {
            for position in today.indices {
                let target = targets[row + position]
                guard target >= 0, (target > 0) == owed else { continue }
                if place(d, in: position, state: &state) {
                    if target > 0 { targets[row + position] = target - 1 }
                    return true
                }
            }
        }
        return false
    }

    /// Places one play in one session. The message is the one furthest behind its weighted share
    /// of the campaign's plays on this channel so far (the largest remainder: every message then
    /// stays within one play of its share at every point of the window). One not yet in this
    /// session is taken instead when it keeps every message within that bound.
    private mutating func place(_ d: Int, in position: Int, state: inout PlanningState) -> Bool {
        let k = demands[d].campaign
        let messages = planner.compiledCampaigns[k].messages
        let playsBase = channel * messages.count
        let totalWeight = messages.reduce(0) { $0 + $1.weight }
        let next = (0..<messages.count).reduce(1) { $0 + state.plays[k][playsBase + $1] }
        // A message's distance from its share after the next play, times the total weight.
        func behind(_ m: Int) -> Int { next * messages[m].weight - state.plays[k][playsBase + m] * totalWeight }
        var furthest: Int?
        var fresh: Int?
        for m in messages.indices where fits(messages[m].slot, in: position) {
            if furthest.map({ behind(m) > behind($0) }) ?? true { furthest = m }
            let inSession = items[position].contains { $0.campaign == k && $0.message == m }
            if !inSession, fresh.map({ behind(m) > behind($0) }) ?? true { fresh = m }
        }
        guard let furthest else { return false }
        var m = furthest
        if let fresh, fresh != furthest,
            Self.staysWithinShares(
                plays: messages.indices.map { state.plays[k][playsBase + $0] + ($0 == fresh ? 1 : 0) },
                weights: messages.map(\.weight))
        {
            m = fresh
        }
        items[position].append(Placement(campaign: k, message: m, sequence: sequence))
        sequence += 1
        itemSeconds[position] += messages[m].slot
        state.plays[k][playsBase + m] += 1
        return true
    }

    /// Whether, from these plays, handing out by the largest remainder keeps every message within
    /// one play of its share for the next plays (up to the total weight, or 32): the test a fresh
    /// message must pass to be taken out of turn.
    private static func staysWithinShares(plays: [Int], weights: [Int]) -> Bool {
        let total = weights.reduce(0, +)
        var plays = plays
        var played = plays.reduce(0, +)
        for _ in 0...min(total, 32) {
            // Within one play now: |plays * total - played * weight| < total for every message.
            for m in plays.indices where abs(plays[m] * total - played * weights[m]) >= total { return false }
            played += 1
            var best = 0
            for m in plays.indices where played * weights[m] - plays[m] * total > played * weights[best] - plays[best] * total {
                best = m
            }
            plays[best] += 1
        }
        return true
    }

    private func fits(_ slot: Int, in position: Int) -> Bool {
        planner.compiledSessions[today[position]].budget.fits(
            itemSeconds: itemSeconds[position] + slot, items: items[position].count + 1)
    }

    /// Whether some message would fit some allowed session if it were empty: if not, the audio is too long.
    private func fitsEmpty(_ d: Int) -> Bool {
        let shortest = planner.compiledCampaigns[demands[d].campaign].messages.map(\.slot).min() ?? .max
        return today.indices.contains { position in
            targets[d * today.count + position] >= 0
                && planner.compiledSessions[today[position]].budget.roomForOneItem >= shortest
        }
    }

    /// Higher priority first; within a priority, an order that keeps every message `spacing`
    /// items from its own other plays wherever any order of the session's items does. The search
    /// tries first the message with the most plays left (the order that is right whenever every
    /// campaign has the same spacing), then backtracks, within a budget; if it finds none, the
    /// items go in the order placed, each moved away from its own last plays where it can be.
    private func ordered(_ placements: [Placement]) -> [Placement] {
        let campaigns = planner.compiledCampaigns
        let sorted = placements.sorted {
            (campaigns[$1.campaign].rank, $0.sequence) < (campaigns[$0.campaign].rank, $1.sequence)
        }
        if SpacedOrder.keepsSpacing(sorted, spacing: { campaigns[$0].spacing }) { return sorted }
        if sorted.count <= SpacedOrder.largestSearched {
            var search = SpacedOrder(sorted, rank: { campaigns[$0].rank }, spacing: { campaigns[$0].spacing })
            if let spaced = search.search() { return spaced }
        }
        var remaining = sorted
        var out: [Placement] = []
        out.reserveCapacity(remaining.count)
        while let first = remaining.first {
            let rank = campaigns[first.campaign].rank
            let pick = remaining.indices.first { i in
                let candidate = remaining[i]
                guard campaigns[candidate.campaign].rank == rank else { return false }
                let recent = out.suffix(campaigns[candidate.campaign].spacing)
                return !recent.contains { $0.campaign == candidate.campaign && $0.message == candidate.message }
            } ?? 0
            out.append(remaining.remove(at: pick))
        }
        return out
    }

    /// A depth-first search for an order of one session's items in which priorities do not rise
    /// and no message comes within its campaign's spacing of its own last play.
    private struct SpacedOrder {
        /// Sessions of more items than this (hours of short messages) take the greedy order, so no
        /// config can make planning a day slow; a commune's session holds tens.
        static let largestSearched = 64

        static func keepsSpacing(_ items: [Placement], spacing: (Int) -> Int) -> Bool {
            for (index, item) in items.enumerated() {
                let recent = items[max(0, index - spacing(item.campaign))..<index]
                if recent.contains(where: { $0.campaign == item.campaign && $0.message == item.message }) { return false }
            }
            return true
        }

        /// The distinct messages, each with its placements in the order placed.
        var groups: [[Placement]]
        let rank: (Int) -> Int
        let spacing: (Int) -> Int
        var budget: Int

        init(_ placements: [Placement], rank: @escaping (Int) -> Int, spacing: @escaping (Int) -> Int) {
            var index: [Int: Int] = [:]
            var groups: [[Placement]] = []
            for placement in placements {
                let key = placement.campaign &* 1_000_003 &+ placement.message
                if let at = index[key] {
                    groups[at].append(placement)
                } else {
                    index[key] = groups.count
                    groups.append([placement])
                }
            }
            self.groups = groups
            self.rank = rank
            self.spacing = spacing
            // Enough for what a commune's session holds; one with no spaced order is given up on
            // after a bounded search.
            budget = 64 * placements.count * max(1, groups.count)
        }

        mutating func search() -> [Placement]? {
            let total = groups.reduce(0) { $0 + $1.count }
            var out: [Placement] = []
            out.reserveCapacity(total)
            var taken = Array(repeating: 0, count: groups.count)
            var lastAt = Array(repeating: Int.min / 2, count: groups.count)
            return extend(&out, &taken, &lastAt, total: total) ? out : nil
        }

        private mutating func extend(_ out: inout [Placement], _ taken: inout [Int], _ lastAt: inout [Int], total: Int) -> Bool {
            if out.count == total { return true }
            budget -= 1
            if budget < 0 { return false }
            var top = Int.min
            for g in groups.indices where taken[g] < groups[g].count { top = max(top, rank(groups[g][0].campaign)) }
            let candidates = groups.indices.filter { g in
                taken[g] < groups[g].count && rank(groups[g][0].campaign) == top
                    && out.count - lastAt[g] > spacing(groups[g][0].campaign)
            }.sorted { a, b in
                (groups[a].count - taken[a], -groups[a][taken[a]].sequence) > (groups[b].count - taken[b], -groups[b][taken[b]].sequence)
            }
            for g in candidates {
                let before = lastAt[g]
                out.append(groups[g][taken[g]])
                taken[g] += 1
                lastAt[g] = out.count - 1
                if extend(&out, &taken, &lastAt, total: total) { return true }
                out.removeLast()
                taken[g] -= 1
                lastAt[g] = before
                if budget < 0 { return false }
            }
            return false
        }
    }

    private mutating func record(_ campaign: Int, required: Int, planned: Int, reason: Shortfall.Reason) {
        shortfalls.append(
            Shortfall(
                campaign: planner.compiledCampaigns[campaign].id,
                channel: planner.station.channels[channel].id, date: date, required: required, planned: planned,
                reason: reason))
    }
}
