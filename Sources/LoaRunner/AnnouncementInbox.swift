import Foundation
import LoaControl
import LoaRelay
import LoaSystem
import Synchronization

/// One channel's part in a live broadcast (nói trực tiếp).
public struct LivePlay: Sendable {
    public var broadcast: LiveBroadcast
    public var start: LiveStart
    /// Where it is recorded, in the audio library.
    public var recording: URL
    public var requested: Date
}

/// A channel's queue of announcement plays and live broadcasts. The daemon puts them in; the
/// channel runner takes the due ones between items, and an emergency stops the item on air.
public final class AnnouncementInbox: Sendable {
    private struct State {
        var pending: [AnnouncementPlay] = []
        var live: [LivePlay] = []
        var onEmergency: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    private let arrivals = WakeSignal()

    public init() {}

    public func add(_ plays: [AnnouncementPlay]) {
        guard !plays.isEmpty else { return }
        let stop = state.withLock { state -> (@Sendable () -> Void)? in
            state.pending += plays
            state.pending.sort { ($0.level == .emergency ? 0 : 1, $0.due) < ($1.level == .emergency ? 0 : 1, $1.due) }
            return plays.contains { $0.level == .emergency } ? state.onEmergency : nil
        }
        stop?()
        arrivals.signal()
    }

    /// A live broadcast for this channel: at once (an emergency cuts the item on air) or after it.
    public func add(_ play: LivePlay) {
        let stop = state.withLock { state -> (@Sendable () -> Void)? in
            state.live.append(play)
            return play.start.level == .emergency ? state.onEmergency : nil
        }
        stop?()
        arrivals.signal()
    }

    /// Live broadcasts waiting, taken out of the queue, emergencies first.
    func takeLive() -> [LivePlay] {
        state.withLock { state in
            defer { state.live = [] }
            return state.live.sorted { ($0.start.level == .emergency ? 0 : 1) < ($1.start.level == .emergency ? 0 : 1) }
        }
    }

    /// Plays due at `now`, taken out of the queue, emergencies first.
    func takeDue(at now: Date) -> [AnnouncementPlay] {
        state.withLock { state in
            let due = state.pending.filter { $0.due <= now }
            state.pending.removeAll { $0.due <= now }
            return due
        }
    }

    var nextDue: Date? { state.withLock { $0.live.isEmpty ? $0.pending.map(\.due).min() : .distantPast } }

    /// While `body` runs, an emergency arriving calls `stop`.
    func onEmergency<T>(_ stop: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
        // A live emergency that came as the item was about to start cuts it as it starts.
        let waiting = state.withLock { state in
            state.onEmergency = stop
            return state.live.contains { $0.start.level == .emergency }
        }
        if waiting { stop() }
        defer { state.withLock { $0.onEmergency = nil } }
        return try await body()
    }

    /// Returns when a play is added (at once for one added since the last wait), or when cancelled.
    func waitForArrival() async { await arrivals.wait() }
}
