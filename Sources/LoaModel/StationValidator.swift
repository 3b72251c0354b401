/// Rules that need the whole station, or its audio: overlaps, allowed hours, audio that is
/// missing or too long, and demand that cannot fit in the time a campaign is given.
public enum StationValidator {
    public static func validate(_ station: Station, audio: [String: AudioProbe]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func error(_ message: String, _ location: SourceLocation) {
            found.append(Diagnostic(.error, message, at: location))
        }
        func warning(_ message: String, _ location: SourceLocation) {
            found.append(Diagnostic(.warning, message, at: location))
        }

        for reference in station.audioReferences {
            switch audio[reference.path] {
            case .unplayable(let problem)?:
                error("audio '\(reference.path)': \(problem) (looked for \(reference.url.path))", reference.location)
            case .playable?, nil: break
            }
        }
        let durations = audio.playableDurations

        for session in station.sessions {
            checkTimes(of: session, station: station, error: error)
            if session.channels.isEmpty {
                warning("session '\(session.id)' plays on no channel", session.location(of: "channels"))
            }
            if let budget = budget(of: session, station: station, durations: durations), budget.roomForOneItem <= 0,
                session.end > session.start
            {
                error(
                    "session '\(session.id)' has \(budget.airtime) s of airtime but its opening and closing "
                        + "audio take \(budget.frame) s", session.origin)
            }
        }
        checkOverlaps(station, error: error)

        var campaignIDs: [String: SourceLocation] = [:]
        for campaign in station.campaigns {
            if let first = campaignIDs[campaign.id] {
                error("duplicate campaign id '\(campaign.id)' (first defined in \(first.file))", campaign.location(of: "id"))
            }
            campaignIDs[campaign.id] = campaign.origin
            checkFit(of: campaign, station: station, durations: durations, error: error, warning: warning)
        }
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
            airtime: session.airtime(earliest: station.earliest, latest: station.latest).count,
            opening: slots[0], closing: slots[1], gap: station.gapSeconds)
    }

    private static func checkTimes(
        of session: Session, station: Station, error: (String, SourceLocation) -> Void
    ) {
        if session.end <= session.start {
            error(
                "session '\(session.id)' ends (\(session.end)) before it starts (\(session.start))",
                session.location(of: "end"))
            return
        }
        if session.start < station.earliest {
            error(
                "session '\(session.id)' starts at \(session.start), before the station's earliest allowed time "
                    + "\(station.earliest)", session.location(of: "start"))
        }
        if session.end > station.latest {
            error(
                "session '\(session.id)' ends at \(session.end), after the station's latest allowed time "
                    + "\(station.latest)", session.location(of: "end"))
        }
    }

    private static func checkOverlaps(_ station: Station, error: (String, SourceLocation) -> Void) {
        let sessions = station.sessions
        for (i, a) in sessions.enumerated() {
            for b in sessions[(i + 1)...] where a.days.intersects(b.days) {
                guard a.start < b.end, b.start < a.end else { continue }
                let shared = a.channels.filter(b.channels.contains)
                if !shared.isEmpty {
                    error(
                        "session '\(b.id)' (\(b.start)-\(b.end)) overlaps session '\(a.id)' (\(a.start)-\(a.end)) "
                            + "on channel '\(shared.joined(separator: "', '"))'", b.location(of: "start"))
                }
            }
        }
    }

    /// Audio longer than every session the campaign may use, and quotas beyond the time given.
    private static func checkFit(
        of campaign: Campaign, station: Station, durations: AudioDurations,
        error: (String, SourceLocation) -> Void, warning: (String, SourceLocation) -> Void
    ) {
        let usable = station.sessions.filter { session in
            campaign.sessions.contains(session.id) && session.channels.contains(where: campaign.channels.contains)
        }
        if usable.isEmpty {
            error(
                "campaign '\(campaign.id)' can air in no session: none of its sessions plays on its channels",
                campaign.location(of: "sessions"))
            return
        }
        let budgets = usable.compactMap { budget(of: $0, station: station, durations: durations) }
        let largestRoom = budgets.map(\.roomForOneItem).max() ?? 0
        for message in campaign.messages {
            guard let duration = durations[message.audio.path], !budgets.isEmpty else { continue }
            if slotSeconds(for: duration) > largestRoom {
                error(
                    "message '\(message.id)' lasts \(slotSeconds(for: duration)) s, longer than every session it "
                        + "could go in (at most \(largestRoom) s free)", message.audio.location)
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
            fit.warn(campaign, channel: channel, averageSlot: averageSlot, warning: warning)
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

    func warn(_ campaign: Campaign, channel: String, averageSlot: Int, warning: (String, SourceLocation) -> Void) {
        if let first = emptyDays.first {
            warning(
                "campaign '\(campaign.id)' has no session on channel '\(channel)' on \(emptyDays.count) day(s) of "
                    + "its window (first \(first.vietnamese)): those plays cannot be planned",
                campaign.location(of: "window"))
        }
        if let first = shortDays.first {
            warning(
                "campaign '\(campaign.id)' needs \(worst.required) play(s) of about \(averageSlot) s on channel "
                    + "'\(channel)' but its sessions there hold only \(worst.capacity) on \(shortDays.count) day(s) "
                    + "(first \(first.vietnamese)), even before other campaigns take their share",
                campaign.location(of: campaign.fieldLocations["plays-per-session"] == nil ? "plays-per-day" : "plays-per-session"))
        }
    }
}
