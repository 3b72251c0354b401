import Foundation
import LoaModel
import LoaPlayout
import LoaRelay
import LoaTestSupport
import Testing

/// Relays (tiếp sóng) of streams made by the `ffmpeg` CLI and served on 127.0.0.1, and of a line
/// input that is ALSA's `file` PCM reading a file, played to ALSA's `file` PCM and read back.
/// Each runs in real time on a thread of its own.
@Suite struct RelayTests: Sendable {
    let folder = TemporaryFolder()
    static let rate = 48_000
    /// A rising tone, so that a capture lines up with its reference at one offset only.
    static let sweep = ["-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*(200+40*t)*t):s=48000:d=40", "-ac", "2"]
    /// Noise far below the silence threshold: a source on the wire but silent.
    static let quiet = ["-f", "lavfi", "-i", "anoisesrc=amplitude=0.001:sample_rate=48000:duration=20", "-ac", "2"]

    /// An HLS stream of AAC at 128 kbit/s in one-second segments, in its own folder.
    func hls(_ name: String, _ source: [String] = sweep) throws -> URL {
        let stream = folder.url.appendingPathComponent(name)
        try FFmpegCLI.hls(source, in: stream)
        return stream
    }

    /// What FFmpeg's own command decodes from the stream, as the relay must play it.
    func reference(_ url: String) throws -> [Int16] {
        let raw = folder.file("reference-\(UUID().uuidString).raw")
        try FFmpegCLI.run(["-i", url, "-f", "s16le", "-ar", "48000", "-ac", "2"], output: raw)
        return Capture.int16s(raw)
    }

    /// A fallback file of a tone (1 kHz unless said), told apart from the sweep by its pitch.
    func fallbackFile(frequency: Int = 1000) throws -> URL {
        let file = folder.file("nhac-cho-\(frequency).flac")
        try FFmpegCLI.run(["-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=48000:duration=3", "-ac", "2"], output: file)
        return file
    }

    /// Zero crossings of the left channel in a second of a capture from `at` seconds: twice the
    /// frequency of a tone.
    func crossings(_ played: [Int16], at second: Double) -> Int {
        let first = Int(second * Double(Self.rate))
        return (first..<(first + Self.rate)).filter { (played[$0 * 2] < 0) != (played[$0 * 2 + 2] < 0) }.count
    }

    func relay(_ input: RelayInput, seconds: Double, fallback: [URL] = [], options: RelayOptions = RelayOptions(), capture: URL)
        throws -> RelayReport
    {
        let relay = try PreparedRelay(input, fallback: fallback, device: Capture.device(capture), options: options)
        defer { relay.close() }
        // Connected and buffered before air, as the runner prepares a relay ahead of its second.
        Thread.sleep(forTimeInterval: 1)
        return try relay.play(frames: Int(seconds * Double(Self.rate)), control: PlaybackControl())
    }

    /// The most any sample of `capture` differs from `reference`, over the frames before the end's fade.
    func largestDifference(_ capture: [Int16], _ reference: [Int16], frames: Int) -> Int {
        (0..<(frames * 2)).reduce(0) { max($0, abs(Int(capture[$1]) - Int(reference[$1]))) }
    }

    @Test func anHLSStreamRelaysWholeAndEndsOnItsSecond() async throws {
        try await offThePool {
            let server = try LoopbackServer(.files(try self.hls("vov1")))
            let capture = self.folder.file("relay.raw")
            let report = try self.relay(.url(server.url("live.m3u8")), seconds: 6, capture: capture)
            let played = Capture.int16s(capture)
            #expect(played.count == 6 * Self.rate * 2, "ends on its second: exactly 6 s of frames")
            #expect(report.completed && report.outages.isEmpty && report.relayedFrames == 6 * Self.rate, "\(report.outages)")
            let reference = try self.reference(server.url("live.m3u8"))
            #expect(self.largestDifference(played, reference, frames: Int(5.4 * Double(Self.rate))) <= 1, "the stream as FFmpeg decodes it")
            // The last half second fades to silence.
            #expect(abs(Int(played[played.count - 2])) < 200)
        }
    }

    /// Two channels relaying one stream at once share one connection to it and air the same
    /// frames; one prepared but not yet on air holds up none that is.
    @Test func channelsRelayingOneStreamShareItAndOneWaitingHoldsUpNone() async throws {
        try await offThePool {
            let server = try LoopbackServer(.files(try self.hls("chung")))
            let url = server.url("live.m3u8")
            let captures = (0..<3).map { self.folder.file("chung-\($0).raw") }
            let relays = try captures.map { try PreparedRelay(.url(url), fallback: [], device: Capture.device($0), options: RelayOptions()) }
            defer { relays.forEach { $0.close() } }
            Thread.sleep(forTimeInterval: 1)
            // The first two go on air together for 8 s (twice the buffer); the third waits, prepared.
            let reports = Reports()
            let threads = relays.prefix(2).enumerated().map { index, relay in
                // Each relay is played by this thread alone, as the runner hands one to its channel's thread.
                nonisolated(unsafe) let relay = relay
                return Thread { reports.set(index, Result { try relay.play(frames: 8 * Self.rate, control: PlaybackControl()) }) }
            }
            threads.forEach { $0.start() }
            while reports.count < 2 { Thread.sleep(forTimeInterval: 0.1) }
            for index in 0..<2 {
                let report = try #require(try reports.get(index))
                #expect(report.completed && report.outages.isEmpty && report.relayedFrames == 8 * Self.rate, "\(index): \(report.outages)")
            }
            #expect(server.requests(for: "live.m3u8") == 1, "one connection for every channel")
            // The same frames: the one that went on air second joined the other where it was, so
            // the two captures are one, shifted by however much later its thread started.
            let first = Capture.int16s(captures[0]), second = Capture.int16s(captures[1])
            let window = Array(second[(Self.rate * 8)..<(Self.rate * 8 + 4800)])
            let offset = (-2 * Self.rate...2 * Self.rate).first { shift in
                let start = Self.rate * 8 + shift * 2
                return start >= 0 && start + window.count <= first.count && Array(first[start..<(start + window.count)]) == window
            }
            #expect(offset != nil, "the two channels air the same frames")
            // The one waiting now joins them where they are: still no outage, and the stream not fetched again.
            let third = try relays[2].play(frames: Self.rate, control: PlaybackControl())
            #expect(third.completed && third.outages.isEmpty && third.relayedFrames == Self.rate, "\(third.outages)")
            #expect(server.requests(for: "live.m3u8") == 1)
        }
    }

    @Test func aServerKilledMidRelayFallsBackAndTheRelayResumesWhenItReturns() async throws {
        try await offThePool {
            let server = try LoopbackServer(.files(try self.hls("tinh")))
            let capture = self.folder.file("killed.raw")
            let relay = try PreparedRelay(
                .url(server.url("live.m3u8")), fallback: [try self.fallbackFile()], device: Capture.device(capture),
                options: RelayOptions(stallSeconds: 2, bufferSeconds: 4))
            defer { relay.close() }
            Thread.sleep(forTimeInterval: 1)
            // When the server listens again, in seconds of the relay; a loaded machine may take a while to start it.
            let returned = Returned()
            let began = Date()
            let killer = Thread {
                Thread.sleep(forTimeInterval: 2)
                server.kill()
                Thread.sleep(forTimeInterval: 8)
                try? server.start()
                returned.set(Date().timeIntervalSince(began))
            }
            killer.start()
            let report = try relay.play(frames: 20 * Self.rate, control: PlaybackControl())
            let played = Capture.int16s(capture)
            #expect(played.count == 20 * Self.rate * 2 && report.completed)
            let outage = try #require(report.outages.first, "the dead server is an outage")
            let start = Double(outage.startFrame) / Double(Self.rate), end = Double(outage.startFrame + outage.frames) / Double(Self.rate)
            // The buffer (4 s) plays out first; then the fallback within half a second.
            #expect(outage.fault == .unavailable && start > 2 && start < 8, "\(outage)")
            // Back after the server is, within the longest retry wait (8 s) and the second buffered before resuming.
            let back = try #require(returned.value, "the server listens again within the relay")
            #expect(end > back && end < back + 8 + 2, "back within the retry's backoff of the server's return at \(back) s: \(outage)")
            #expect(report.outages.count == 1 && report.relayedFrames + outage.frames == report.framesPlayed)
            // The fallback aired meanwhile: the 1 kHz tone crosses zero about 2000 times a second.
            let crossings = self.crossings(played, at: (start + end) / 2)
            #expect(abs(crossings - 2000) < 40, "\(crossings) zero crossings in a second of the outage")
        }
    }

    @Test func aServerThatAcceptsAndSendsNothingStallsWithoutHanging() async throws {
        try await offThePool {
            let server = try LoopbackServer(.mute)
            let capture = self.folder.file("mute.raw")
            let began = Date()
            let report = try self.relay(
                .url(server.url("live.m3u8")), seconds: 5, options: RelayOptions(stallSeconds: 1), capture: capture)
            #expect(Date().timeIntervalSince(began) < 9, "the block ends on time, the stalled read given up")
            #expect(report.completed && report.relayedFrames == 0 && Capture.int16s(capture).count == 5 * Self.rate * 2)
            // Connected and sent nothing: a stall, the fallback from the start.
            let outage = try #require(report.outages.first)
            #expect(outage.fault == .stalled && outage.startFrame == 0 && outage.frames == 5 * Self.rate, "\(report.outages)")
            #expect(outage.detail.contains("no audio"), "\(outage.detail)")
        }
    }

    @Test func aSilentStreamFallsBackAfterItsThreshold() async throws {
        try await offThePool {
            let server = try LoopbackServer(.files(try self.hls("im-lang", Self.quiet)))
            let capture = self.folder.file("silent.raw")
            let report = try self.relay(
                .url(server.url("live.m3u8")), seconds: 6, fallback: [try self.fallbackFile()],
                options: RelayOptions(silenceSeconds: 2), capture: capture)
            let outage = try #require(report.outages.first)
            #expect(outage.fault == .silent && outage.startFrame == 0 && outage.frames == 6 * Self.rate, "\(report.outages)")
            #expect(report.relayedFrames == 0)
            // After the two seconds of judging, the fallback's tone is on air.
            let played = Capture.int16s(capture)
            #expect(played[(6 * Self.rate)..<(8 * Self.rate)].map { abs(Int($0)) }.max() ?? 0 > 2_000, "3 s to 4 s: the tone, not the source's noise (40)")
        }
    }

    /// A fallback playlist plays its files in order: a 1 kHz tone for 3 s, then a 500 Hz one.
    @Test func aFallbackPlaylistPlaysInOrder() async throws {
        try await offThePool {
            let server = try LoopbackServer(.files(try self.hls("im-lang-2", Self.quiet)))
            let capture = self.folder.file("playlist.raw")
            let report = try self.relay(
                .url(server.url("live.m3u8")), seconds: 8, fallback: [try self.fallbackFile(), try self.fallbackFile(frequency: 500)],
                options: RelayOptions(silenceSeconds: 2), capture: capture)
            #expect(report.outages.first?.fault == .silent, "\(report.outages)")
            // The fallback goes on air once two seconds have been judged silent: 2-5 s the first
            // file, 5-8 s the second.
            let played = Capture.int16s(capture)
            let first = self.crossings(played, at: 3), second = self.crossings(played, at: 6)
            #expect(abs(first - 2000) < 40 && abs(second - 1000) < 40, "\(first) then \(second) zero crossings a second")
        }
    }

    @Test func aLineInRelaysWhatTheInputCaptures() async throws {
        try await offThePool {
            let input = self.folder.file("line-in.raw")
            // Longer than a live source could be ahead of real time (20 s), so it is known for a recording at once.
            try FFmpegCLI.run(Self.sweep + ["-t", "30", "-f", "s16le"], output: input)
            let capture = self.folder.file("line-in-out.raw")
            let report = try self.relay(.lineIn(Capture.lineIn(input)), seconds: 3, capture: capture)
            let played = Capture.int16s(capture), captured = Capture.int16s(input)
            #expect(report.completed && report.outages.isEmpty && played.count == 3 * Self.rate * 2, "\(report.outages)")
            // ALSA's file PCM captures at once, far faster than real time: taken for a recording
            // (aired from its start) once 20 s ahead, or, on a loaded machine before that, for a
            // live input (aired from its live point, moved up as the input runs ahead). Either
            // way nothing but the input, in its order, sample for sample: every 0.1 s aired is a
            // stretch of the input after the one before it.
            var from = 0
            for piece in stride(from: 0, to: Int(2.4 * Double(Self.rate)) * 2, by: 9_600) {
                let aired = Array(played[piece..<(piece + 9_600)])
                let found = stride(from: from, to: captured.count - 9_600, by: 2).first {
                    captured[$0] == aired[0] && Array(captured[$0..<($0 + 9_600)]) == aired
                }
                guard let found else {
                    Issue.record("the 0.1 s aired from \(Double(piece / 2) / Double(Self.rate)) s is not the input's after what aired before it")
                    break
                }
                from = found + 9_600
            }
        }
    }
}

/// A time one thread sets and another reads.
private final class Returned: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double?
    func set(_ value: Double) { lock.withLock { seconds = value } }
    var value: Double? { lock.withLock { seconds } }
}

/// Reports of relays played on threads of their own, for the test's thread to read.
private final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<RelayReport, any Error>] = [:]
    func set(_ index: Int, _ result: Result<RelayReport, any Error>) { lock.withLock { results[index] = result } }
    var count: Int { lock.withLock { results.count } }
    func get(_ index: Int) throws -> RelayReport? { try lock.withLock { results[index] }?.get() }
}

