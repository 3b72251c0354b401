import Foundation
import LoaLog
import LoaTestSupport
import Testing

/// The live page in Chromium over HTTPS, its microphone a known tone (Chromium's fake capture
/// device playing a WAV): the operator goes live on two channels while a message airs, speaks,
/// ends; or the phone drops mid-sentence. The ALSA file PCMs, the log and the recording must say
/// what happened.
@Suite(.serialized) struct LiveBrowserTests {
    @Test func anOperatorSpeaksFromTheBrowserOnTwoChannels() async throws {
        let run = try await LiveConsole.start()
        defer { run.stop() }
        let browser = try HeadlessChromium(url: try run.loginLink(), profile: run.folder.path + "/chromium", fakeAudio: run.tone.path)
        defer { browser.kill() }
        try await browser.withPage { page in
            try await Self.goLive(page, until: "ĐANG PHÁT trên FM, Loa 1")
            try await Task.sleep(for: .seconds(3))
            try await page.screenshot(to: ConsoleBrowserTests.screenshots.appendingPathComponent("truc-tiep-dang-phat.png"))
            try await page.evaluate("document.getElementById('live-button').click()")
            try await page.waitUntil(
                "document.getElementById('live-state').textContent.includes('Đã kết thúc')", describe: "document.getElementById('live-state').textContent")
        }
        try await run.waitForLiveRows(2)
        run.stop()

        let all = run.rows()
        let live = all.filter { $0.role == .liveEmergency }
        for row in live {
            #expect(row.outcome == .completed && row.message == "Nguyễn Văn An", "\(row)")
            #expect(row.playedSeconds > 2.5 && row.playedSeconds < 6, "\(row.playedSeconds)")
            #expect(row.audioSHA256 != nil && FileManager.default.fileExists(atPath: row.audio), "the recording: \(row.audio)")
        }
        #expect(Set(live.map(\.channel)) == ["fm", "loa-1"], "\(all)")
        #expect(all.filter { $0.role == .message && $0.reasonCode == .preempted }.count == 2, "the message on air was cut: \(all)")
        // The browser resamples and its worklet interpolates: compare the tone, not the bytes.
        for device in ["fm.raw", "loa-1.raw"] {
            let heard = run.heard(device)
            #expect(heard.filter { $0 == .tone(1_000) }.count >= 10, "\(device): \(heard)")
        }
        let verify = try await offThePool { try LoaProcess.run(["log", "verify", run.station, "--log", run.log]) }
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// Ghi âm rồi phát: Chromium's WebM/Opus and an iPhone's MP4/AAC, chosen in the page's
    /// form and sent with "Phát ngay", cut in as emergency announcements and aired whole.
    @Test func recordingsFromPhonesAreUploadedAndAired() async throws {
        let run = try await LiveConsole.start()
        defer { run.stop() }
        let recordings = [("webm", ["-c:a", "libopus"], 700), ("m4a", ["-c:a", "aac"], 900)].map { format, codec, frequency in
            (run.folder.file("ghi-am-\(frequency).\(format)"), codec, frequency)
        }
        try await offThePool {
            for (file, codec, frequency) in recordings {
                try FFmpegCLI.run(["-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=48000:duration=3"] + codec, output: file)
            }
        }
        let browser = try HeadlessChromium(url: try run.loginLink(), profile: run.folder.path + "/chromium")
        defer { browser.kill() }
        try await browser.withPage { page in
            for (file, _, frequency) in recordings {
                try await page.waitUntil("document.readyState === 'complete' && document.getElementById('record-file')", describe: "location.href")
                // The field as an object of the page now (a node id would outlive a navigation).
                let field = try await page.call("Runtime.evaluate", ["expression": "document.getElementById('record-file')"])
                let object = (field["result"] as? [String: Any])?["objectId"] as? String ?? ""
                _ = try await page.call("DOM.setFileInputFiles", ["files": [file.path], "objectId": object])
                try await page.evaluate(
                    "document.getElementById('record-title').value = 'Ghi âm \(frequency)'; document.querySelector('#record button[value=air]').click()")
                try await page.waitUntil(
                    "document.readyState === 'complete' && document.body.textContent.includes('Đã gửi ghi-âm-\(frequency)')", describe: "document.body.innerText")
            }
        }
        try await DaemonTests.waitFor("both recordings to air", output: run.folder.file("daemon.txt"), timeout: 30) {
            run.rows().filter { $0.role == .announcementEmergency && $0.outcome == .completed }.count == 4
        }
        run.stop()
        let aired = run.rows().filter { $0.role == .announcementEmergency }
        #expect(Set(aired.map { URL(fileURLWithPath: $0.audio).lastPathComponent }) == ["ghi-âm-700.flac", "ghi-âm-900.flac"], "\(aired)")
        #expect(aired.allSatisfy { abs($0.playedSeconds - 3) < 0.3 }, "\(aired.map(\.playedSeconds))")
        // Each channel's file holds its last item: the iPhone's recording, mono as it was made.
        for device in ["fm.raw", "loa-1.raw"] {
            #expect(run.heard(device, channels: 1).filter { $0 == .tone(900) }.count >= 12, "\(device): \(run.heard(device, channels: 1))")
        }
    }

    /// Presses the big button once the page's script has shown it, and waits for the page to say `onAir`.
    static func goLive(_ page: DevToolsPage, until onAir: String) async throws {
        try await page.waitUntil("document.getElementById('live-button') && !document.getElementById('live-button').hidden", describe: "location.href")
        try await page.evaluate("document.getElementById('live-button').click()")
        try await page.waitUntil(
            "document.getElementById('live-state').textContent.includes('\(onAir)')", describe: "document.getElementById('live-state').textContent")
    }

    /// The phone is gone mid-sentence (the browser killed): the loudspeakers fade within 3 s and
    /// the row says the connection was lost.
    @Test func aBrowserThatDiesMidwayLeavesNoLoudspeakerOpen() async throws {
        let run = try await LiveConsole.start()
        defer { run.stop() }
        let browser = try HeadlessChromium(url: try run.loginLink(), profile: run.folder.path + "/chromium", fakeAudio: run.tone.path)
        defer { browser.kill() }
        try await browser.withPage { page in
            try await Self.goLive(page, until: "ĐANG PHÁT")
            try await Task.sleep(for: .seconds(2))
        }
        browser.kill()
        let killed = Date()
        try await run.waitForLiveRows(2)
        run.stop()
        for row in run.rows().filter({ $0.role.isLive }) {
            #expect(row.outcome == .interrupted && row.reasonCode == .connectionLost, "\(row)")
            let off = try #require(row.actualEnd.flatMap(LogTime.date))
            #expect(off.timeIntervalSince(killed) < 3.5, "off the air \(off.timeIntervalSince(killed)) s after the browser died")
        }
    }
}

/// A station of two channels whose message is on air, its daemon, and its console over HTTPS
/// with one operator account.
final class LiveConsole: @unchecked Sendable {
    let folder = TemporaryFolder()
    let daemon = Process(), console = Process()
    var station: String { folder.path }
    var log: String { folder.path + "/log.sqlite" }
    var tone: URL { folder.file("micro.wav") }
    let port = 19_000 + Int(getpid() % 1000)

    static func start() async throws -> LiveConsole {
        let run = LiveConsole()
        let (clock, _) = try await RelayDaemonTests.soon()
        // The cut message (40 s) cannot air again before the session ends: each channel's file keeps what cut it.
        LiveDaemonTests.writeStation(run.folder, session: "{id: sang, name: Buổi sáng, start: \"\(clock(10))\", end: \"\(clock(50))\", channels: all}")
        AudioFixture.tone(run.tone, seconds: 10, rate: 48_000, frequency: 1_000)
        let account = try await offThePool {
            try LoaProcess.run(
                ["console", "add-account", run.station, "an", "--display-name", "Nguyễn Văn An", "--log", run.log], input: "mat-khau-an\n")
        }
        #expect(account.status == 0, "\(account.stderr)")
        for (process, arguments, name) in [
            (run.daemon, ["run", run.station, "--log", run.log], "daemon.txt"),
            (run.console, ["console", run.station, "--log", run.log, "--listen", "127.0.0.1:\(run.port)", "--https", "127.0.0.1:\(run.port + 1000)"], "console.txt"),
        ] {
            process.executableURL = LoaProcess.binary
            process.arguments = arguments
            _ = FileManager.default.createFile(atPath: run.folder.file(name).path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: run.folder.file(name))
            process.standardError = process.standardOutput
            try process.run()
        }
        try await DaemonTests.waitFor("the message to go on air", output: run.folder.file("daemon.txt"), timeout: 30) {
            run.rows().filter { $0.role == .message && $0.outcome == .playing }.count == 2
        }
        return run
    }

    func loginLink() throws -> String {
        let link = try LoaProcess.run(
            ["console", "login-link", station, "an", "--url", "https://127.0.0.1:\(port + 1000)", "--next", "/truc-tiep", "--log", log])
        #expect(link.status == 0, "\(link.stderr)")
        return link.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func rows() -> [BroadcastRecord] { (try? BroadcastLog.existing(path: log).records()) ?? [] }

    func waitForLiveRows(_ count: Int) async throws {
        try await DaemonTests.waitFor(
            "the live rows to settle", output: folder.file("daemon.txt"), timeout: 40,
            state: { (try? String(contentsOf: self.folder.file("console.txt"), encoding: .utf8)) ?? "" }
        ) {
            self.rows().filter { $0.role.isLive && $0.outcome != .playing }.count == count
        }
    }

    /// What a channel's file holds, in 16-bit frames of `channels` (a mono file plays as mono).
    func heard(_ device: String, channels: Int = 2) -> [SecondTone.Heard] {
        let capture = (try? Data(contentsOf: folder.file(device))) ?? Data()
        let samples = capture.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        return SecondTone.read(channels == 2 ? samples : samples.flatMap { [$0, $0] }, bases: [])
    }

    func stop() {
        for process in [console, daemon] where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
