import CALSA
import Foundation
import LoaMedia
import LoaModel
import LoaPlayout
import Synchronization

/// What a source's thread last knew of its source, for the player deciding on fallback.
final class SourceState: Sendable {
    private struct State {
        var down = false
        var problem: String?
    }
    private let state = Mutex(State())

    /// Failing since its last audio: not connected, dropped, or its device gone.
    var isDown: Bool { state.withLock { $0.down } }
    var problem: String? { state.withLock { $0.problem } }

    func receiving() { state.withLock { $0.down = false } }
    func failed(_ problem: String) {
        state.withLock {
            $0.down = true
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
        ring = SampleRing(frames: Int(bufferSeconds * Double(rate)), channels: channels)
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
        while !isStopped {
            let producedAudio: Bool
            switch kind {
            case .stream(let url): producedAudio = decode(.stream(url, readTimeout: readTimeout), ended: "the stream ended")
            case .loop(let paths):
                var played = false
                for path in paths where !isStopped { played = decode(.file(path), ended: nil) || played }
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

    /// Decodes the input into the ring until it ends or fails; whether any audio came.
    private func decode(_ input: MediaInput, ended: String?) -> Bool {
        var produced = false
        do throws(MediaError) {
            let decoder = try MediaDecoder(input, rate: rate, channels: ring.channels, interrupt: interrupt)
            try decoder.decode(maximumFrames: .max) { (samples) throws(MediaError) in
                produced = true
                state.receiving()
                guard ring.push(samples) else { throw MediaError(kind: .unreadable, path: decoder.path, detail: "stopped") }
            }
            if let ended { state.failed(ended) }
        } catch {
            if !isStopped { state.failed(error.detail) }
        }
        return produced
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

    private let running = Mutex<[Key: (source: SourceThread, users: Int)]>([:])

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
            running[key] = (source, 1)
            return (source, source.ring.reader(), true)
        }
        if started { source.start() }
        return SourceUse(source: source, reader: reader) { [self] in
            reader.close()
            let last = running.withLock { running -> Bool in
                guard let shared = running[key], shared.source === source else { return false }
                if shared.users > 1 {
                    running[key]?.users -= 1
                    return false
                }
                running[key] = nil
                return true
            }
            // Outside the lock: stopping waits for the thread.
            if last { source.stop() }
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

