import Foundation

/// Runs a blocking call (a `loa` process, a browser) on a thread of its own. On the test run's
/// cooperative threads (two on a two-core machine) it would keep other tests waiting, and a
/// test that computes for a while there would keep it waiting in turn.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// Polls `condition` every 20 ms, on a thread of its own so that a busy test pool cannot make it
/// miss a state that lasts a few seconds, until it holds or `timeout` seconds have passed.
/// Returns whether it held.
public func poll(timeout: Double, _ condition: @escaping @Sendable () -> Bool) async -> Bool {
    (try? await offThePool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }) ?? false
}
