import CALSA
import Foundation
import LoaMedia
import LoaModel
import LoaPlayout
import Synchronization

/// What a source's thread last knew of its source, for the player deciding on fallback. The one
/// place a failing source is sorted into a ``RelayFault``: down (``RelayFault/unavailable``:
/// refused, an HTTP error, dropped, ended, bytes that are not audio, a capture device gone) or
/// connected but bringing nothing (``RelayFault/stalled``: a server that holds the connection and
/// sends nothing, a playlist that stops growing). A silent source is the player's to hear.
final class SourceState: Sendable {
    private struct State {
        var fault: RelayFault?
        var problem: String?
    }
    private let state = Mutex(State())

    /// Failing since its last audio: not connected, dropped, or its device gone.
    var isDown: Bool { state.withLock { $0.fault == .unavailable } }
    var problem: String? { state.withLock { $0.problem } }

    func receiving() { state.withLock { $0.fault = nil } }
    func failed(_ problem: String) { set(.unavailable, problem) }
    func stalled(_ problem: String) { set(.stalled, problem) }

    /// A decoder's error, sorted: no data on an open connection is a stall, anything else down.
    func failed(_ error: MediaError) {
        if error.kind == .noData { stalled(error.detail) } else { failed(error.detail) }
    }

    private func set(_ fault: RelayFault, _ problem: String) {
        state.withLock {
            $0.fault = fault
            $0.problem = problem
        }
    }
}

/// A thread that fills a ring from a source until stopped, trying a failed source again with a
/// backoff: an HTTP(S) or HLS stream (through FFmpeg), a capture device (through ALSA), or a
/// fallback file played in a loop.
final class SourceThread: @unchecked Sendable {
    enum Kind {
        case stream(String)
        case capture(String)
        /// Files played in order, over and over; one that cannot be decoded is passed over, and
        /// the loop given up (silence instead) when none can.
        case loop([String])
    }

    let ring: SampleRing
    let state = SourceState()
    private let kind: Kind
    private let readTimeout: Double
    private let rate: Int
    private let stopped = Atomic(false)
    private let interrupt = MediaInterrupt()
    private let finished = DispatchSemaphore(value: 0)

    /// ``start()`` starts it, once its first reader is there to miss nothing.
    init(_ kind: Kind, rate: Int, channels: Int, bufferSeconds: Double, readTimeout: Double) {
        self.kind = kind
        self.rate = rate
        self.readTimeout = readTimeout
        ring = SampleRing(frames: Int(bufferSeconds * Double(rate)), channels: channels, rate: rate)
        if case .loop = kind { ring.setLive(false) }
    }

    /// A relay connects before its block goes on air.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "loa-relay-source"
        thread.start()
    }

    /// Stops the source and waits (briefly: every blocking call has a deadline) for its thread.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        interrupt.stop()
        ring.stop()
        _ = finished.wait(timeout: .now() + 5)
    }

    private var isStopped: Bool { stopped.load(ordering: .relaxed) }

    private func run() {
        var backoff = 0.5
        // An HLS stream's place in it outlives each connection, so nothing airs twice.
        let feed: HLSFeed? =
            if case .stream(let url) = kind, Self.isPlaylist(url) {
                HLSFeed(url: url, stallSeconds: readTimeout, readTimeout: readTimeout, interrupt: interrupt)
            } else { nil }
        while !isStopped {
            let producedAudio: Bool
            switch kind {
            case .stream(let url):
                // HLS never repeats (the feed knows each segment's place); a stream server may burst.
                ring.newConnection(bursts: feed == nil)
                guard let feed else {
                    producedAudio = decode(.stream(url, readTimeout: readTimeout), ended: "the stream ended").produced
                    break
                }
                let session = decode(.hls(feed), ended: nil)
                // A failure's reason stands; a session that came to its end either ended the
                // playlist or met a discontinuity, and the next segment starts a new decoder at once.
                if !session.failed {
                    guard feed.isFinished else { continue }
                    // An ended playlist is final (RFC 8216): nothing more will come.
                    state.failed("the playlist ended")
                    return
                }
                producedAudio = session.produced
            case .loop(let paths):
                var played = false
                for path in paths where !isStopped { played = decode(.file(path), ended: nil).produced || played }
                guard played else { return }
                continue
            case .capture(let device): producedAudio = capture(device)
            }
            if producedAudio { backoff = 0.5 }
            // Tried again after a wait that doubles to 8 s, in steps that notice a stop.
            let until = Date().addingTimeInterval(backoff)
            while !isStopped, Date() < until { Thread.sleep(forTimeInterval: 0.05) }
            backoff = min(backoff * 2, 8)
        }
    }

    /// A URL whose path ends in .m3u8 or .m3u is an HLS playlist.
    static func isPlaylist(_ url: String) -> Bool {
        let path = (URL(string: url)?.path ?? url).lowercased()
        return path.hasSuffix(".m3u8") || path.hasSuffix(".m3u")
    }

    /// Decodes the input into the ring until it ends or fails: whether any audio came, and
    /// whether it failed (rather than came to its end).
    private func decode(_ input: MediaInput, ended: String?) -> (produced: Bool, failed: Bool) {
        var produced = false
        do throws(MediaError) {
            let decoder = try MediaDecoder(input, rate: rate, channels: ring.channels, interrupt: interrupt)
            if case .hls(let feed) = input {
                ring.setLive(!feed.isEnded)
                ring.expectGaps(of: feed.segmentSeconds)
            }
            try decoder.decode(maximumFrames: .max) { (samples) throws(MediaError) in
                produced = true
                state.receiving()
                guard ring.push(samples) else { throw MediaError(kind: .unreadable, path: decoder.path, detail: "stopped") }
            }
            if let ended { state.failed(ended) }
        } catch {
            if !isStopped { state.failed(error) }
            return (produced, true)
        }
        return (produced, false)
    }

    /// Reads the capture device into the ring until it fails; whether any audio came. Overruns
    /// (the player fell behind, or the machine stalled) are recovered and reading goes on.
    private func capture(_ device: String) -> Bool {
        ALSA.silenceLibraryMessages
        var pcm: OpaquePointer?
        var code = snd_pcm_open(&pcm, device, SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK)
        guard code >= 0, let pcm else {
            state.failed("cannot open capture device '\(device)': \(String(cString: snd_strerror(code)))")
            return false
        }
        defer { snd_pcm_close(pcm) }
        code = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(ring.channels), UInt32(rate), 1, 100_000)
        guard code >= 0 else {
            state.failed("capture device '\(device)' will not take S16_LE \(ring.channels) ch \(rate) Hz: \(String(cString: snd_strerror(code)))")
            return false
        }
        snd_pcm_start(pcm)
        let period = 1024
        var buffer = [Int16](repeating: 0, count: period * ring.channels)
        var produced = false
        while !isStopped {
            let read = buffer.withUnsafeMutableBytes { snd_pcm_readi(pcm, $0.baseAddress, snd_pcm_uframes_t(period)) }
            if read == -Int(EAGAIN) {
                snd_pcm_wait(pcm, 100)
                continue
            }
            if read < 0 {
                // An overrun (-EPIPE) or a suspend is recovered; anything else ends this try.
                if snd_pcm_recover(pcm, Int32(read), 1) < 0 {
                    state.failed("capture device '\(device)': \(String(cString: snd_strerror(Int32(read))))")
                    return produced
                }
                snd_pcm_start(pcm)
                continue
            }
            produced = true
            state.receiving()
            let pushed = buffer.withUnsafeBufferPointer { ring.push(UnsafeBufferPointer(rebasing: $0[0..<(read * ring.channels)])) }
            if !pushed { break }
        }
        return produced
    }
}

/// The relay sources read in this process. Every channel relaying one at a time shares its
/// thread: one connection to the stream, one open of the capture device (a hw device opens only
/// once), and the same frames on every channel at the same moment.
final class SharedSources: Sendable {
    static let shared = SharedSources()

    private struct Key: Hashable {
        var input: RelayInput
        var readTimeout: Double
        var bufferSeconds: Double
    }

    private struct Running {
        var source: SourceThread
        var users: Int
        /// Counts releases, so a linger that ended is not taken for a later one.
        var releases = 0
    }
    private let running = Mutex<[Key: Running]>([:])

    /// How long a source no channel reads goes on: a relay cut by an emergency announcement, or
    /// a block that follows another of the same source, comes back at the source's current
    /// second instead of connecting again.
    static let linger = 30.0

    /// A reader of the stream or capture device, started now if no channel reads it yet.
    func use(_ input: RelayInput, rate: Int, channels: Int, bufferSeconds: Double, readTimeout: Double) -> SourceUse {
        let key = Key(input: input, readTimeout: readTimeout, bufferSeconds: bufferSeconds)
        let kind: SourceThread.Kind =
            switch input {
            case .url(let url): .stream(url)
            case .lineIn(let device): .capture(device)
            }
        let (source, reader, started) = running.withLock { running in
            if let shared = running[key] {
                running[key]?.users += 1
                return (shared.source, shared.source.ring.reader(), false)
            }
            let source = SourceThread(kind, rate: rate, channels: channels, bufferSeconds: bufferSeconds, readTimeout: readTimeout)
            running[key] = Running(source: source, users: 1)
            return (source, source.ring.reader(), true)
        }
        if started { source.start() }
        return SourceUse(source: source, reader: reader) { [self] in
            reader.close()
            let release = running.withLock { running -> Int? in
                guard var shared = running[key], shared.source === source else { return nil }
                shared.users -= 1
                shared.releases += 1
                running[key] = shared
                return shared.users == 0 ? shared.releases : nil
            }
            guard let release else { return }
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.linger) { [self] in
                let idle = running.withLock { running -> Bool in
                    guard let shared = running[key], shared.source === source, shared.users == 0, shared.releases == release else { return false }
                    running[key] = nil
                    return true
                }
                // Outside the lock: stopping waits for the thread.
                if idle { source.stop() }
            }
        }
    }
}

/// One channel's use of a shared source: its reader, the source's health, and a close that
/// stops the source when no other channel reads it.
final class SourceUse: @unchecked Sendable {
    let reader: SampleRing.Reader
    private let source: SourceThread
    private let release: () -> Void
    private let closed = Atomic(false)

    fileprivate init(source: SourceThread, reader: SampleRing.Reader, release: @escaping () -> Void) {
        self.source = source
        self.reader = reader
        self.release = release
    }

    var state: SourceState { source.state }

    func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        release()
    }
}

