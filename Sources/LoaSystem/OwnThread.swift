import Foundation

/// Runs a blocking call (playing to a device until it has the sound) on a thread of its own,
/// named for `top -H`, and awaits it: on the station's few threads it would hold up every other
/// channel's timing.
public func onOwnThread<T: Sendable>(named name: String, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            Thread.current.name = name
            continuation.resume(returning: body())
        }
    }
}
