import Foundation
import LoaSystem
import Synchronization

/// The runner's two clocks: the wall clock, which the schedule is written in and which can jump
/// (NTP correcting a PC whose RTC battery is dead), and a monotonic one for waiting and measuring.
/// The runner never calls `Date()` or `Task.sleep` itself, so tests can run a campaign in seconds.
public protocol RunnerClock: Sendable {
    func now() -> Date
    /// Seconds on a clock that never jumps.
    func monotonic() -> Duration
    /// Sleeps on the monotonic clock; may return early when the wall clock is set, so that a
    /// wait for a wall-clock instant is worked out again at once.
    func sleep(for duration: Duration) async throws
    /// Returns when the wall clock reads `deadline`, as exactly as the clock can: the last step
    /// before a broadcast's first sample.
    func arrive(at deadline: Date)
    /// Whether the wall clock is known to be right (synchronised by NTP): decisions that a wrong
    /// clock would make wrongly (missed, skipped) are held until it is.
    func isSynchronized() -> Bool
}

public struct SystemClock: RunnerClock {
    private let origin = SleepTimer.monotonicNow()
    private let trusted: Bool

    /// `trusted`: take the clock as right even when no NTP client has synchronised it (a station
    /// with no time source at all), so missed items are logged at once rather than at midnight.
    public init(trusted: Bool = false) { self.trusted = trusted }

    public func now() -> Date { Date() }
    public func monotonic() -> Duration { SleepTimer.monotonicNow() - origin }
    public func sleep(for duration: Duration) async throws { try await SleepTimer.shared.sleep(for: duration) }

    /// The corresponding C function is `adjtimex`, asking nothing to change.
    public func isSynchronized() -> Bool { trusted || wallClockIsSynchronized() }

    /// Short naps, then a spin over the last half millisecond: a task sleep can be late by
    /// milliseconds, and a broadcast should start on its second.
    public func arrive(at deadline: Date) {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return }
            if left > 0.0005 { usleep(useconds_t((left - 0.0004) * 1_000_000)) }
        }
    }
}

/// Time that passes only when someone sleeps: a sleep returns at once, having moved the clock on.
/// `jumps` move the wall clock alone when the monotonic time reaches them, as NTP would.
public final class VirtualClock: RunnerClock {
    private struct State {
        var elapsed: Duration = .zero
        var wallOffset: TimeInterval = 0
        var jumps: [(at: Duration, by: TimeInterval)] = []
        var synchronized: Bool
    }

    private let start: Date
    private let state: Mutex<State>
    /// When set, the clock reports itself synchronised from the first jump on (NTP's first step).
    private let synchronizedByFirstJump: Bool

    /// `synchronized: false` models a PC whose clock no NTP client has set yet; with jumps, the
    /// first one synchronises it, as NTP's first step does.
    public init(start: Date, jumps: [(at: Duration, by: TimeInterval)] = [], synchronized: Bool = true) {
        self.start = start
        synchronizedByFirstJump = !synchronized && !jumps.isEmpty
        state = Mutex(State(jumps: jumps.sorted { $0.at < $1.at }, synchronized: synchronized))
    }

    public func isSynchronized() -> Bool { state.withLock { $0.synchronized } }

    public func now() -> Date {
        state.withLock { Self.wall(start, $0) }
    }

    public func monotonic() -> Duration { state.withLock { $0.elapsed } }

    /// Like the system clock's, a sleep ends at a jump it would pass.
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let untilJump = state.withLock { state in state.jumps.first.map { $0.at - state.elapsed } }
        advance(by: max(.zero, min(duration, untilJump ?? duration)))
    }

    public func arrive(at deadline: Date) {
        let left = deadline.timeIntervalSince(now())
        if left > 0 { advance(by: .seconds(left)) }
    }

    /// Moves time on, applying the jumps passed on the way.
    public func advance(by duration: Duration) {
        state.withLock { state in
            state.elapsed += duration
            while let jump = state.jumps.first, jump.at <= state.elapsed {
                state.wallOffset += jump.by
                state.jumps.removeFirst()
                if synchronizedByFirstJump { state.synchronized = true }
            }
        }
    }

    private static func wall(_ start: Date, _ state: State) -> Date {
        start.addingTimeInterval(state.elapsed / .seconds(1) + state.wallOffset)
    }
}

extension RunnerClock {
    /// Runs `body` until it succeeds, waiting 1 s after the first failure and twice as long after
    /// each next one, up to `longest`; `failed` hears each error with the wait before the next
    /// try. Nil when the task is cancelled before a try succeeds. The daemon waits this way for a
    /// log it cannot open, read or write: exiting would only have systemd start it into the same
    /// error, and a broadcast that aired must be settled.
    public func retrying<T>(upTo longest: Duration, failed: (any Error, Duration) -> Void, _ body: () throws -> T) async -> T? {
        var wait = Duration.seconds(1)
        while true {
            do {
                return try body()
            } catch {
                failed(error, wait)
            }
            if Task.isCancelled { return nil }
            try? await sleep(for: wait)
            wait = min(wait * 2, longest)
        }
    }
}
