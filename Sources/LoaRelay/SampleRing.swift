import Foundation

/// Interleaved 16-bit frames passed from a source's thread to the threads that play them, each
/// reading at its own place. The source waits while the readers on air have no room left (so a
/// fast source runs only this far ahead); one on air that takes nothing for ``stuckReader`` is
/// dragged along, so no channel can hold up another.
///
/// A live source (a stream, a line input) is aired as near its newest frame as its delivery
/// allows: readers not yet on air never hold it up (the ring keeps its newest frames, nothing
/// backs up in the network or the decoder), a reader going on air starts at the live point (the
/// newest frame less the largest recent gap between deliveries and ``safety``), a reader that
/// ran dry or is back from an outage catches up to it, and readers on air whose buffer has
/// stayed above it for a while are moved up to it together. A recorded source (a fallback file,
/// an ended HLS playlist, or a source that delivers more than ``recordedAhead`` ahead of real
/// time, as no live one can) is played from its start, every reader waited for. A reader going
/// on air when others are already on air starts where they are: every channel relaying one
/// source airs the same frame together.
final class SampleRing: @unchecked Sendable {
    let channels: Int
    let capacity: Int
    let rate: Int
    private let condition = NSCondition()
    private var storage: [Int16]
    /// Frames written since the start; frame `n` is at `n % capacity`.
    private var written = 0
    private var readers: [Int: Place] = [:]
    /// The frame after the last any reader took: a reader going on air alone never starts
    /// before it, so a relay cut and prepared again never airs what it aired.
    private var furthestRead = 0
    private var nextReader = 0
    private var stopped = false
    private var live = true
    /// When the source connected, and the frames it has pushed since.
    private var connected: Double?
    private var connectionFrames = 0
    /// Where a stream's new connection began, while its burst is still coming: readers wait
    /// there (an Icecast server's burst to a new listener starts seconds in the past, part of it
    /// aired before the connection dropped), then catch up to the live point once the connection
    /// delivers in real time, so a reconnect never airs the source's past again.
    private var held: Int?
    private var furthestAhead = 0.0
    private var aheadGrew: Double?
    /// When the last push came, and the gaps between pushes over the last ``gapWindow``.
    private var lastPush: Double?
    private var gaps: [(at: Double, seconds: Double)] = []
    /// The gap the source says its deliveries may have (an HLS segment's length), before any is seen.
    private var expectedGap = 0.0
    /// The least the readers on air held since ``lowSince``, to see whether they lag.
    private var lowest = Int.max
    private var lowSince = 0.0

    /// How near the newest frame a live source airs.
    struct Margins {
        /// The jitter margin kept behind the live point's delivery gap.
        var safety: Double
        /// How much more than the live point needs readers on air may hold before they move up (a
        /// recovered stall or a drifting clock leaves them behind; moving them up is one jump).
        var lagAllowance: Double

        /// A relay: the player writes up to 0.2 s ahead of the air (its pace lead), and a thread's
        /// wake-up or a packet on the station's line may come some 0.1 s late.
        static let relay = Margins(safety: 0.3, lagAllowance: 0.5)
        /// A live voice on the commune's LAN: 40 ms ahead of the air, packets of 20 ms; a sender
        /// whose clock runs fast is brought back within a tenth of a second (frames dropped).
        static let voice = Margins(safety: 0.05, lagAllowance: 0.1)
    }
    let margins: Margins
    static let gapWindow = 30.0
    /// More than this ahead of real time since connecting is a recording: an Icecast server's
    /// burst to a new listener is 64 KB by default, 4 s at 128 kbit/s and 16 s at 32.
    static let recordedAhead = 20.0
    /// How far a recording runs ahead of its readers: a server that dies under it is found
    /// within this time, as with a live source.
    static let recordedLead = 4.0

    private struct Place {
        /// The next frame it takes.
        var position: Int
        var onAir = false
        /// It ran dry (or is back from an outage): with a live source, it catches up to the live
        /// point when frames come again, rather than airing late what came late.
        var behind = false
    }

    /// How long the source waits for a reader on air that takes nothing (a device hung in a write).
    static let stuckReader: TimeInterval = 2

    init(frames: Int, channels: Int, rate: Int, margins: Margins = .relay) {
        self.margins = margins
        capacity = frames
        self.channels = channels
        self.rate = rate
        storage = [Int16](repeating: 0, count: frames * channels)
    }

    /// The source delivers in pieces this long (an HLS segment at a time): a reader joining a
    /// connection too new to have shown its gaps keeps that much.
    func expectGaps(of seconds: Double) {
        condition.lock()
        expectedGap = seconds
        condition.unlock()
    }

    /// Whether the source is live (the default) or recorded; said before its frames are pushed.
    func setLive(_ isLive: Bool) {
        condition.lock()
        live = isLive
        condition.unlock()
    }

    /// The source connected again: the wait since its last frame is no gap of its delivery.
    /// `bursts`: a stream server may begin it with a burst of the recent past.
    func newConnection(bursts: Bool) {
        condition.lock()
        lastPush = nil
        connected = nil
        connectionFrames = 0
        held = bursts && live ? written : nil
        furthestAhead = 0
        aheadGrew = nil
        condition.unlock()
    }

    /// How long a connection must deliver in real time (no further ahead) for its burst to be over.
    static let burstSettles = 0.3

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
        condition.lock()
        if live { noteDelivery(frames: total) }
        condition.unlock()
        while offset < total {
            condition.lock()
            var deadline = Date().addingTimeInterval(Self.stuckReader)
            var watched = slowest
            while room <= 0, !stopped {
                if !condition.wait(until: deadline), room <= 0 {
                    if slowest == watched {
                        // Stuck (it took nothing): it loses half of what it may hold, and the others go on.
                        let kept = written - lead / 2
                        for (id, place) in readers where place.position < kept { readers[id]?.position = kept }
                    }
                    watched = slowest
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
            condition.unlock()
        }
        return true
    }

    /// Frames that may be written before the slowest reader would lose one (a recording: before
    /// it would be ``recordedLead`` ahead); the whole ring with none. A live source never fills
    /// the ring before its block (``recordedAhead`` is less than it), so waiting readers never
    /// hold one up. Under the lock.
    private var room: Int { slowest.map { lead - (written - $0) } ?? capacity }

    /// How far the source may run ahead of its slowest reader. Under the lock.
    private var lead: Int { live ? capacity : min(capacity, Int(Self.recordedLead * Double(rate))) }

    private static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    /// Under the lock, as a push begins: the gap since the last, and whether the readers on air
    /// lag behind the live point (then they move up together, keeping their places relative to
    /// each other).
    private func noteDelivery(frames: Int) {
        let now = Self.now()
        let since = connected ?? now
        connected = since
        connectionFrames += frames
        let ahead = Double(connectionFrames) / Double(rate) - (now - since)
        if ahead > Self.recordedAhead {
            live = false
            held = nil
            return
        }
        if held != nil {
            if ahead > furthestAhead + 0.02 {
                furthestAhead = ahead
                aheadGrew = now
            } else if now - (aheadGrew ?? since) >= Self.burstSettles {
                held = nil
            }
        }
        if let lastPush, now - lastPush > 0.01 { gaps.append((now, now - lastPush)) }
        lastPush = now
        gaps.removeAll { now - $0.at > Self.gapWindow }
        guard let slowestOnAir, held == nil else {
            lowest = .max
            lowSince = now
            return
        }
        lowest = min(lowest, written - slowestOnAir)
        let window = max(3, 2 * largestGap)
        guard now - lowSince >= window else { return }
        let keep = Int(margins.safety * Double(rate))
        if lowest > keep + Int(margins.lagAllowance * Double(rate)) {
            let skip = lowest - keep
            for (id, place) in readers where place.onAir { readers[id]?.position += skip }
        }
        lowest = .max
        lowSince = now
    }

    private var largestGap: Double { max(expectedGap, gaps.lazy.map(\.seconds).max() ?? 0) }

    /// The frames a reader may take up to: not into a connection whose burst is still coming.
    /// Under the lock.
    private var readable: Int { held ?? written }

    /// Where a reader of a live source goes on air or resumes: the newest frame, less what the
    /// largest recent delivery gap and ``safety`` need, less what has aired since the last
    /// delivery. Under the lock.
    private var livePoint: Int {
        let sinceLast = lastPush.map { Self.now() - $0 } ?? 0
        let behind = max(0, largestGap + margins.safety - sinceLast)
        return max(0, written - Int(behind * Double(rate)))
    }

    /// The place of the slowest reader on air, or with none on air of the slowest waiting one: the
    /// one the source waits for, and where a new reader starts. Under the lock.
    private var slowest: Int? { slowestOnAir ?? readers.values.lazy.map(\.position).min() }

    /// The place of the slowest reader on air. Under the lock.
    private var slowestOnAir: Int? { readers.values.lazy.filter(\.onAir).map(\.position).min() }

    fileprivate func buffered(_ id: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return readers[id].map { max(0, readable - $0.position) } ?? 0
    }

    fileprivate func read(_ id: Int, into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        guard var place = readers[id] else { return 0 }
        if !place.onAir {
            if let slowestOnAir {
                place.position = slowestOnAir
            } else if live {
                // Where a reader not yet on air was is of no account: it starts at the live point.
                place.position = max(written - capacity, livePoint, furthestRead)
            }
            place.onAir = true
        }
        if live, place.behind, held == nil, written > place.position {
            place.position = max(place.position, livePoint)
            place.behind = false
        }
        let taken = min(frames, max(0, readable - place.position))
        if taken < frames { place.behind = true }
        for frame in 0..<taken {
            let slot = ((place.position + frame) % capacity) * channels
            for channel in 0..<channels { buffer[frame * channels + channel] = storage[slot + channel] }
        }
        place.position += taken
        furthestRead = max(furthestRead, place.position)
        readers[id] = place
        condition.signal()
        return taken
    }

    fileprivate func position(_ id: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return readers[id]?.position ?? 0
    }

    fileprivate func catchUp(_ id: Int) {
        condition.lock()
        readers[id]?.behind = true
        condition.unlock()
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

        /// The frame (counted from the source's first) it takes next.
        var position: Int { ring.position(id) }

        /// Back from an outage: with a live source, its next read starts at the live point, so
        /// what came during the outage does not air late.
        func catchUp() { ring.catchUp(id) }
    }
}
