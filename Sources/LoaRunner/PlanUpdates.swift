import LoaSystem
import Synchronization

/// How a new plan reaches one channel while it plays: the station runner publishes the entries
/// the new plan holds; the channel takes them at its next item boundary. The item on air plays
/// on when its entry is still planned, and is cut (logged `withdrawn`) when it is not.
public final class PlanUpdates: Sendable {
    private struct State {
        var generation = 0
        var onAir: (entryID: String, stop: @Sendable () -> Void)?
        var withdrawn = false
    }

    private let state = Mutex(State())
    /// Signalled at each publication, so a channel waiting for its next item looks again.
    let published = WakeSignal()

    public init() {}

    /// Counts publications: a channel that started under another number has a new plan to take.
    public var generation: Int { state.withLock { $0.generation } }

    /// Announces a new plan holding `planned` entry ids.
    public func publish(planned: Set<String>) {
        let stop = state.withLock { state -> (@Sendable () -> Void)? in
            state.generation += 1
            guard let onAir = state.onAir, !planned.contains(onAir.entryID), !state.withdrawn else { return nil }
            state.withdrawn = true
            return onAir.stop
        }
        stop?()
        published.signal()
    }

    /// The channel puts an item on air; `stop` fades it out.
    func airing(_ entryID: String, stop: @escaping @Sendable () -> Void) {
        state.withLock { $0.onAir = (entryID, stop); $0.withdrawn = false }
    }

    /// The item left the air; true when a new plan withdrew it meanwhile.
    func offAir() -> Bool {
        state.withLock { state in
            defer { state.onAir = nil; state.withdrawn = false }
            return state.withdrawn
        }
    }
}
