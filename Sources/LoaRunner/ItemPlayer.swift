import Foundation
import LoaLog
import LoaModel
import LoaPlayout
import LoaRelay
import LoaSystem

/// Plays one item of the plan. The daemon's plays to ALSA; the simulation's only lets time pass.
public protocol ItemPlayer: Sendable {
    /// Opens the audio and the device ahead of the start, so the first sample leaves on time.
    /// `sourcePeak` is the file's peak as probed (0...1), when known.
    func prepare(audio: URL, device: String, gainDB: Double, duration: Double, sourcePeak: Double?) throws(PlayoutError)
        -> any PreparedItem

    /// Opens the device and starts connecting the relay's source ahead of its block, which then
    /// plays until `end` on the runner's clock (whenever it starts) with the source's fallback
    /// while it fails.
    func prepareRelay(_ source: RelaySource, device: String, gainDB: Double, until end: Date)
        throws(PlayoutError) -> any PreparedItem

    /// Opens the device for one channel's part in a live broadcast, which then plays until the
    /// broadcast ends.
    func prepareLive(_ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double) throws(PlayoutError)
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
    /// For a relay block: how much of it was the source, and each outage.
    public var relay: RelayPlay?
    /// For a live broadcast: why it left the air (nil: the daemon cut it).
    public var live: LiveBroadcast.Ending?

    public init(seconds: Double, completed: Bool, silent: Bool = false, relay: RelayPlay? = nil, live: LiveBroadcast.Ending? = nil) {
        self.seconds = seconds
        self.completed = completed
        self.silent = silent
        self.relay = relay
        self.live = live
    }
}

/// What a relay block aired: its source for `relayedSeconds`, and the fallback in each outage.
public struct RelayPlay: Sendable, Equatable {
    public struct Outage: Sendable, Equatable {
        /// Seconds from the block's start.
        public var offset: Double
        public var seconds: Double
        public var reason: ReasonCode
        public var detail: String

        public init(offset: Double, seconds: Double, reason: ReasonCode, detail: String) {
            self.offset = offset
            self.seconds = seconds
            self.reason = reason
            self.detail = detail
        }
    }

    public var relayedSeconds: Double
    public var outages: [Outage]

    public init(relayedSeconds: Double, outages: [Outage] = []) {
        self.relayedSeconds = relayedSeconds
        self.outages = outages
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

    public func prepareRelay(_ source: RelaySource, device: String, gainDB: Double, until end: Date)
        throws(PlayoutError) -> any PreparedItem
    {
        let relay = try PreparedRelay(
            source.input, fallback: source.fallback.map(\.url), device: device, options: RelayOptions(source, gainDB: gainDB), opener: opener)
        return ALSARelayItem(relay: relay, end: end)
    }

    public func prepareLive(_ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double) throws(PlayoutError)
        -> any PreparedItem
    {
        ALSALiveItem(live: try PreparedLive(broadcast, channel: channel, device: device, gainDB: gainDB, opener: opener))
    }
}

/// A channel's part in a live broadcast, handed to one thread.
struct ALSALiveItem: PreparedItem, @unchecked Sendable {
    let live: PreparedLive

    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        let result = await onOwnThread(named: "loa-live") {
            defer { live.close() }
            return Result { () throws(PlayoutError) in try live.play(control: control) }
        }
        let report = try result.get()
        return PlayedItem(seconds: report.seconds, completed: report.ending != nil, live: report.ending)
    }
}

/// A relay block handed to one thread, as ``ALSAPreparedItem`` is.
struct ALSARelayItem: PreparedItem, @unchecked Sendable {
    let relay: PreparedRelay
    let end: Date

    /// At once, to the block's end on the system clock.
    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        try await play(from: Date(), on: SystemClock(), control: control)
    }

    /// Arrives on the block's second, then plays to its end on `clock`: a block joined late
    /// (after a restart) plays what is left of it.
    func play(from start: Date, on clock: any RunnerClock, control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        let result = await onOwnThread(named: "loa-relay") {
            clock.arrive(at: start)
            // From the second it arrived on (`start`: the block's, or now when joined late) to the end's.
            let frames = Int((max(0, end.timeIntervalSince(start)) * Double(PreparedRelay.format.rate)).rounded())
            defer { relay.close() }
            return Result { () throws(PlayoutError) in try relay.play(frames: frames, control: control) }
        }
        let report = try result.get()
        let rate = Double(report.rate)
        let outages = report.outages.map { outage in
            RelayPlay.Outage(
                offset: Double(outage.startFrame) / rate, seconds: Double(outage.frames) / rate, reason: outage.fault.reasonCode,
                detail: outage.detail)
        }
        return PlayedItem(
            seconds: report.secondsPlayed, completed: report.completed,
            relay: RelayPlay(relayedSeconds: report.secondsRelayed, outages: outages))
    }
}

extension RelayFault {
    var reasonCode: ReasonCode {
        switch self {
        case .unavailable: .sourceUnavailable
        case .stalled: .sourceStalled
        case .silent: .sourceSilent
        }
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
        SimulatedItem(clock: clock, length: .seconds(duration))
    }

    /// Plays nothing until the speaker ends.
    public func prepareLive(_ broadcast: LiveBroadcast, channel: String, device: String, gainDB: Double) throws(PlayoutError)
        -> any PreparedItem
    {
        SimulatedItem(clock: clock, length: .live(broadcast))
    }

    /// The simulated source never fails: the whole block is relayed.
    public func prepareRelay(_ source: RelaySource, device: String, gainDB: Double, until end: Date)
        throws(PlayoutError) -> any PreparedItem
    {
        SimulatedItem(clock: clock, length: .relayUntil(end))
    }
}

struct SimulatedItem: PreparedItem {
    enum Length {
        case seconds(Double)
        /// A relay plays from whenever it starts (on its second, or joined late) to its block's end.
        case relayUntil(Date)
        /// A live broadcast plays until it ends.
        case live(LiveBroadcast)
    }

    let clock: any RunnerClock
    let length: Length

    func play(control: PlaybackControl) async throws(PlayoutError) -> PlayedItem {
        let seconds: Double, relay: Bool
        switch length {
        case .seconds(let duration): (seconds, relay) = (duration, false)
        case .relayUntil(let end): (seconds, relay) = (max(0, end.timeIntervalSince(clock.now())), true)
        case .live(let broadcast):
            let start = clock.now()
            while broadcast.ending == nil, !Task.isCancelled { try? await clock.sleep(for: .milliseconds(100)) }
            return PlayedItem(seconds: clock.now().timeIntervalSince(start), completed: broadcast.ending != nil, live: broadcast.ending)
        }
        try? await clock.sleep(for: .seconds(seconds))
        return PlayedItem(seconds: seconds, completed: true, relay: relay ? RelayPlay(relayedSeconds: seconds) : nil)
    }
}
