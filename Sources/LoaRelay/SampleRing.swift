import Foundation

/// Interleaved 16-bit frames passed from a source's thread to the thread that plays them: the
/// source waits while the ring is full (so a fast source, an HLS playlist fetched at network
/// speed, runs only this far ahead), the player takes what there is and never waits.
final class SampleRing: @unchecked Sendable {
    let channels: Int
    let capacity: Int
    private let condition = NSCondition()
    private var storage: [Int16]
    private var head = 0
    private var filled = 0
    private var stopped = false

    init(frames: Int, channels: Int) {
        capacity = frames
        self.channels = channels
        storage = [Int16](repeating: 0, count: frames * channels)
    }

    /// Frames waiting to be played.
    var buffered: Int {
        condition.lock()
        defer { condition.unlock() }
        return filled
    }

    /// Appends floats (-1...1, `channels` interleaved), waiting for room; false once stopped.
    func push(_ samples: UnsafeBufferPointer<Float>) -> Bool {
        push(count: samples.count) { Int16(max(-32768, min(32767, (samples[$0] * 32768).rounded()))) }
    }

    /// Appends 16-bit frames, as a capture device gives them; false once stopped.
    func push(_ samples: UnsafeBufferPointer<Int16>) -> Bool { push(count: samples.count) { samples[$0] } }

    /// Appends `count` interleaved samples, the n-th given by `sample(n)`, as room comes.
    private func push(count: Int, _ sample: (Int) -> Int16) -> Bool {
        var offset = 0
        let total = count / channels
        while offset < total {
            condition.lock()
            while filled == capacity, !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return false
            }
            let frames = min(total - offset, capacity - filled)
            var tail = (head + filled) % capacity
            for frame in 0..<frames {
                for channel in 0..<channels { storage[tail * channels + channel] = sample((offset + frame) * channels + channel) }
                tail = (tail + 1) % capacity
            }
            filled += frames
            offset += frames
            condition.unlock()
        }
        return true
    }

    /// Takes up to `frames` frames into `buffer`, without waiting; returns how many.
    func read(into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int) -> Int {
        condition.lock()
        let taken = min(frames, filled)
        for frame in 0..<taken {
            for channel in 0..<channels { buffer[frame * channels + channel] = storage[((head + frame) % capacity) * channels + channel] }
        }
        head = (head + taken) % capacity
        filled -= taken
        condition.signal()
        condition.unlock()
        return taken
    }

    /// Wakes a waiting source and refuses every push from now on.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
