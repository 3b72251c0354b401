import Foundation
import LoaSystem
import Testing

@Suite struct StationThreadsTests {
    /// Work started with the preference runs on the station's threads, child tasks included.
    @Test func tasksRunOnTheStationsThreads() async {
        let threads = StationThreads(count: 2)
        let names = await withTaskExecutorPreference(threads) {
            await withTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { currentThreadName() } }
                return await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
        }
        #expect(!names.isEmpty && names.allSatisfy { $0.hasPrefix("loa-station-") }, "\(names)")
    }

    @Test func sleepsLastAtLeastTheirDurationAndWakeInDeadlineOrder() async throws {
        let timer = SleepTimer.shared
        let start = SleepTimer.monotonicNow()
        let order = await withTaskGroup(of: Int.self) { group in
            for (index, milliseconds) in [(3, 150), (1, 50), (2, 100)] {
                group.addTask {
                    try? await timer.sleep(for: .milliseconds(milliseconds))
                    #expect(SleepTimer.monotonicNow() - start >= .milliseconds(milliseconds))
                    return index
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(order == [1, 2, 3])
    }

    /// Shutdown cancels the daemon's waits: a cancelled sleep ends at once with CancellationError,
    /// whether the cancellation comes before or during the sleep.
    @Test func aCancelledSleepEndsAtOnce() async throws {
        let timer = SleepTimer.shared
        let during = Task { try await timer.sleep(for: .seconds(3600)) }
        try await Task.sleep(for: .milliseconds(20))
        during.cancel()
        await #expect(throws: CancellationError.self) { try await during.value }

        let before = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await timer.sleep(for: .seconds(3600))
        }
        await #expect(throws: CancellationError.self) { try await before.value }
    }
}

/// Synchronous, because `Thread.current` is not for async code.
private func currentThreadName() -> String { Thread.current.name ?? "" }
