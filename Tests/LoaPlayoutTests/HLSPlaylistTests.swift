import Foundation
@testable import LoaMedia
import Testing

/// The HLS playlists a relay reads: where each segment is in the stream, which rendition a
/// master playlist leads to, and every malformed line named.
@Suite struct HLSPlaylistTests {
    static let base = URL(string: "http://127.0.0.1:8000/vov1/live.m3u8")!

    static func parse(_ text: String) throws(HLSPlaylistError) -> HLSPlaylist { try HLSPlaylist.parse(Array(text.utf8), base: base) }

    static func media(_ text: String) throws -> HLSMediaPlaylist {
        guard case .media(let media) = try parse(text) else { throw HLSPlaylistError(line: 0, detail: "not a media playlist") }
        return media
    }

    @Test func aLivePlaylistGivesEachSegmentItsPlaceInTheStream() throws {
        let playlist = try Self.media(
            """
            #EXTM3U
            #EXT-X-TARGETDURATION:6
            #EXT-X-MEDIA-SEQUENCE:1041
            #EXT-X-PROGRAM-DATE-TIME:2024-12-22T10:00:00.000+07:00
            #EXTINF:6.0,
            seg1041.ts
            #EXTINF:6.0,
            /vov1/seg1042.ts
            #EXT-X-DISCONTINUITY
            #EXTINF:5.5,
            https://cdn.example/seg0.ts
            """)
        #expect(!playlist.ended && playlist.targetDuration == 6)
        #expect(playlist.segments.map(\.sequence) == [1041, 1042, 1043])
        #expect(playlist.segments.map(\.discontinuity) == [0, 0, 1])
        #expect(
            playlist.segments.map(\.uri) == [
                "http://127.0.0.1:8000/vov1/seg1041.ts", "http://127.0.0.1:8000/vov1/seg1042.ts", "https://cdn.example/seg0.ts",
            ])
        // The date runs on to the next segment, and a discontinuity breaks it.
        let first = try #require(playlist.segments[0].programDateTime)
        #expect(playlist.segments[1].programDateTime == first.addingTimeInterval(6))
        #expect(playlist.segments[2].programDateTime == nil)
    }

    @Test func aSegmentIsAfterAnotherByDateOrElseBySequence() throws {
        let playlist = try Self.media(
            """
            #EXTM3U
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:7
            #EXTINF:2,
            a.ts
            #EXTINF:2,
            b.ts
            """)
        let (a, b) = (playlist.segments[0], playlist.segments[1])
        #expect(b.isAfter(a) && !a.isAfter(b) && !a.isAfter(a))
        var dated = (a, b)
        dated.0.programDateTime = Date(timeIntervalSince1970: 100)
        dated.1.programDateTime = Date(timeIntervalSince1970: 90)
        #expect(dated.0.isAfter(dated.1), "a later date wins over a lower sequence")
    }

    @Test func aMasterPlaylistLeadsToItsAudioRenditionOrItsLeastBandwidth() throws {
        let withAudio = try Self.parse(
            """
            #EXTM3U
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Tiếng, Việt",DEFAULT=YES,URI="audio/vi.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=1280000,AUDIO="aud"
            720p.m3u8
            """)
        #expect(withAudio == .master(HLSMaster(
            variants: [.init(uri: "http://127.0.0.1:8000/vov1/720p.m3u8", bandwidth: 1_280_000, audioGroup: "aud")],
            audio: [.init(uri: "http://127.0.0.1:8000/vov1/audio/vi.m3u8", group: "aud", isDefault: true)])))
        guard case .master(let master) = withAudio else { return }
        #expect(master.choice == "http://127.0.0.1:8000/vov1/audio/vi.m3u8")
        guard case .master(let variants) = try Self.parse(
            """
            #EXTM3U
            #EXT-X-STREAM-INF:BANDWIDTH=1280000
            720p.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=64000
            64k.m3u8
            """)
        else { Issue.record("a master playlist"); return }
        #expect(variants.choice == "http://127.0.0.1:8000/vov1/64k.m3u8")
    }

    @Test(arguments: [
        ("<html>", 1, "not an HLS playlist"),
        ("#EXTM3U\n#EXTINF:6,\n", 0, "without #EXT-X-TARGETDURATION"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:6\nseg.ts", 3, "without #EXTINF"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:abc,\nseg.ts", 3, "a duration"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:99999", 2, "a duration"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:-4", 3, "whole number"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nfile:///etc/passwd", 4, "not http(s)"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-PROGRAM-DATE-TIME:hôm qua", 3, "ISO 8601"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-BYTERANGE:100@0", 3, "byte-range"),
    ])
    func aMalformedPlaylistIsRefusedAtItsLine(_ text: String, line: Int, words: String) {
        #expect {
            try Self.parse(text)
        } throws: { error in
            guard let error = error as? HLSPlaylistError else { return false }
            return error.line == line && error.description.contains(words)
        }
    }

    @Test func aPlaylistPastItsBoundsIsRefused() {
        let tooLong = [UInt8]("#EXTM3U\n".utf8) + [UInt8](repeating: 0x23, count: HLSPlaylist.maximumBytes)
        #expect(throws: HLSPlaylistError.self) { try HLSPlaylist.parse(tooLong, base: Self.base) }
        let segments = (0...HLSPlaylist.maximumSegments).map { "#EXTINF:1,\ns\($0).ts" }.joined(separator: "\n")
        #expect(throws: HLSPlaylistError.self) { try Self.parse("#EXTM3U\n#EXT-X-TARGETDURATION:1\n" + segments) }
    }
}
