import Foundation
import HTTPTypes
import Hummingbird
@testable import LoaConsole
import LoaControl
import LoaLog
import LoaModel
import LoaTestSupport
import Testing

/// The live page's parts that need no microphone: its frames, the page and its scripts, and
/// Ghi âm rồi phát with the recordings browsers make (Chromium's WebM/Opus, an iPhone's MP4/AAC).
@Suite struct LivePageTests {
    @Test func aFrameEncodesAndParsesBackAndEveryBoundIsKept() throws {
        let audio = LiveFrame.audio(sequence: 7, captured: 1_733_600_000_123.5, samples: [0, 1_000, -1_000, .max, .min])
        #expect(try LiveFrame.parse(audio.encoded) == audio)
        #expect(try LiveFrame.parse(LiveFrame.end.encoded) == .end)
        let cases: [(Data, String)] = [
            (Data(), "empty"), (Data([UInt8(ascii: "X")]), "unknown message kind"),
            (Data([UInt8(ascii: "E"), 0]), "one byte"), (Data([UInt8(ascii: "S")]), "JSON"),
            (Data([UInt8(ascii: "A"), 0, 0, 0] + [UInt8](repeating: 0, count: 13)), "16-bit samples"),
            (Data([UInt8(ascii: "A"), 1, 0, 0] + [UInt8](repeating: 0, count: 14)), "version"),
            (Data([UInt8(ascii: "A")] + [UInt8](repeating: 0, count: LiveFrame.Limits.messageBytes)), "at most"),
        ]
        for (bytes, reason) in cases {
            #expect(throws: LiveFrame.Malformed.self) { try LiveFrame.parse(bytes) }
            do { _ = try LiveFrame.parse(bytes) } catch { #expect(error.reason.contains(reason), "\(error.reason)") }
        }
        var nan = LiveFrame.audio(sequence: 1, captured: 0, samples: [1]).encoded
        nan.replaceSubrange(8..<16, with: withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { Data($0) })
        #expect(throws: LiveFrame.Malformed.self) { try LiveFrame.parse(nan) }

        let start = LiveStart(id: "1733600000000-ab12cd", account: "an", speaker: "Nguyễn Văn An", channels: ["fm"], level: .emergency)
        #expect(start.problem() == nil)
        for bad in [
            LiveStart(id: "../x", account: "an", speaker: "An", channels: nil, level: .priority),
            LiveStart(id: "a", account: "", speaker: "An", channels: nil, level: .priority),
            LiveStart(id: "a", account: "an", speaker: "An\nB", channels: nil, level: .priority),
            LiveStart(id: "a", account: "an", speaker: "An", channels: [], level: .priority),
            LiveStart(id: "a", account: "an", speaker: "An", channels: ["f m"], level: .priority),
        ] {
            #expect(bad.problem() != nil, "\(bad)")
        }
        #expect(throws: Never.self) { try LiveStart.decode(try JSONEncoder().encode(start)).get() }
    }

    @Test func theLivePageAndItsScriptsAreServedUnderANarrowPolicy() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            try await browser.login("an", "mat-khau-an")
            let page = try await browser.get("/truc-tiep")
            #expect(page.status == .ok)
            #expect(page.text.contains("Bắt đầu nói") && page.text.contains("Ghi âm rồi phát") && page.text.contains("FM"), "\(page.text)")
            #expect(page.text.contains(#"<script type="module" src="/js/live.js">"#))
            let policy = page.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("media-src 'self' blob:") && !policy.contains("unsafe-eval") && !policy.contains("script-src"), "\(policy)")
            // Elsewhere, no blob: media.
            let other = try await browser.get("/phat-khan")
            #expect(other.headers[.contentSecurityPolicy]?.contains("blob:") == false)
            for script in ["live.js", "capture-worklet.js", "record.js"] {
                let served = try await browser.get("/js/\(script)")
                #expect(served.status == .ok && served.headers[.contentType]?.hasPrefix("text/javascript") == true, "\(script)")
            }
            #expect(try await browser.get("/js/../station.yaml").status == .notFound)
            // The socket is not opened without the page's token, nor from a page of another site.
            #expect(try await browser.get("/truc-tiep/ws").status != .ok)
        }
    }

    /// A page of this console may open the live socket (from either of its ports); another
    /// site's page, or a request that names none, may not.
    @Test func onlyThisConsolesPagesOpenTheLiveSocket() {
        func request(_ origins: [String]) -> Request {
            var head = HTTPRequest(method: .get, scheme: "https", authority: "192.168.1.10:8443", path: "/truc-tiep/ws")
            for origin in origins { head.headerFields.append(HTTPField(name: .origin, value: origin)) }
            return Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        }
        #expect(Console.sameOrigin(request(["https://192.168.1.10:8443"])))
        #expect(Console.sameOrigin(request(["http://192.168.1.10:8080"])))
        #expect(!Console.sameOrigin(request(["https://evil.example"])))
        #expect(!Console.sameOrigin(request(["https://192.168.1.10.evil.example:8443"])))
        #expect(!Console.sameOrigin(request(["https://192.168.1.10:8443", "https://evil.example"])))
        #expect(!Console.sameOrigin(request([])))
    }

    /// Hôm nay, Nhật ký and Nói trực tiếp show a live broadcast: who spoke, for how long, why it ended.
    @Test func aLiveBroadcastShowsInTodayAndTheLog() async throws {
        let fixture = try await ConsoleFixture()
        var row = BroadcastRecord(
            entryID: "live/1/fm", date: CivilDate(year: 2024, month: 11, day: 27)!, station: "Xã Kha Sơn", channel: "fm", channelKind: .fm,
            session: StationNames.liveSession, campaign: nil, message: "Nguyễn Văn An", role: .liveEmergency,
            audio: fixture.folder.path + "/audio/truc-tiep-2024-11-27-09-30-05.flac", audioSHA256: nil,
            scheduledStart: "2024-11-27T02:30:05.000Z", timeZone: "Asia/Ho_Chi_Minh", device: "null")
        row.actualStart = row.scheduledStart
        row.actualEnd = "2024-11-27T02:30:47.000Z"
        row.playedSeconds = 42
        row.outcome = .interrupted
        row.reasonCode = .connectionLost
        row.reason = "nothing came for 3 s"
        try BroadcastLog(path: fixture.logPath).appendSettled([row])
        try await fixture.test { browser in
            try await browser.login("an", "mat-khau-an")
            let today = try await browser.get("/hom-nay")
            #expect(today.text.contains("09:30:05 · Nói trực tiếp: Nguyễn Văn An") && today.text.contains("42 giây"), "\(today.text)")
            #expect(today.text.contains(ReasonCode.connectionLost.vietnameseName))
            let log = try await browser.get("/nhat-ky?tu=2024-11-27&den=2024-11-27")
            #expect(log.text.contains("Nói trực tiếp") && log.text.contains("Nguyễn Văn An"))
            let live = try await browser.get("/truc-tiep")
            #expect(live.text.contains("truc-tiep-2024-11-27-09-30-05.flac") && live.text.contains("khẩn cấp"), "\(live.text)")
        }
    }

    /// Chromium's WebM/Opus and an iPhone's MP4/AAC, kept in the library as FLAC; with the
    /// daemon stopped, "Phát ngay" keeps it and says it did not air.
    @Test(arguments: [("webm", ["-c:a", "libopus"]), ("m4a", ["-c:a", "aac"])])
    func aRecordingFromABrowserIsImportedIntoTheLibrary(format: String, codec: [String]) async throws {
        let fixture = try await ConsoleFixture()
        let recording = fixture.folder.file("ghi-am.\(format)")
        try await offThePool {
            try FFmpegCLI.run(["-f", "lavfi", "-i", "sine=frequency=700:sample_rate=48000:duration=3"] + codec, output: recording)
        }
        let data = try Data(contentsOf: recording)
        try await fixture.test { browser in
            try await browser.login("an", "mat-khau-an")
            let csrf = try #require(try await browser.get("/truc-tiep").csrf)
            let kept = try await browser.upload(
                "/truc-tiep/ghi-am", [("csrf", csrf), ("title", "Thông báo khẩn lũ"), ("action", "keep")], name: "ghi-am.\(format)", data: data)
            #expect(kept.status == .ok && kept.text.contains("Đã lưu thông-báo-khẩn-lũ.flac"), "\(kept.text.components(separatedBy: "<main>").last ?? "")")
            let aired = try await browser.upload(
                "/truc-tiep/ghi-am", [("csrf", csrf), ("title", "Thông báo khẩn lũ"), ("action", "air")], name: "ghi-am.\(format)", data: data)
            #expect(aired.status == .conflict && aired.text.contains("ĐÃ DỪNG"), "\(aired.text)")
            let missing = try await browser.upload("/truc-tiep/ghi-am", [("csrf", csrf), ("title", ""), ("action", "keep")], name: "x.webm", data: data)
            #expect(missing.status == .unprocessableContent)
        }
        let library = fixture.folder.path + "/audio"
        let stored = try FileManager.default.contentsOfDirectory(atPath: library).map(\.precomposedStringWithCanonicalMapping)
            .filter { $0.hasPrefix("thông-báo-khẩn-lũ") }
        #expect(stored.sorted() == ["thông-báo-khẩn-lũ-2.flac", "thông-báo-khẩn-lũ.flac"], "\(stored)")
        let spool = AnnouncementSpool(logPath: fixture.logPath).take()
        #expect(spool.isEmpty, "nothing is sent to a stopped daemon: \(spool)")
    }
}
