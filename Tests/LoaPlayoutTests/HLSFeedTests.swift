import Foundation
import LoaModel
import LoaPlayout
import LoaRelay
import LoaTestSupport
import Testing

/// Playlists as servers write them beyond ffmpeg's own: a master playlist with an audio
/// rendition, segments dated by program date-time, an encrypted stream. The segments are real
/// (ffmpeg's MPEG-TS of a ``SecondTone``), the playlists written here, served on 127.0.0.1.
@Suite struct HLSFeedTests: Sendable {
    let folder = TemporaryFolder()
    static let rate = 48_000

    /// Six one-second segments of the tone in `stream/`, and their names.
    func segments() throws -> [String] {
        let stream = folder.url.appendingPathComponent("stream")
        try FFmpegCLI.hls(SecondTone().input(seconds: 6), in: stream)
        return try FileManager.default.contentsOfDirectory(atPath: stream.path).filter { $0.hasSuffix(".ts") }.sorted()
    }

    func relay(_ url: String, seconds: Int) throws -> (RelayReport, [SecondTone.Heard]) {
        let capture = folder.file("\(UUID().uuidString).raw")
        let relay = try PreparedRelay(.url(url), fallback: [], device: Capture.device(capture), options: RelayOptions(stallSeconds: 2))
        defer { relay.close() }
        Thread.sleep(forTimeInterval: 1)
        let report = try relay.play(frames: seconds * Self.rate, control: PlaybackControl())
        return (report, SecondTone.read(Capture.int16s(capture), bases: [400]))
    }

    /// A master playlist leads to its audio rendition, whose segments live in another folder.
    @Test func aMasterPlaylistLeadsToItsAudioRendition() async throws {
        try await offThePool {
            let names = try self.segments()
            self.folder.write("stream/master.m3u8", """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Tiếng Việt",DEFAULT=YES,URI="audio/vi.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=2000000,AUDIO="aud"
                video/720p.m3u8
                """)
            self.folder.write("stream/audio/vi.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:1\n"
                + names.map { "#EXTINF:1.0,\n../\($0)" }.joined(separator: "\n") + "\n#EXT-X-ENDLIST\n")
            let server = try LoopbackServer(.files(self.folder.url.appendingPathComponent("stream")))
            let (report, heard) = try self.relay(server.url("master.m3u8"), seconds: 3)
            #expect(report.completed && report.outages.isEmpty && report.relayedFrames == 3 * Self.rate, "\(report.outages)")
            // An ended playlist is a recording: from its first second.
            #expect(heard.first { $0 != .unclear } == .second(base: 400, index: 0), "\(heard.prefix(3))")
            #expect(server.requests(for: "video/720p.m3u8") == 0, "the video is never fetched")
        }
    }

    /// A playlist whose segments carry program date-times, rewritten from sequence 0 by a
    /// restarted packager with later dates: the later dates are newer, so the relay goes on
    /// without waiting for the sequence to pass where it was.
    @Test func programDateTimesOrderSegmentsAcrossARestart() async throws {
        try await offThePool {
            let names = try self.segments()
            @Sendable func playlist(sequence: Int, from: Int, count: Int, date: String) -> String {
                "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:\(sequence)\n#EXT-X-PROGRAM-DATE-TIME:\(date)\n"
                    + names[from..<(from + count)].map { "#EXTINF:1.0,\n\($0)" }.joined(separator: "\n") + "\n"
            }
            self.folder.write("stream/live.m3u8", playlist(sequence: 40, from: 0, count: 2, date: "2024-12-22T10:00:00.000+07:00"))
            let server = try LoopbackServer(.files(self.folder.url.appendingPathComponent("stream")))
            let writer = Thread {
                Thread.sleep(forTimeInterval: 2)
                // Restarted: sequence 0, and later dates.
                self.folder.write("stream/live.m3u8", playlist(sequence: 0, from: 2, count: 4, date: "2024-12-22T10:00:02.000+07:00"))
            }
            writer.start()
            let (report, heard) = try self.relay(server.url("live.m3u8"), seconds: 6)
            let seconds = heard.compactMap { if case .second(_, let k) = $0 { k } else { nil } }
            // From the live edge (second 1), then the restarted playlist's, on to its newest (5),
            // none twice; the four that came at once are joined near their live end.
            var runs: [Int] = []
            for second in seconds where runs.last != second { runs.append(second) }
            #expect(runs.first == 1 && runs.last == 5 && zip(runs, runs.dropFirst()).allSatisfy { $1 > $0 }, "\(runs)")
            #expect(report.relayedFrames > 2 * Self.rate, "\(report.outages)")
        }
    }

    /// Encrypted HLS is refused with its reason, not aired as noise.
    @Test func anEncryptedPlaylistIsRefusedWithItsReason() async throws {
        try await offThePool {
            let names = try self.segments()
            self.folder.write("stream/live.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\"\n"
                + names.map { "#EXTINF:1.0,\n\($0)" }.joined(separator: "\n") + "\n#EXT-X-ENDLIST\n")
            let server = try LoopbackServer(.files(self.folder.url.appendingPathComponent("stream")))
            let (report, _) = try self.relay(server.url("live.m3u8"), seconds: 2)
            let outage = try #require(report.outages.first)
            #expect(outage.fault == .unavailable && outage.detail.contains("encrypted HLS (AES-128)"), "\(outage)")
            #expect(report.relayedFrames == 0)
        }
    }
}
