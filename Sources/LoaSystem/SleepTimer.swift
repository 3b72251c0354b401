import CLinux
import Foundation

/// Sleeps on a monotonic clock, kept by one thread that waits for the earliest deadline:
/// `Task.sleep` would arm a libdispatch timer and wake the worker pool (see `StationThreads`).
/// Every sleep also ends early when the wall clock is set (NTP stepping a PC whose clock was
/// wrong at boot), told by a `timerfd` armed with `TFD_TIMER_CANCEL_ON_SET`, so the runner sees a
/// clock jump at once rather than polling for one.
public final class SleepTimer: @unchecked Sendable {
    public static let shared = SleepTimer()

    private struct Sleeper {
        var id: UInt64
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    // Allocated, not stored inline: pthread objects must not move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Guarded by `mutex`, sorted by deadline.
    private var sleepers: [Sleeper] = []
    private var cancelledEarly: Set<UInt64> = []
    private var lastID: UInt64 = 0

    private init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        Thread.detachNewThread { [unowned self] in
            Thread.current.name = "loa-timer"
            self.keep()
        }
        Thread.detachNewThread { [unowned self] in
            Thread.current.name = "loa-clock-set"
            self.watchClockSets()
        }
    }

    /// Blocks on a realtime timer set far in the future; its read fails with ECANCELED whenever
    /// the wall clock is set, and then every sleeper is woken.
    private func watchClockSets() {
        let fd = timerfd_create(CLOCK_REALTIME, Int32(TFD_CLOEXEC))
        guard fd >= 0 else { return }
        var expirations: UInt64 = 0
        while true {
            // 2100-01-01: never reached, only cancelled.
            var far = itimerspec(it_interval: timespec(), it_value: timespec(tv_sec: 4_102_444_800, tv_nsec: 0))
            guard timerfd_settime(fd, Int32(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET), &far, nil) == 0 else { return }
            if read(fd, &expirations, 8) < 0, errno == ECANCELED { wakeAll() }
        }
    }

    private func wakeAll() {
        let woken = locked { () -> [Sleeper] in
            defer { sleepers.removeAll() }
            return sleepers
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Seconds since boot on CLOCK_MONOTONIC, the clock the condition waits on.
    public static func monotonicNow() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
    }

    public func sleep(for duration: Duration) async throws {
        let deadline = Self.monotonicNow() + max(.zero, duration)
        let id = locked { () -> UInt64 in
            lastID += 1
            return lastID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                locked { () -> Void in
                    if cancelledEarly.remove(id) != nil {
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    let index = sleepers.firstIndex { $0.deadline > deadline } ?? sleepers.endIndex
                    sleepers.insert(Sleeper(id: id, deadline: deadline, continuation: continuation), at: index)
                    if index == 0 { pthread_cond_signal(condition) }
                }
            }
        } onCancel: {
            let woken = locked { () -> Sleeper? in
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else {
                    cancelledEarly.insert(id)
                    return nil
                }
                return sleepers.remove(at: index)
            }
            woken?.continuation.resume(throwing: CancellationError())
        }
        // A sleep that ended normally may have left its id behind if cancellation came too late.
        locked { _ = cancelledEarly.remove(id) }
    }

    private func keep() {
        while true {
            let due = locked { () -> [Sleeper] in
                while true {
                    guard let first = sleepers.first else {
                        pthread_cond_wait(condition, mutex)
                        continue
                    }
                    let now = Self.monotonicNow()
                    if first.deadline <= now { break }
                    let (seconds, attoseconds) = first.deadline.components
                    var until = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                    pthread_cond_timedwait(condition, mutex, &until)
                }
                let now = Self.monotonicNow()
                let count = sleepers.firstIndex { $0.deadline > now } ?? sleepers.endIndex
                defer { sleepers.removeFirst(count) }
                return Array(sleepers.prefix(count))
            }
            for sleeper in due { sleeper.continuation.resume() }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}

/// Whether the kernel says the wall clock is synchronized (NTP or chrony has disciplined it):
/// a PC without a battery-backed clock boots in the past until then.
public func wallClockIsSynchronized() -> Bool { loa_clock_synchronized() != 0 }
