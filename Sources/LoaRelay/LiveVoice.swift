import Foundation
import LoaPlayout
import Synchronization

/// A live broadcast (nói trực tiếp) in the daemon: the speaker's frames, as they arrive, in one
/// ring every channel airing it reads, so all hamlets hear the same word at the same moment.
/// Each frame's capture time is kept beside it, so the delay to the device is read, not guessed.
public final class LiveBroadcast: @unchecked Sendable {
    /// Why it left the air.
    public enum Ending: Sendable, Equatable {
        /// The speaker pressed end.
        case ended
        /// The connection dropped, or nothing came for ``silenceLimit``.
        case dropped(String)
        /// It reached ``timeLimit``.
        case timeLimit
    }

    /// Nothing from the speaker for this long ends it: a phone that locked its screen or lost its
    /// Wi-Fi never leaves the loudspeakers open on silence.
    public static let silenceLimit = 3.0
    /// No live broadcast runs longer.
    public static let timeLimit = 30.0 * 60

    public let id: String
    let ring: SampleRing

    private struct State {
        var ending: Ending?
        var pushed = 0
        /// The first frame of each recent message, and when its first sample was captured (ms).
        var marks: [(frame: Int, captured: Double)] = []
        var onAir: Set<String> = []
        var delays: [Double] = []
    }
    private let state = Mutex(State())

    public init(id: String) {
        self.id = id
        ring = SampleRing(
            frames: 10 * PreparedRelay.format.rate, channels: PreparedRelay.format.channels, rate: PreparedRelay.format.rate,
            margins: .voice)
    }

    /// Adds a message's mono samples, captured at `captured` (ms since the epoch, sender's clock).
    public func push(_ mono: [Int16], captured: Double) {
        let channels = ring.channels
        var frames = [Int16](repeating: 0, count: mono.count * channels)
        for (index, sample) in mono.enumerated() {
            for channel in 0..<channels { frames[index * channels + channel] = sample }
        }
        state.withLock { state in
            state.marks.append((state.pushed, captured))
            if state.marks.count > 1024 { state.marks.removeFirst(512) }
            state.pushed += mono.count
        }
        _ = frames.withUnsafeBufferPointer { ring.push($0) }
    }

    /// Ends it: every channel airs what it holds, fades out and goes back to its plan.
    public func end(_ ending: Ending) {
        state.withLock { state in
            if state.ending == nil { state.ending = ending }
        }
    }

    public var ending: Ending? { state.withLock { $0.ending } }

    /// Channels airing it now.
    public var onAir: Set<String> { state.withLock { $0.onAir } }

    func went(onAir channel: String, _ isOnAir: Bool) {
        state.withLock { state in
            if isOnAir { state.onAir.insert(channel) } else { state.onAir.remove(channel) }
        }
    }

    /// When the frame `frame` was captured (ms, sender's clock).
    func captured(atFrame frame: Int) -> Double? {
        state.withLock { state in
            guard let mark = state.marks.last(where: { $0.frame <= frame }) else { return nil }
            return mark.captured + Double(frame - mark.frame) * 1000 / Double(ring.rate)
        }
    }

    func noteDelay(_ milliseconds: Double) { state.withLock { $0.delays.append(milliseconds) } }

    /// The delay from capture to the device over the frames aired, ms: median and 95th percentile.
    public var delay: (p50: Double, p95: Double)? {
        let delays = state.withLock { $0.delays }.sorted()
        guard !delays.isEmpty else { return nil }
        func at(_ fraction: Double) -> Double { delays[min(delays.count - 1, Int(Double(delays.count) * fraction))] }
        return (at(0.5), at(0.95))
    }
}

/// What one channel aired of a live broadcast.
public struct LiveReport: Sendable {
    public var seconds: Double
    /// Nil when the daemon cut it (shutdown).
    public var ending: LiveBroadcast.Ending?
    public var recoveries: Int
}

/// One channel's play of a live broadcast: its device opened, reading the broadcast's ring from
/// the live point with a fade in, writing at most ``paceLead`` ahead of the air, until the
/// broadcast ends and what the channel holds of it has aired; then a fade out.
public final class PreparedLive {
    public let output: any AudioOutput
    private let broadcast: LiveBroadcast
    private let reader: SampleRing.Reader
    private let channel: String
    private let gainDB: Double

    /// Small chunks and a short lead keep the voice a tenth of a second from the air.
    static let chunk = 256
    static let paceLead: Duration = .milliseconds(40)
    static let fadeIn = 0.02
    static let fadeOut = 0.5

    public init(
        _ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double, opener: any AudioOutputOpener = ALSAOutputOpener()
    ) throws(PlayoutError) {
        do {
            output = try opener.open(device: device, format: PreparedRelay.format)
        } catch {
            throw .device(error)
        }
        self.broadcast = broadcast
        self.channel = channel
        self.gainDB = gainDB
        reader = broadcast.ring.reader()
    }

    public func close() { reader.close() }

    /// Plays until the broadcast ends (or `control` asks to stop, with a fade).
    public func play(control: PlaybackControl) throws(PlayoutError) -> LiveReport {
        let format = PreparedRelay.format, rate = format.rate, channels = format.channels
        var buffer = [Int16](repeating: 0, count: Self.chunk * channels)
        let gain = pow(10, gainDB / 20)
        let rise = GainStage.Fade(start: 0, length: Int(Self.fadeIn * Double(rate)), rising: true)
        var fall: GainStage.Fade?
        var written = 0, total = Int.max
        var ending: LiveBroadcast.Ending?
        let pace = RealTimePace(rate: rate, lead: Self.paceLead)
        let started = Date().timeIntervalSince1970 * 1000
        broadcast.went(onAir: channel, true)
        defer { broadcast.went(onAir: channel, false) }
        while written < total {
            if fall == nil {
                if control.isStopRequested {
                    fall = GainStage.Fade(start: written, length: Int(Self.fadeOut * Double(rate)))
                } else if let ended = broadcast.ending, reader.buffered == 0 {
                    ending = ended
                    fall = GainStage.Fade(start: written, length: Int(Self.fadeOut * Double(rate)))
                }
                if let fall { total = fall.start + fall.length }
            }
            let frames = min(Self.chunk, total - written)
            let got = buffer.withUnsafeMutableBufferPointer { out in
                let got = reader.read(into: out, frames: frames)
                for index in (got * channels)..<(frames * channels) { out[index] = 0 }
                let fade = fall ?? (written < rise.length ? rise : nil)
                GainStage.apply(
                    gain: gain, fade: fade, firstFrame: written, to: UnsafeMutableBufferPointer(rebasing: out[0..<(frames * channels)]),
                    channels: channels)
                return got
            }
            // The first frame taken airs `written` frames after the start, on the pace's clock.
            if got > 0, let captured = broadcast.captured(atFrame: reader.position - got) {
                broadcast.noteDelay(started + Double(written) * 1000 / Double(rate) - captured)
            }
            let wrote = buffer.withUnsafeBytes { bytes in
                Result { () throws(ALSAError) in
                    try output.write(UnsafeRawBufferPointer(rebasing: bytes[0..<(frames * channels * 2)]), frames: frames)
                }
            }
            do { try wrote.get() } catch { throw .device(error) }
            written += frames
            pace.wait(afterFrames: written)
        }
        do { try output.drain() } catch { throw .device(error) }
        return LiveReport(seconds: Double(written) / Double(rate), ending: ending, recoveries: output.recoveries)
    }
}
