/// Rules that need the whole station, or its audio: overlaps, allowed hours, audio that is
/// missing or too long, and demand that cannot fit in the time a campaign is given.
public enum StationValidator {
    public static func validate(_ station: Station, audio: [String: AudioProbe]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func error(_ problem: ConfigProblem, _ location: SourceLocation) {
            found.append(Diagnostic(.error, problem, at: location))
        }
        func warning(_ problem: ConfigProblem, _ location: SourceLocation) {
            found.append(Diagnostic(.warning, problem, at: location))
        }

        for reference in station.audioReferences {
            switch audio[reference.path] {
            case .unplayable(let problem)?:
                error(.unplayableAudio(path: reference.path, problem: problem, lookedFor: reference.url.path), reference.location)
            case .playable?, nil: break
            }
        }
        let durations = audio.playableDurations

        for session in station.sessions {
            checkTimes(of: session, station: station, error: error)
            if session.channels.isEmpty {
                warning(.sessionWithoutChannel(session.thing), session.location(of: "channels"))
            }
            checkRelays(of: session, error: error)
            if let budget = budget(of: session, station: station, durations: durations), budget.roomForOneItem <= 0,
                session.end > session.start, !session.ownAirtime(earliest: station.earliest, latest: station.latest).isEmpty
            {
                error(.sessionFrameTooLong(session.thing, airtime: budget.airtime, frame: budget.frame), session.origin)
            }
        }
        checkOverlaps(station, error: error)

        var campaignIDs: [String: SourceLocation] = [:]
        for campaign in station.campaigns {
            if let first = campaignIDs[campaign.id] {
                error(.duplicateCampaign(id: campaign.id, firstFile: first.file), campaign.location(of: "id"))
            }
            campaignIDs[campaign.id] = campaign.origin
            // A campaign that is only a one-off relay has no plays to fit.
            if campaign.countsPlays {
                checkFit(of: campaign, station: station, durations: durations, error: error, warning: warning)
            }
        }
        checkCampaignRelays(station, error: error)
        return found
    }

    /// The session's time budget, when the length of its opening and closing audio is known.
    public static func budget(of session: Session, station: Station, durations: AudioDurations) -> SessionBudget? {
        // Seconds of the opening and the closing: nil for none; no budget while a length is unknown.
        var slots: [Int?] = []
        for reference in [session.opening, session.closing] {
            guard let reference else {
                slots.append(nil)
                continue
            }
            guard let seconds = durations[reference.path] else { return nil }
            slots.append(slotSeconds(for: seconds))
        }
        return SessionBudget(
            airtime: session.ownAirtime(earliest: station.earliest, latest: station.latest).count,
            opening: slots[0], closing: slots[1], gap: station.gapSeconds)
    }

    private static func checkTimes(
        of session: Session, station: Station, error: (ConfigProblem, SourceLocation) -> Void
    ) {
        if session.end <= session.start {
            error(
                .sessionEndsBeforeStart(session.thing, start: session.start, end: session.end), session.location(of: "end"))
            return
        }
        if session.start < station.earliest {
            error(
                .sessionBeforeEarliest(session.thing, start: session.start, earliest: station.earliest),
                session.location(of: "start"))
        }
        if session.end > station.latest {
            error(
                .sessionAfterLatest(session.thing, end: session.end, latest: station.latest), session.location(of: "end"))
        }
    }

    /// Each relay block inside its session, at its start or running to its end, none overlapping.
    private static func checkRelays(of session: Session, error: (ConfigProblem, SourceLocation) -> Void) {
        guard session.end > session.start else { return }
        var previousEnd = Int.min
        for (block, range) in session.relayRanges {
            let from = block.from ?? session.start, to = block.to ?? session.end
            if range.isEmpty || from < session.start || to > session.end {
                error(.relayOutsideSession(session.thing, from: from, to: to), block.location)
            } else if from != session.start, to != session.end {
                error(.relayInMiddle(session.thing, from: from, to: to), block.location)
            } else if range.lowerBound < previousEnd {
                error(.relaysOverlap(session.thing), block.location)
            }
            previousEnd = max(previousEnd, range.upperBound)
        }
    }

    /// Each one-off relay of a campaign on a date of its window, in the allowed hours, and clear of
    /// the sessions and the other campaigns' relays on its channels that day: it airs as written,
    /// so it may not take another item's time.
    private static func checkCampaignRelays(_ station: Station, error: (ConfigProblem, SourceLocation) -> Void) {
        // Those clear so far, by date: only a relay on the same day can meet one.
        var accepted: [CivilDate: [(campaign: Campaign, relay: CampaignRelay)]] = [:]
        for campaign in station.campaigns {
            for relay in campaign.relays {
                let from = relay.from, to = relay.to
                if to <= from {
                    error(.campaignRelayEndsBeforeStart(campaign.thing, from: from, to: to), relay.location)
                    continue
                }
                if !campaign.window.contains(relay.date) {
                    error(
                        .campaignRelayOutsideWindow(campaign.thing, date: relay.date, first: campaign.window.first, last: campaign.window.last),
                        relay.location)
                }
                if from < station.earliest || to > station.latest {
                    error(
                        .campaignRelayOutsideHours(campaign.thing, from: from, to: to, earliest: station.earliest, latest: station.latest),
                        relay.location)
                }
                var clear = true
                for session in station.sessions where session.runs(on: relay.date) && session.start < to && from < session.end {
                    let shared = session.channels.filter(campaign.channels.contains)
                    guard !shared.isEmpty else { continue }
                    error(
                        .campaignRelayOverlapsSession(
                            campaign.thing, date: relay.date, from: from, to: to, session: session.thing, session.start, session.end,
                            channels: shared.map(station.channelThing)),
                        relay.location)
                    clear = false
                }
                for other in accepted[relay.date] ?? [] where other.relay.from < to && from < other.relay.to {
                    let shared = other.campaign.channels.filter(campaign.channels.contains)
                    guard !shared.isEmpty else { continue }
                    error(
                        .campaignRelaysOverlap(
                            campaign.thing, date: relay.date, from: from, to: to, with: other.campaign.thing,
                            channels: shared.map(station.channelThing)),
                        relay.location)
                    clear = false
                }
                if clear { accepted[relay.date, default: []].append((campaign, relay)) }
            }
        }
    }

    private static func checkOverlaps(_ station: Station, error: (ConfigProblem, SourceLocation) -> Void) {
        let sessions = station.sessions
        for (i, a) in sessions.enumerated() {
            for b in sessions[(i + 1)...] where a.days.intersects(b.days) {
                guard a.start < b.end, b.start < a.end else { continue }
                let shared = a.channels.filter(b.channels.contains)
                if !shared.isEmpty {
                    error(
                        .sessionsOverlap(
                            b.thing, b.start, b.end, with: a.thing, a.start, a.end, channels: shared.map(station.channelThing)),
                        b.location(of: "start"))
                }
            }
        }
    }

    /// Audio longer than every session the campaign may use, and quotas beyond the time given.
    private static func checkFit(
        of campaign: Campaign, station: Station, durations: AudioDurations,
        error: (ConfigProblem, SourceLocation) -> Void, warning: (ConfigProblem, SourceLocation) -> Void
    ) {
        let usable = station.sessions.filter { session in
            campaign.sessions.contains(session.id) && session.channels.contains(where: campaign.channels.contains)
        }
        if usable.isEmpty {
            error(.campaignWithoutSession(campaign.thing), campaign.location(of: "sessions"))
            return
        }
        let budgets = usable.compactMap { budget(of: $0, station: station, durations: durations) }
        let largestRoom = budgets.map(\.roomForOneItem).max() ?? 0
        for message in campaign.messages {
            guard let duration = durations[message.audio.path], !budgets.isEmpty else { continue }
            if slotSeconds(for: duration) > largestRoom {
                error(
                    .messageTooLong(message.thing, seconds: slotSeconds(for: duration), room: largestRoom),
                    message.audio.location)
            }
        }
        let lengths = campaign.messages.compactMap { durations[$0.audio.path].map(slotSeconds(for:)) }
        guard !lengths.isEmpty, budgets.count == usable.count else { return }
        let averageSlot = lengths.reduce(0, +) / lengths.count
        // Channels that share the same sessions share the answer: the window is walked once for each.
        var answers: [[String]: QuotaFit] = [:]
        for channel in campaign.channels {
            let onChannel = usable.filter { $0.channels.contains(channel) }
            let fit = answers[onChannel.map(\.id)] ?? {
                let fit = QuotaFit(campaign, sessions: onChannel, station: station, durations: durations, averageSlot: averageSlot)
                answers[onChannel.map(\.id)] = fit
                return fit
            }()
            fit.warn(campaign, channel: station.channelThing(channel), averageSlot: averageSlot, warning: warning)
        }
    }

}

/// Whether a campaign's quota fits the sessions it is given on one channel, day by day. Which
/// sessions run on a day is a bit mask and each mask's capacity is worked out once, so the work
/// is the window's days whatever the number of sessions.
private struct QuotaFit {
    var shortDays: (count: Int, first: CivilDate?) = (0, nil)
    var emptyDays: (count: Int, first: CivilDate?) = (0, nil)
    var worst = (required: 0, capacity: Int.max)

    init(_ campaign: Campaign, sessions: [Session], station: Station, durations: AudioDurations, averageSlot: Int) {
        let slots = sessions.map { session in
            StationValidator.budget(of: session, station: station, durations: durations)
                .map { max(0, ($0.roomForOneItem + $0.gap) / (averageSlot + $0.gap)) } ?? 0
        }
        var capacities: [UInt64: Int] = [:]
        for date in campaign.window.days where campaign.days.contains(date.weekday) {
            var running: UInt64 = 0
            for (index, session) in sessions.enumerated() where session.runs(on: date) { running |= 1 << UInt64(index) }
            if running == 0 {
                emptyDays = (emptyDays.count + 1, emptyDays.first ?? date)
                continue
            }
            let capacity = capacities[running] ?? {
                let sum = slots.indices.filter { running & (1 << UInt64($0)) != 0 }.reduce(0) { $0 + slots[$1] }
                capacities[running] = sum
                return sum
            }()
            let required =
                switch campaign.quota {
                case .perDay(let n): n
                case .perSession(let n): n * running.nonzeroBitCount
                }
            if required > capacity {
                shortDays = (shortDays.count + 1, shortDays.first ?? date)
                if capacity < worst.capacity { worst = (required, capacity) }
            }
        }
    }

    func warn(_ campaign: Campaign, channel: ConfigThing, averageSlot: Int, warning: (ConfigProblem, SourceLocation) -> Void) {
        if let first = emptyDays.first {
            warning(
                .noSessionOnSomeDays(campaign.thing, channel: channel, days: emptyDays.count, first: first),
                campaign.location(of: "window"))
        }
        if let first = shortDays.first {
            warning(
                .quotaTooLarge(
                    campaign.thing, required: worst.required, slot: averageSlot, channel: channel,
                    capacity: worst.capacity, days: shortDays.count, first: first),
                campaign.location(of: campaign.fieldLocations["plays-per-session"] == nil ? "plays-per-day" : "plays-per-session"))
        }
    }
}

extension Session {
    var thing: ConfigThing { ConfigThing(id: id, name: name) }
}

extension Campaign {
    var thing: ConfigThing { ConfigThing(id: id, name: title) }
}

extension Message {
    var thing: ConfigThing { ConfigThing(id: id, name: title) }
}

extension Station {
    func channelThing(_ id: String) -> ConfigThing {
        ConfigThing(id: id, name: channels.first { $0.id == id }?.name ?? id)
    }
}
