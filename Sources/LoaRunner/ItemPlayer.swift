import Foundation
import LoaPlayout
import LoaSystem

/// Plays one item of the plan. The daemon's plays to ALSA; the simulation's only lets time pass.
public protocol ItemPlayer: Sendable {
    /// Opens the audio and the device ahead of the start, so the first sample leaves on time.
    /// `sourcePeak` is the file's peak as probed (0...1), when known.
    func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(PlayoutError)
        -> any PreparedItem
}

public protocol PreparedItem: Sendable {
    /// Plays to the end, or until `control` asks to stop (then fades out).
    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem

    /// Arrives on `start` exactly on `clock`, then plays.
    func play(from start: Date, on clock: any RunnerClock, control: PlaybackControl) async throws(PlayoutError) -> PlayedItem
}

extension PreparedItem {
    public func play(from start: Date, on clock: any RunnerClock, control: PlaybackControl) async throws(PlayoutError)
        -> PlayedItem
    {
        clock.arrive(at: start)
        return try await play(control: control)
    }
}

/// How a play went.
public struct PlayedItem: Sendable, Equatable {
    public var seconds: Double
    /// Played to the end, not cut off.
    public var completed: Bool
    /// The device got only digital silence although the audio has sound.
    public var silent: Bool

    public init(seconds: Double, completed: Bool, silent: Bool = false) {
        self.seconds = seconds
        self.completed = completed
        self.silent = silent
    }
}

/// Plays through libasound2 on a thread of its own, paced to real time.
public struct ALSAItemPlayer: ItemPlayer {
    public var opener: any AudioOutputOpener
    public var loudnessTarget: Double?
    public var loudness: LoudnessCache?

    public init(opener: any AudioOutputOpener = ALSAOutputOpener(), loudnessTarget: Double? = nil, loudness: LoudnessCache? = nil) {
        self.opener = opener
        self.loudnessTarget = loudnessTarget
        self.loudness = loudness
    }

    public func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(PlayoutError)
        -> any PreparedItem
    {
        var measurement: LoudnessMeasurement?
        if loudnessTarget != nil, let loudness {
            do { measurement = try loudness.measurement(for: audio) } catch { throw .audio(error) }
        }
        let options = PlayoutOptions(gainDB: gainDB, loudnessTarget: loudnessTarget, paceLead: .milliseconds(200))
        let playback = try PreparedPlayback(url: audio, device: device, options: options, loudness: measurement, opener: opener)
        return ALSAPreparedItem(playback: playback, sourcePeak: sourcePeak ?? measurement?.samplePeak)
    }
}

/// A prepared playback handed to one thread; nothing else touches it meanwhile.
struct ALSAPreparedItem: PreparedItem, @unchecked Sendable {
    let playback: PreparedPlayback
    let sourcePeak: Double?

    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        try await play(from: nil, on: nil, control: control)
    }

    /// The playing thread is started first and arrives on the second itself, so nothing lies
    /// between the second and the first sample but the write (no thread to start, no task to hop).
    func play(from start: Date, on clock: any RunnerClock, control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        try await play(from: start, on: Optional(clock), control: control)
    }

    private func play(from start: Date?, on clock: (any RunnerClock)?, control: PlaybackControl) async throws(PlayoutError)
        -> PlayedItem
    {
        let result = await onOwnThread(named: "loa-play") {
            if let start, let clock { clock.arrive(at: start) }
            return Result { () throws(PlayoutError) in try self.playback.play(control: control) }
        }
        let report = try result.get()
        return PlayedItem(seconds: report.secondsPlayed, completed: report.completed, silent: report.silent(sourcePeak: sourcePeak))
    }
}

/// For `loa run --simulate`: plays nothing, and lets the item's duration pass on the clock.
public struct SimulatedItemPlayer: ItemPlayer {
    let clock: any RunnerClock

    public init(clock: any RunnerClock) { self.clock = clock }

    public func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(PlayoutError)
        -> any PreparedItem
    {
        SimulatedItem(clock: clock, duration: duration)
    }
}

struct SimulatedItem: PreparedItem {
    let clock: any RunnerClock
    let duration: Double

    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        try? await clock.sleep(for: .seconds(duration))
        return PlayedItem(seconds: duration, completed: true)
    }
}
