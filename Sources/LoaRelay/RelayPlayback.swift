import Foundation
import LoaModel
import LoaPlayout

/// How a relay is played and when its source counts as failed.
public struct RelayOptions: Sendable {
    public var gainDB: Double
    /// No audio for this long is a stall (a source known to be down falls back at once).
    public var stallSeconds: Double
    /// Quieter than this (dBFS, RMS over each second) for `silenceSeconds` is a silent source.
    public var silenceDB: Double
    public var silenceSeconds: Double
    /// The block ends on its second with a fade this long, and a cut fades as long.
    public var fadeOut: Duration
    /// Never run further ahead of real time than this (see ``PlayoutOptions/paceLead``).
    public var paceLead: Duration?
    /// Audio held between the source and the device: how far a recorded source may run ahead;
    /// more than a live one delivers before its block (a relay prepared 10 s ahead, a server's
    /// burst), so it never holds one up (a live source airs near its newest frame).
    public var bufferSeconds: Double

    public init(
        gainDB: Double = 0, stallSeconds: Double = 5, silenceDB: Double = -28, silenceSeconds: Double = 10,
        fadeOut: Duration = .milliseconds(500), paceLead: Duration? = .milliseconds(200), bufferSeconds: Double = 30
    ) {
        self.gainDB = gainDB
        self.stallSeconds = stallSeconds
        self.silenceDB = silenceDB
        self.silenceSeconds = silenceSeconds
        self.fadeOut = fadeOut
        self.paceLead = paceLead
        self.bufferSeconds = bufferSeconds
    }
}

extension RelayOptions {
    /// A station's relay source, played at a channel's gain.
    public init(_ source: RelaySource, gainDB: Double = 0) {
        self.init(
            gainDB: gainDB, stallSeconds: Double(source.stallSeconds), silenceDB: source.silenceDB,
            silenceSeconds: Double(source.silenceSeconds))
    }
}

/// Why a relay's source was off the air for a while (``SourceState`` sorts a failing source).
public enum RelayFault: String, Sendable, Equatable {
    /// Not there: refused, an HTTP error, dropped, ended, bytes that are not audio, a capture
    /// device gone; and not back.
    case unavailable
    /// Connected, but no new audio came for the stall time: a server holding the connection and
    /// sending nothing, a playlist that stopped growing.
    case stalled
    /// Audio came, but below the silence threshold for the silence time.
    case silent
}

/// A stretch of a relay block in which the fallback aired instead of the source.
public struct RelayOutage: Sendable, Equatable {
    public var startFrame: Int
    public var frames: Int
    public var fault: RelayFault
    public var detail: String
}

/// What happened in a relay block.
public struct RelayReport: Sendable {
    public var rate: Int
    public var framesPlayed: Int
    /// Frames of the source itself that went to the device.
    public var relayedFrames: Int
    /// False when cut off (shutdown, an emergency, a withdrawn plan) with a fade.
    public var completed: Bool
    public var outages: [RelayOutage]
    public var recoveries: Int

    public var secondsPlayed: Double { Double(framesPlayed) / Double(rate) }
    public var secondsRelayed: Double { Double(relayedFrames) / Double(rate) }
}

/// A relay block ready to go on air: its device opened, its source connecting and filling a
/// buffer, its fallback file decoding. ``play(frames:control:)`` then writes exactly the frames
/// asked for (the block ends on its second, with a fade), from the source while it gives sound
/// and from the fallback (looped; silence without one) while it is down, stalled or silent,
/// going back to the source when it returns. Each outage is reported with its reason.
public final class PreparedRelay {
    public static let format = PCMFormat(sample: .s16, channels: 2, rate: 48_000)
    public let output: any AudioOutput
    private let source: SourceUse
    private let fallback: (thread: SourceThread, reader: SampleRing.Reader)?
    private let options: RelayOptions

    public init(
        _ input: RelayInput, fallback: [URL], device: String, options: RelayOptions,
        opener: any AudioOutputOpener = ALSAOutputOpener()
    ) throws(PlayoutError) {
        let format = Self.format
        do {
            output = try opener.open(device: device, format: format)
        } catch {
            throw .device(error)
        }
        self.options = options
        source = SharedSources.shared.use(
            input, rate: format.rate, channels: format.channels, bufferSeconds: options.bufferSeconds, readTimeout: options.stallSeconds)
        if fallback.isEmpty {
            self.fallback = nil
        } else {
            // Each channel's own: a fallback file is local, and played from its start.
            let thread = SourceThread(.loop(fallback.map(\.path)), rate: format.rate, channels: format.channels, bufferSeconds: 2, readTimeout: 30)
            self.fallback = (thread, thread.ring.reader())
            thread.start()
        }
    }

    deinit { close() }

    /// Stops the source and the fallback.
    public func close() {
        source.close()
        fallback?.thread.stop()
    }

    /// Plays `frames` frames (the block's length from now), or until `control` asks to stop.
    public func play(frames requested: Int, control: PlaybackControl) throws(PlayoutError) -> RelayReport {
        let rate = Self.format.rate, channels = Self.format.channels
        let chunk = 1024
        var buffer = [Int16](repeating: 0, count: chunk * channels)
        var watch = [Int16](repeating: 0, count: chunk * channels)
        let gain = pow(10, options.gainDB / 20)
        let fadeFrames = max(1, Int(Double(rate) * (options.fadeOut / .seconds(1))))
        var total = max(0, requested)
        var fade = GainStage.Fade(start: max(0, total - fadeFrames), length: min(fadeFrames, max(total, 1)))
        var cut = false
        var meter = LevelMeter(rate: rate, channels: channels, thresholdDB: options.silenceDB)
        let stallFrames = Int(options.stallSeconds * Double(rate)), silenceFrames = Int(options.silenceSeconds * Double(rate))
        // A source known to be down falls back after half a second of nothing, not the stall time.
        let downFrames = min(stallFrames, rate / 2)
        var written = 0, relayed = 0, empty = 0
        var outages: [RelayOutage] = []
        var outage: RelayOutage?
        let pace = RealTimePace(rate: rate, lead: options.paceLead)
        /// Ends the outage on air at the frames written so far.
        func endOutage() {
            guard var ended = outage else { return }
            ended.frames = written - ended.startFrame
            outages.append(ended)
            outage = nil
        }

        while written < total {
            if !cut, control.isStopRequested {
                cut = true
                total = min(total, written + fadeFrames)
                fade = GainStage.Fade(start: written, length: total - written)
            }
            let frames = min(chunk, total - written)
            var resumes = false
            buffer.withUnsafeMutableBufferPointer { out in
                if var current = outage {
                    let got = fallback.map { $0.reader.read(into: out, frames: frames) } ?? 0
                    for index in (got * channels)..<(frames * channels) { out[index] = 0 }
                    switch current.fault {
                    case .unavailable, .stalled:
                        resumes = source.reader.buffered >= rate
                    case .silent:
                        // The source is heard (not aired) until a second of it has sound again.
                        let heard = watch.withUnsafeMutableBufferPointer { source.reader.read(into: $0, frames: frames) }
                        if heard == 0 {
                            if source.state.isDown {
                                current.fault = .unavailable
                                current.detail = source.state.problem ?? current.detail
                                outage = current
                            }
                        } else {
                            resumes = watch.withUnsafeBufferPointer { meter.add($0, frames: heard) == .loud }
                        }
                    }
                } else {
                    let got = source.reader.read(into: out, frames: frames)
                    for index in (got * channels)..<(frames * channels) { out[index] = 0 }
                    empty = got > 0 ? frames - got : empty + frames
                    relayed += got
                    if got > 0, meter.add(UnsafeBufferPointer(out), frames: got) == .quiet, meter.quietFrames >= silenceFrames {
                        let quiet = min(meter.quietFrames + meter.pendingFrames, relayed)
                        relayed -= quiet
                        outage = RelayOutage(
                            startFrame: written + frames - quiet, frames: 0, fault: .silent,
                            detail: "the source was below \(Self.decibels(options.silenceDB)) dBFS for \(Self.decibels(options.silenceSeconds)) s")
                    } else if empty >= downFrames, source.state.isDown {
                        outage = RelayOutage(
                            startFrame: written + frames - empty, frames: 0, fault: .unavailable,
                            detail: source.state.problem ?? "the source is not connected")
                    } else if empty >= stallFrames {
                        outage = RelayOutage(
                            startFrame: written + frames - empty, frames: 0, fault: .stalled,
                            detail: ["no audio from the source for \(Self.decibels(options.stallSeconds)) s", source.state.problem]
                                .compactMap { $0 }.joined(separator: ": "))
                    }
                    if outage != nil {
                        meter.reset()
                        empty = 0
                    }
                }
                GainStage.apply(
                    gain: gain, fade: written + frames > fade.start ? fade : nil, firstFrame: written,
                    to: UnsafeMutableBufferPointer(rebasing: out[0..<(frames * channels)]), channels: channels)
            }
            let wrote = buffer.withUnsafeBytes { bytes in
                Result { () throws(ALSAError) in
                    try output.write(UnsafeRawBufferPointer(rebasing: bytes[0..<(frames * channels * 2)]), frames: frames)
                }
            }
            do { try wrote.get() } catch { throw .device(error) }
            written += frames
            if resumes {
                endOutage()
                meter.reset()
                source.reader.catchUp()
            }
            pace.wait(afterFrames: written)
        }
        endOutage()
        do {
            try output.drain()
        } catch {
            throw .device(error)
        }
        return RelayReport(
            rate: rate, framesPlayed: written, relayedFrames: relayed, completed: !cut, outages: outages, recoveries: output.recoveries)
    }

    /// "-28", "2.5": a figure for the log's words.
    static func decibels(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}

/// The source's level over whole seconds: how long it has been quiet, and whether the last
/// second was loud.
struct LevelMeter {
    enum Reading { case quiet, loud, pending }

    let window: Int
    let channels: Int
    /// The RMS threshold as a sum of squares over a window of full-scale 16-bit samples.
    let thresholdSquares: Double
    private(set) var quietFrames = 0
    private var squares = 0.0
    private var frames = 0

    /// Frames added since the last whole second.
    var pendingFrames: Int { frames }

    init(rate: Int, channels: Int, thresholdDB: Double) {
        window = rate
        self.channels = channels
        let amplitude = pow(10, thresholdDB / 20) * 32768
        thresholdSquares = amplitude * amplitude * Double(rate * channels)
    }

    /// Adds frames; the reading of the second they complete, if they complete one.
    mutating func add(_ samples: UnsafeBufferPointer<Int16>, frames count: Int) -> Reading {
        var reading = Reading.pending
        for frame in 0..<count {
            for channel in 0..<channels {
                let value = Double(samples[frame * channels + channel])
                squares += value * value
            }
            frames += 1
            if frames == window {
                if squares < thresholdSquares {
                    quietFrames += window
                    reading = .quiet
                } else {
                    quietFrames = 0
                    reading = .loud
                }
                squares = 0
                frames = 0
            }
        }
        return reading
    }

    mutating func reset() {
        quietFrames = 0
        squares = 0
        frames = 0
    }
}
