import Foundation
import LoaModel
import LoaPlayout
import LoaRelay
import LoaTestSupport
import Testing

/// Relays of live sources whose audio carries its own time (``SecondTone``: each second of the
/// source a pitch of its own), encoded in real time by `ffmpeg -re` or served as Icecast would,
/// on 127.0.0.1: each capture says which second of the source aired when, so a test sees how far
/// behind the source the relay aired, and whether any second of it aired twice.
@Suite(.serialized) struct LiveRelayTests: Sendable {
    let folder = TemporaryFolder()
    static let rate = 48_000
    static let window = 0.2
    /// The fallback's tone, far from every second's pitch.
    static let fallbackHz = 3000

    func fallbackFile() throws -> URL {
        let file = folder.file("nhac-cho.flac")
        try FFmpegCLI.run(
            ["-f", "lavfi", "-i", "sine=frequency=\(Self.fallbackHz):sample_rate=48000:duration=3", "-ac", "2"], output: file)
        return file
    }

    /// Plays `seconds` of a prepared relay on a thread of its own, from now; when it started.
    func play(_ relay: PreparedRelay, seconds: Double, control: PlaybackControl = PlaybackControl()) -> (Date, () throws -> RelayReport) {
        let result = Box()
        nonisolated(unsafe) let relay = relay
        let began = Date()
        let thread = Thread { result.set(Result { try relay.play(frames: Int(seconds * Double(Self.rate)), control: control) }) }
        thread.start()
        return (began, { try result.wait() })
    }

    /// The source's seconds heard in a capture, each with how far behind the source it aired:
    /// the capture's window at `offset` aired at `aired + offset`, and second `k` of a source
    /// whose second 0 began at `began` was live from `began + k`. `k` is known mod 20, so it is
    /// taken as the one that gives a delay in -5...15 s.
    static func delays(_ heard: [SecondTone.Heard], base: Int, aired: Date, began: Date) -> [(second: Int, delay: Double)] {
        heard.enumerated().compactMap { index, heard in
            guard case .second(base, let k) = heard else { return nil }
            let middle = aired.addingTimeInterval((Double(index) + 0.5) * window).timeIntervalSince(began)
            // The window's middle is, on average, the middle of the source's second.
            let cycles = ((middle - 0.5 - Double(k) + 5) / 20).rounded(.down)
            let second = k + 20 * Int(cycles)
            return (second, middle - (Double(second) + 0.5))
        }
    }

    /// Whether seconds (in the order heard, a window at a time) only ever go forward: none
    /// heard again once another was.
    static func goesForwardOnly(_ seconds: [Int]) -> Bool {
        var runs: [Int] = []
        for second in seconds where runs.last != second { runs.append(second) }
        return zip(runs, runs.dropFirst()).allSatisfy { $1 > $0 }
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

    /// The province's encoder dies and its web server stays up: the playlist stops growing (no
    /// #EXT-X-ENDLIST). The relay must not air its last segments again: it falls back, logged as
    /// a stall, and resumes with the encoder's next run, never with what aired.
    @Test func aFrozenPlaylistFallsBackAndNeverAirsItsPastAgain() async throws {
        try await offThePool {
            let encoder = try LiveHLSEncoder(folder: self.folder.url.appendingPathComponent("tinh"))
            let first = SecondTone(base: 400), second = SecondTone(base: 450)
            try encoder.start(first)
            let server = try LoopbackServer(.files(encoder.folder))
            let capture = self.folder.file("frozen.raw")
            let relay = try PreparedRelay(
                .url(server.url("live.m3u8")), fallback: [try self.fallbackFile()], device: Capture.device(capture),
                options: RelayOptions(stallSeconds: 2))
            defer { relay.close() }
            Thread.sleep(forTimeInterval: 1)
            let (_, report) = self.play(relay, seconds: 20)
            Thread.sleep(forTimeInterval: 5)
            encoder.kill()
            Thread.sleep(forTimeInterval: 6)
            try encoder.start(second)
            let played = try report()
            let heard = SecondTone.read(Capture.int16s(capture), bases: [first.base, second.base])
            let firstSeconds = heard.compactMap { if case .second(first.base, let k) = $0 { k } else { nil } }
            let secondSeconds = heard.compactMap { if case .second(second.base, let k) = $0 { k } else { nil } }
            #expect(Self.goesForwardOnly(firstSeconds), "the first run's seconds, each once: \(firstSeconds)")
            #expect(Self.goesForwardOnly(secondSeconds), "the second run's seconds, each once: \(secondSeconds)")
            // In order: the first run, the fallback while the playlist stood still, the second run.
            let lastFirst = try #require(heard.lastIndex { if case .second(first.base, _) = $0 { true } else { false } })
            let fallback = try #require(heard.firstIndex(of: .tone(Self.fallbackHz)), "the fallback aired")
            let firstSecond = try #require(heard.firstIndex { if case .second(second.base, _) = $0 { true } else { false } }, "resumed")
            #expect(lastFirst < fallback && fallback < firstSecond)
            #expect(firstSeconds.count <= Int(7 / Self.window), "the frozen source aired no more than it had: \(firstSeconds.count) windows")
            let stall = try #require(played.outages.first)
            #expect(stall.fault == .stalled && stall.detail.contains("no new segment"), "\(played.outages)")
            // The log's relayed seconds are what the capture holds of the source, to a second.
            let sourceWindows = Double(heard.filter { $0 != .silence && $0 != .tone(Self.fallbackHz) }.count) * Self.window
            #expect(abs(played.secondsRelayed - sourceWindows) < 1, "\(played.secondsRelayed) s relayed, \(sourceWindows) s heard")
        }
    }

    /// On its second the relay airs the newest audio the source has delivered, less a small
    /// margin (an HLS segment's wait and 0.3 s), and stays there; cut and prepared again (an
    /// emergency announcement), it comes back at once at the source's current second.
    @Test func aLiveHLSRelayAirsNearTheLiveEdgeAndComesBackThereAfterACut() async throws {
        try await offThePool {
            let encoder = try LiveHLSEncoder(folder: self.folder.url.appendingPathComponent("vov"))
            let tone = SecondTone(base: 400)
            try encoder.start(tone)
            let began = try #require(encoder.started)
            let server = try LoopbackServer(.files(encoder.folder))
            Thread.sleep(forTimeInterval: 4)  // the playlist now lists several segments
            let url = server.url("live.m3u8")
            let captures = [self.folder.file("truoc.raw"), self.folder.file("sau.raw")]
            let before = try PreparedRelay(.url(url), fallback: [], device: Capture.device(captures[0]), options: RelayOptions())
            Thread.sleep(forTimeInterval: 3)
            let control = PlaybackControl()
            let (airedBefore, reportBefore) = self.play(before, seconds: 8, control: control)
            Thread.sleep(forTimeInterval: 5)
            control.requestStop()
            let cut = try reportBefore()
            before.close()
            #expect(!cut.completed)
            // Prepared again at once, as the runner does after the announcement.
            let after = try PreparedRelay(.url(url), fallback: [], device: Capture.device(captures[1]), options: RelayOptions())
            defer { after.close() }
            let (airedAfter, reportAfter) = self.play(after, seconds: 6)
            let resumed = try reportAfter()
            #expect(resumed.completed && resumed.outages.isEmpty, "\(resumed.outages)")

            let heardBefore = SecondTone.read(Capture.int16s(captures[0]), bases: [tone.base])
            let heardAfter = SecondTone.read(Capture.int16s(captures[1]), bases: [tone.base])
            let delaysBefore = Self.delays(heardBefore, base: tone.base, aired: airedBefore, began: began)
            let delaysAfter = Self.delays(heardAfter, base: tone.base, aired: airedAfter, began: began)
            let delay = Self.mean(delaysBefore.map(\.delay)), delayAfter = Self.mean(delaysAfter.map(\.delay))
            // One-second segments: a segment's wait (1 s), the 0.3 s margin, the player's 0.2 s
            // lead and the encoder's own; FFmpeg's HLS demuxer starts three segments back.
            #expect(delay > 0.5 && delay < 3, "aired \(delay) s behind the source")
            #expect(abs(delayAfter - delay) < 0.6, "after the cut \(delayAfter) s behind, before it \(delay) s")
            // It stays there: the last seconds as far behind as the first.
            let late = Self.mean(delaysBefore.suffix(10).map(\.delay)), early = Self.mean(delaysBefore.prefix(10).map(\.delay))
            #expect(abs(late - early) < 0.4, "\(early) s behind at first, \(late) s at the end")
            // On air at once: sound from the first window on, and no second of the source twice.
            #expect(heardAfter.prefix(3).allSatisfy { $0 != .silence }, "\(heardAfter.prefix(5))")
            // A second is five windows: one heard in more aired twice in part.
            let seconds = delaysBefore.map(\.second) + delaysAfter.map(\.second)
            #expect(Dictionary(grouping: seconds) { $0 }.values.allSatisfy { $0.count <= 5 }, "\(seconds)")
        }
    }

    /// Over an Icecast-like server that bursts 4 s to a new listener, the relay airs the newest
    /// audio, not the burst, nor what was read before its second.
    @Test func anIcecastStreamAirsItsNewestAudio() async throws {
        try await offThePool {
            let tone = SecondTone(base: 400)
            let mp3 = self.folder.file("vov.mp3")
            try FFmpegCLI.run(tone.input(seconds: 60) + ["-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-id3v2_version", "0"], output: mp3)
            let server = try LoopbackServer(.live(mp3, bytesPerSecond: 16_000, burst: 4))
            Thread.sleep(forTimeInterval: 6)
            let capture = self.folder.file("icy.raw")
            let relay = try PreparedRelay(.url(server.url("vov")), fallback: [], device: Capture.device(capture), options: RelayOptions())
            defer { relay.close() }
            Thread.sleep(forTimeInterval: 3)
            let (aired, report) = self.play(relay, seconds: 6)
            let played = try report()
            #expect(played.completed && played.outages.isEmpty, "\(played.outages)")
            let heard = SecondTone.read(Capture.int16s(capture), bases: [tone.base])
            let delays = Self.delays(heard, base: tone.base, aired: aired, began: server.started)
            #expect(Self.goesForwardOnly(delays.map(\.second)), "\(delays.map(\.second))")
            let delay = Self.mean(delays.map(\.delay))
            // The server's 0.02 s sends, the 0.3 s margin, the player's lead; not the 4 s burst.
            #expect(delay > 0 && delay < 2, "aired \(delay) s behind the source")
        }
    }

    /// A stream server that drops the connection every 6 s and, on a slow line, bursts its last
    /// 4 s to the reconnecting relay at twice real time: what aired before a drop never airs
    /// again (the relay waits for the burst to pass, then joins the source's current second).
    @Test func anIcecastStreamThatDropsNeverAirsItsBurstAgain() async throws {
        try await offThePool {
            let tone = SecondTone(base: 400)
            let mp3 = self.folder.file("vov.mp3")
            try FFmpegCLI.run(tone.input(seconds: 60) + ["-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-id3v2_version", "0"], output: mp3)
            let server = try LoopbackServer(.live(mp3, bytesPerSecond: 16_000, burst: 4, burstSpeed: 2, dropAfter: 6))
            Thread.sleep(forTimeInterval: 5)
            let capture = self.folder.file("drops.raw")
            let relay = try PreparedRelay(.url(server.url("vov")), fallback: [], device: Capture.device(capture), options: RelayOptions())
            defer { relay.close() }
            let (aired, report) = self.play(relay, seconds: 16)
            let played = try report()
            let heard = SecondTone.read(Capture.int16s(capture), bases: [tone.base])
            let delays = Self.delays(heard, base: tone.base, aired: aired, began: server.started)
            #expect(Self.goesForwardOnly(delays.map(\.second)), "no second twice: \(delays.map(\.second))")
            #expect(played.outages.count >= 1 && played.outages.allSatisfy { $0.fault == .unavailable }, "a drop is an outage: \(played.outages)")
            // Back after the last drop, near the source's second.
            let last = delays.suffix(5).map(\.delay)
            #expect(last.count == 5 && Self.mean(last) < 2.5, "\(delays.suffix(8))")
        }
    }

    /// Each way a source fails, and the reason logged for it: refused, answering with bytes that
    /// are not audio, and ending are `unavailable`; a server holding the connection and sending
    /// nothing is `stalled` (a frozen playlist is, above; a silent one is `silent`, in RelayTests).
    @Test(arguments: ["refused", "garbage", "ended", "mute"])
    func aFailingSourceIsLoggedForWhatItDid(_ way: String) async throws {
        try await offThePool {
            let server: LoopbackServer?, url: String
            switch way {
            case "refused":
                let gone = try LoopbackServer(.mute)
                gone.kill()
                (server, url) = (nil, gone.url("vov.mp3"))
            case "garbage":
                let garbage = try LoopbackServer(.garbage)
                (server, url) = (garbage, garbage.url("vov.mp3"))
            case "ended":
                let stream = self.folder.url.appendingPathComponent("ended")
                try FFmpegCLI.hls(SecondTone().input(seconds: 2), in: stream)
                let files = try LoopbackServer(.files(stream))
                (server, url) = (files, files.url("live.m3u8"))
            default:
                let mute = try LoopbackServer(.mute)
                (server, url) = (mute, mute.url("vov.mp3"))
            }
            defer { _ = server }
            let capture = self.folder.file("\(way).raw")
            let relay = try PreparedRelay(.url(url), fallback: [], device: Capture.device(capture), options: RelayOptions(stallSeconds: 2))
            defer { relay.close() }
            Thread.sleep(forTimeInterval: 1)
            let report = try relay.play(frames: 6 * Self.rate, control: PlaybackControl())
            let outage = try #require(report.outages.first, "\(way): an outage")
            let expected: RelayFault = way == "mute" ? .stalled : .unavailable
            #expect(outage.fault == expected, "\(way): \(outage)")
            let words = ["refused": "refused", "garbage": "audio", "ended": "ended", "mute": "nothing came"][way] ?? ""
            #expect(outage.detail.lowercased().contains(words), "\(way): \(outage.detail)")
        }
    }
}

/// A relay's report, set by the thread that plays it and waited for by the test.
private final class Box: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<RelayReport, any Error>?
    func set(_ value: Result<RelayReport, any Error>) {
        condition.lock()
        result = value
        condition.broadcast()
        condition.unlock()
    }
    func wait() throws -> RelayReport {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}
