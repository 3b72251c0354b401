import Foundation

/// The daemon's own threads, on which all of its async work runs (through a task executor
/// preference), so that an idle station sleeps until its next event.
///
/// Why not Swift's global executor: on Linux that is libdispatch's worker pool, and the first
/// worker thread arms a one-second pool monitor that wakes the process 50 to 60 times a minute
/// for as long as it lives. These threads wait on a condition variable and wake only for work.
/// Several threads, so that one channel's last-millisecond wait before a start
/// (`RunnerClock.arrive(at:)`) never holds up another channel's.
public final class StationThreads: TaskExecutor, @unchecked Sendable {
    public static let shared = StationThreads(count: max(4, ProcessInfo.processInfo.activeProcessorCount))

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var next = 0

    public init(count: Int) {
        for index in 0..<count {
            Thread.detachNewThread { [unowned self] in
                // Named so that `top -H` and /proc show what each thread is.
                Thread.current.name = "loa-station-\(index)"
                self.work()
            }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
                condition.wait()
            }
            let job = jobs[next]
            next += 1
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
