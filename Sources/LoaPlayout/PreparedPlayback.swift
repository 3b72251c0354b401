import Foundation
import LoaAudio
import Synchronization

/// How a file is played.
public struct PlayoutOptions: Sendable {
    /// The channel's gain (its line level), in dB.
    public var gainDB: Double
    /// When set, the file is brought to this integrated loudness (LUFS) using `loudness`.
    public var loudnessTarget: Double?
    /// Length of the fade when a broadcast is cut off, instead of a click.
    public var fadeOut: Duration
    public var chunkFrames: Int
    /// When set, never run further ahead of real time than this: a device that does not pace by
    /// itself (ALSA `null` or `file`, in tests and demos) then airs in real time too. A real
    /// sound card blocks long before, so this never slows it.
    public var paceLead: Duration?

    public init(
        gainDB: Double = 0, loudnessTarget: Double? = nil, fadeOut: Duration = .milliseconds(500),
        chunkFrames: Int = 4096, paceLead: Duration? = nil
    ) {
        self.gainDB = gainDB
        self.loudnessTarget = loudnessTarget
        self.fadeOut = fadeOut
        self.chunkFrames = chunkFrames
        self.paceLead = paceLead
    }

    public static let stationLoudness = -16.0
}

/// Keeps a writer from running more than `lead` ahead of real time, for devices that do not pace
/// by themselves (see ``PlayoutOptions/paceLead``); with no lead it never waits.
public struct RealTimePace {
    private let started = ContinuousClock.now
    private let rate: Int
    private let lead: Duration?

    public init(rate: Int, lead: Duration?) {
        self.rate = rate
        self.lead = lead
    }

    /// Sleeps until `frames` frames from the start are no more than the lead ahead.
    public func wait(afterFrames frames: Int) {
        guard let lead else { return }
        let ahead = started + .seconds(Double(frames) / Double(rate)) - lead - ContinuousClock.now
        if ahead > .zero { Thread.sleep(forTimeInterval: ahead / .seconds(1)) }
    }
}

/// Lets another thread cut a broadcast off (shutdown, pre-emption): the player fades out at its
/// next chunk and stops.
public final class PlaybackControl: Sendable {
    private let stop = Atomic(false)

    public init() {}

    public func requestStop() { stop.store(true, ordering: .relaxed) }
    public var isStopRequested: Bool { stop.load(ordering: .relaxed) }
}

/// Why a playback failed: the file or the device, each with its own detail.
public enum PlayoutError: Error, CustomStringConvertible {
    case audio(AudioFileError)
    case device(ALSAError)

    public var description: String {
        switch self {
        case .audio(let error): error.description
        case .device(let error): error.description
        }
    }
}

/// What happened when a file was played.
public struct PlaybackReport: Sendable {
    public var framesPlayed: Int
    /// False when it was cut off with a fade.
    public var completed: Bool
    /// Where the fade began, when it was cut off.
    public var fadeStartFrame: Int?
    public var recoveries: Int
    public var negotiated: NegotiatedFormat
    /// The linear gain applied (channel gain times normalisation).
    public var gain: Double

    /// Whether any sample decoded from the file, and any sample written to the device, was not zero.
    public var decodedSound: Bool
    public var outputSound: Bool

    public var secondsPlayed: Double { Double(framesPlayed) / Double(negotiated.format.rate) }

    /// The device got only digital silence although the audio has sound: by the samples decoded
    /// here, or by `sourcePeak` (0...1), as probing measured it on libsndfile's float path, which
    /// catches a decode that turns sound into zeros on the way to the device.
    public func silent(sourcePeak: Double?) -> Bool {
        !outputSound && (decodedSound || (sourcePeak ?? 0) > 2.0 / 32768)
    }
}

/// A file opened, its device opened and its first chunk decoded: ready to start on the instant.
/// The runner prepares ahead of a session's start so the first sample leaves without delay.
public final class PreparedPlayback {
    public let format: AudioFormat
    public let output: any AudioOutput
    private let file: AudioFile
    private let options: PlayoutOptions
    private let gain: Double
    private let chunk: ChunkBuffer
    private var pendingFrames: Int

    public init(
        url: URL, device: String, options: PlayoutOptions = PlayoutOptions(),
        loudness: LoudnessMeasurement? = nil, opener: any AudioOutputOpener = ALSAOutputOpener()
    ) throws(PlayoutError) {
        do {
            file = try AudioFile(url: url)
        } catch {
            throw .audio(error)
        }
        format = file.format
        self.options = options
        var gain = pow(10, options.gainDB / 20)
        if let target = options.loudnessTarget, let loudness {
            gain *= loudness.normalizingGain(toward: target)
        }
        self.gain = gain
        let pcm = PCMFormat(sample: format.isHighResolution ? .s32 : .s16, channels: format.channels, rate: format.sampleRate)
        do {
            output = try opener.open(device: device, format: pcm)
        } catch {
            throw .device(error)
        }
        chunk = ChunkBuffer(sample: pcm.sample, frames: options.chunkFrames, channels: format.channels)
        pendingFrames = 0
        pendingFrames = try decode()
    }

    /// Plays to the end, or until `control` asks to stop (then fades out over `fadeOut`). Calls
    /// `progress` with the frames played so far after each chunk.
    public func play(control: PlaybackControl = PlaybackControl(), progress: ((Int) -> Void)? = nil)
        throws(PlayoutError) -> PlaybackReport
    {
        let channels = format.channels
        let fadeFrames = max(1, Int((Double(format.sampleRate) * (options.fadeOut / .seconds(1))).rounded()))
        var played = 0
        var decodedSound = false, outputSound = false
        var fade: GainStage.Fade?
        let pace = RealTimePace(rate: format.sampleRate, lead: options.paceLead)
        while pendingFrames > 0 {
            if fade == nil, control.isStopRequested { fade = GainStage.Fade(start: played, length: fadeFrames) }
            var frames = pendingFrames
            if let fade { frames = min(frames, fade.start + fade.length - played) }
            if !decodedSound { decodedSound = chunk.hasSound(frames: frames, channels: channels) }
            chunk.apply(gain: gain, fade: fade, firstFrame: played, frames: frames, channels: channels)
            if !outputSound { outputSound = chunk.hasSound(frames: frames, channels: channels) }
            do {
                try chunk.withBytes(frames: frames, channels: channels) { bytes throws(ALSAError) in
                    try output.write(bytes, frames: frames)
                }
            } catch {
                throw .device(error)
            }
            played += frames
            progress?(played)
            pace.wait(afterFrames: played)
            if let fade, played >= fade.start + fade.length { break }
            pendingFrames = try decode()
        }
        do {
            try output.drain()
        } catch {
            throw .device(error)
        }
        return PlaybackReport(
            framesPlayed: played, completed: fade == nil, fadeStartFrame: fade?.start,
            recoveries: output.recoveries, negotiated: output.negotiated, gain: gain, decodedSound: decodedSound,
            outputSound: outputSound)
    }

    private func decode() throws(PlayoutError) -> Int {
        do {
            return try chunk.fill(from: file)
        } catch {
            throw .audio(error)
        }
    }
}
