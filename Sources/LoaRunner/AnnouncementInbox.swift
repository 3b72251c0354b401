import Foundation
import LoaControl
import LoaSystem
import Synchronization

/// A channel's queue of announcement plays. The daemon puts plays in; the channel runner takes
/// the due ones between items, and an emergency stops the item on air.
public final class AnnouncementInbox: Sendable {
    private struct State {
        var pending: [AnnouncementPlay] = []
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

    /// Plays due at `now`, taken out of the queue, emergencies first.
    func takeDue(at now: Date) -> [AnnouncementPlay] {
        state.withLock { state in
            let due = state.pending.filter { $0.due <= now }
            state.pending.removeAll { $0.due <= now }
            return due
        }
    }

    var nextDue: Date? { state.withLock { $0.pending.map(\.due).min() } }

    /// While `body` runs, an emergency arriving calls `stop`.
    func onEmergency<T>(_ stop: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
        state.withLock { $0.onEmergency = stop }
        defer { state.withLock { $0.onEmergency = nil } }
        return try await body()
    }

    /// Returns when a play is added (at once for one added since the last wait), or when cancelled.
    func waitForArrival() async { await arrivals.wait() }
}
