import Foundation

/// Interleaved 16-bit frames passed from a source's thread to the threads that play them, each
/// reading at its own place. The source waits while the readers on air have no room left (so a
/// fast source, an HLS playlist fetched at network speed, runs only this far ahead); a reader not
/// yet on air is dragged along rather than waited for, and one on air that takes nothing for
/// ``stuckReader`` is too, so no channel can hold up another. A reader going on air starts where
/// those already on air are: every channel relaying one source airs the same frame together.
final class SampleRing: @unchecked Sendable {
    let channels: Int
    let capacity: Int
    private let condition = NSCondition()
    private var storage: [Int16]
    /// Frames written since the start; frame `n` is at `n % capacity`.
    private var written = 0
    private var readers: [Int: Place] = [:]
    private var nextReader = 0
    private var stopped = false

    private struct Place {
        /// The next frame it takes.
        var position: Int
        var onAir = false
    }

    /// How long the source waits for a reader on air that takes nothing (a device hung in a write).
    static let stuckReader: TimeInterval = 2

    init(frames: Int, channels: Int) {
        capacity = frames
        self.channels = channels
        storage = [Int16](repeating: 0, count: frames * channels)
    }

    /// A new reader, at the place of the readers on air (or of the first one waiting, or at what
    /// comes next).
    func reader() -> Reader {
        condition.lock()
        defer { condition.unlock() }
        let place = Place(position: slowest ?? written)
        nextReader += 1
        readers[nextReader] = place
        return Reader(ring: self, id: nextReader)
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
            var deadline = Date().addingTimeInterval(Self.stuckReader)
            while room == 0, !stopped {
                if !condition.wait(until: deadline), room == 0 {
                    // Stuck on air: it loses half the ring, and the others go on.
                    let kept = written - capacity / 2
                    for (id, place) in readers where place.position < kept { readers[id]?.position = kept }
                    deadline = Date().addingTimeInterval(Self.stuckReader)
                }
            }
            if stopped {
                condition.unlock()
                return false
            }
            let frames = min(total - offset, room)
            for frame in 0..<frames {
                let slot = ((written + frame) % capacity) * channels
                for channel in 0..<channels { storage[slot + channel] = sample((offset + frame) * channels + channel) }
            }
            written += frames
            offset += frames
            // What is overwritten is lost to a reader not on air: it keeps the newest frames.
            for (id, place) in readers where place.position < written - capacity { readers[id]?.position = written - capacity }
            condition.unlock()
        }
        return true
    }

    /// Frames that may be written before the slowest reader would lose one; the whole ring with
    /// no reader. Under the lock.
    private var room: Int { slowest.map { capacity - (written - $0) } ?? capacity }

    /// The place of the slowest reader on air, or with none on air of the slowest waiting one: the
    /// one the source waits for, and where a new reader starts. Under the lock.
    private var slowest: Int? { slowestOnAir ?? readers.values.lazy.map(\.position).min() }

    /// The place of the slowest reader on air. Under the lock.
    private var slowestOnAir: Int? { readers.values.lazy.filter(\.onAir).map(\.position).min() }

    fileprivate func buffered(_ id: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return readers[id].map { written - $0.position } ?? 0
    }

    fileprivate func read(_ id: Int, into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        guard var place = readers[id] else { return 0 }
        if !place.onAir {
            if let slowestOnAir { place.position = slowestOnAir }
            place.onAir = true
        }
        let taken = min(frames, written - place.position)
        for frame in 0..<taken {
            let slot = ((place.position + frame) % capacity) * channels
            for channel in 0..<channels { buffer[frame * channels + channel] = storage[slot + channel] }
        }
        place.position += taken
        readers[id] = place
        condition.signal()
        return taken
    }

    fileprivate func remove(_ id: Int) {
        condition.lock()
        readers[id] = nil
        condition.signal()
        condition.unlock()
    }

    /// Wakes a waiting source and refuses every push from now on.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// One player's place in the ring; it takes frames without ever waiting.
    final class Reader: @unchecked Sendable {
        private let ring: SampleRing
        private let id: Int

        fileprivate init(ring: SampleRing, id: Int) {
            self.ring = ring
            self.id = id
        }

        deinit { close() }

        /// Leaves the ring, which waits for it no more.
        func close() { ring.remove(id) }

        var channels: Int { ring.channels }

        /// Frames waiting to be played.
        var buffered: Int { ring.buffered(id) }

        /// Takes up to `frames` frames into `buffer`; the first call puts the reader on air.
        func read(into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int) -> Int { ring.read(id, into: buffer, frames: frames) }
    }
}
