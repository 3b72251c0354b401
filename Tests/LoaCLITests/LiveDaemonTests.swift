import Foundation
import LoaControl
import LoaLog
import LoaTestSupport
import Testing

/// `loa run` takes live broadcasts (nói trực tiếp) on its live socket, as the console hands them
/// over: a speaker cuts in on what is on air, every channel airs the voice, the log and the
/// recording prove it, and a phone that goes quiet never leaves the loudspeakers open.
@Suite(.serialized) struct LiveDaemonTests {
    @Test func anEmergencyLiveBroadcastCutsInOnEveryChannelAndIsLoggedAndRecorded() async throws {
        let folder = TemporaryFolder()
        let (clock, _) = try await RelayDaemonTests.soon()
        // The cut message (40 s) cannot air again before the session ends: each channel's file keeps the voice.
        Self.writeStation(folder, session: "{id: sang, name: Buổi sáng, start: \"\(clock(8))\", end: \"\(clock(50))\", channels: all}")
        let (daemon, output, logPath) = try await Self.runUntilOnAir(folder)
        defer { if daemon.isRunning { daemon.terminate() } }
        @Sendable func rows() -> [BroadcastRecord] { (try? BroadcastLog.existing(path: logPath).records()) ?? [] }

        let statuses = try await offThePool {
            let speaker = try LiveSpeaker(logPath: logPath, start: LiveStart(id: "t1", account: "an", speaker: "Nguyễn Văn An", channels: nil, level: .emergency))
            // The page says "mời nói" once the channels are on air, as the item on air fades out.
            let both = speaker.waitFor(.onAir) { $0.channels.count == 2 }
            let spoken = speaker.speakAside(seconds: 4, frequency: 1_000)
            let status = try LoaProcess.run(["status", folder.path, "--log", logPath])
            spoken.wait()
            speaker.end()
            return (both, status.stdout, speaker.waitFor(.ended))
        }
        #expect(statuses.0?.channels == ["fm", "loa-1"], "\(String(describing: statuses.0))")
        #expect(statuses.1.contains("Đang phát trực tiếp: Nguyễn Văn An"), "\(statuses.1)")
        let ended = try #require(statuses.2)
        #expect(ended.recording?.hasPrefix("truc-tiep-") == true && ended.seconds.map { abs($0 - 4) < 0.2 } == true, "\(ended)")
        try await DaemonTests.waitFor("the live rows to settle", output: output) {
            rows().filter { $0.role == .liveEmergency && $0.outcome.isFinal }.count == 2
        }
        daemon.terminate()
        daemon.waitUntilExit()

        let all = rows()
        let live = all.filter { $0.role == .liveEmergency }
        for row in live {
            #expect(row.outcome == .completed && row.message == "Nguyễn Văn An" && row.session == "live", "\(row)")
            // What aired: the voice (from the live point), then a half-second fade.
            #expect(row.playedSeconds > 3.7 && row.playedSeconds < 5, "\(row.playedSeconds)")
            #expect(row.audioSHA256 != nil && FileManager.default.fileExists(atPath: row.audio), "\(row)")
        }
        let cut = all.filter { $0.role == .message && $0.outcome == .interrupted }
        #expect(cut.count == 2 && cut.allSatisfy { $0.reasonCode == .preempted }, "the message on air was cut: \(all)")
        // Each channel's file holds its last item: the live voice, a 1 kHz tone.
        for device in ["fm.raw", "loa-1.raw"] {
            let capture = (try? Data(contentsOf: folder.file(device))) ?? Data()
            let heard = SecondTone.read(capture.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }, bases: [])
            // 4 s in 0.2 s windows: 20, less those across the start, the end and a late frame on a loaded machine.
            #expect(heard.filter { $0 == .tone(1_000) }.count >= 14, "\(device): \(heard)")
        }
        let recording = try #require(live.first.map { URL(fileURLWithPath: $0.audio) })
        let recorded = try await offThePool { try LoaProcess.run(["probe", recording.path]) }
        #expect(recorded.status == 0 && recorded.stdout.contains("FLAC"), "\(recorded.stdout)\(recorded.stderr)")
        let verify = try await offThePool { try LoaProcess.run(["log", "verify", folder.path, "--log", logPath]) }
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// A second speaker is told who is on air; a phone that stops sending is cut within 3 s,
    /// with a fade, and its row says the connection was lost.
    @Test func aSecondSpeakerIsRefusedAndAQuietPhoneIsCutOff() async throws {
        let folder = TemporaryFolder()
        let (clock, _) = try await RelayDaemonTests.soon()
        // The cut message (40 s) airs again whenever the voice ends.
        Self.writeStation(folder, session: "{id: sang, name: Buổi sáng, start: \"\(clock(8))\", end: \"\(clock(100))\", channels: all}")
        let (daemon, output, logPath) = try await Self.runUntilOnAir(folder)
        defer { if daemon.isRunning { daemon.terminate() } }
        @Sendable func rows() -> [BroadcastRecord] { (try? BroadcastLog.existing(path: logPath).records()) ?? [] }

        let (refused, lastSent, ended) = try await offThePool {
            let first = try LiveSpeaker(logPath: logPath, start: LiveStart(id: "a", account: "an", speaker: "Nguyễn Văn An", channels: ["fm"], level: .emergency))
            let spoken = first.speakAside(seconds: 2, frequency: 1_000)
            _ = first.waitFor(.onAir)
            let second = try LiveSpeaker(logPath: logPath, start: LiveStart(id: "b", account: "binh", speaker: "Trần Thị Bình", channels: nil, level: .emergency))
            let refused = second.waitFor(.refused)
            spoken.wait()
            let lastSent = Date()
            // The phone locks its screen: the connection stays, nothing more comes.
            return (refused, lastSent, first.waitFor(.ended, timeout: 10))
        }
        #expect(refused?.speaker == "Nguyễn Văn An" && refused?.message?.contains("đang nói trực tiếp") == true, "\(String(describing: refused))")
        #expect(ended?.message?.contains("Mất kết nối") == true, "\(String(describing: ended))")
        try await DaemonTests.waitFor("the cut message to air again", output: output) {
            rows().contains { $0.role == .liveEmergency && $0.outcome != .playing }
                && rows().filter { $0.role == .message && $0.channel == "fm" }.count == 2
        }
        // The daemon stops at once, the message on air (it used to read its config again on the
        // way out, probing every audio file: 5-20 s here, about one stop in two).
        let stopping = Date()
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(Date().timeIntervalSince(stopping) < 4, "stopped in \(Date().timeIntervalSince(stopping)) s")
        let live = rows().filter { $0.role == .liveEmergency }
        let row = try #require(live.first)
        #expect(live.count == 1 && row.channel == "fm", "only the first speaker's channel: \(live)")
        #expect(row.outcome == .interrupted && row.reasonCode == .connectionLost, "\(row)")
        let off = try #require(row.actualEnd.flatMap(LogTime.date))
        #expect(off.timeIntervalSince(lastSent) < 4, "off the air \(off.timeIntervalSince(lastSent)) s after the last word")
        // The loudspeaker on the other channel was never taken.
        #expect(!rows().contains { $0.channel == "loa-1" && $0.role.isLive })
    }

    /// A 40 s message on two channels in `session`.
    static func writeStation(_ folder: TemporaryFolder, session: String) {
        AudioFixture.tone(folder.file("audio/tin.wav"), seconds: 40, rate: 48_000, frequency: 300)
        folder.write("station.yaml", """
            station:
              name: Đài thử nói trực tiếp
              audio-library: audio
            channels:
              - {id: fm, kind: fm, name: FM, device: "file:'\(folder.path)/fm.raw',raw"}
              - {id: loa-1, kind: loudspeaker, name: Loa 1, device: "file:'\(folder.path)/loa-1.raw',raw"}
            sessions:
              - \(session)
            """)
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, formatOptions: [.withFullDate])
        folder.write("campaigns/tin.yaml", """
            id: tin
            title: Tin của xã
            window: {first: \(today), last: \(today)}
            messages: [tin.wav]
            plays-per-day: 1
            """)
    }

    static func runUntilOnAir(_ folder: TemporaryFolder) async throws -> (Process, URL, String) {
        let output = folder.file("daemon.txt"), logPath = folder.path + "/log.sqlite"
        let daemon = try DaemonTests.start(folder, output: output)
        do {
            try await DaemonTests.waitFor("the message to go on air", output: output, timeout: 30) {
                ((try? BroadcastLog.existing(path: logPath).records()) ?? []).filter { $0.role == .message && $0.outcome == .playing }.count == 2
            }
        } catch {
            daemon.terminate()
            throw error
        }
        return (daemon, output, logPath)
    }
}

/// The console's side of the live socket, as a test drives it: a start, tones in 20 ms frames
/// paced in real time, the end; and the daemon's answers.
final class LiveSpeaker: @unchecked Sendable {
    let link: LiveLink
    private var sequence: UInt32 = 0
    private var phase = 0.0

    init(logPath: String, start: LiveStart) throws {
        link = try LiveLink.connect(logPath: logPath)
        link.send(.start(try JSONEncoder().encode(start)))
    }

    /// `seconds` of a tone, sent as it would be spoken.
    func speak(seconds: Double, frequency: Double) {
        let began = Date(), frames = 960
        for n in 0..<Int(seconds * 50) {
            let samples = (0..<frames).map { _ -> Int16 in
                phase += 2 * .pi * frequency / 48_000
                return Int16(sin(phase) * 16_000)
            }
            sequence += 1
            link.send(.audio(sequence: sequence, captured: Date().timeIntervalSince1970 * 1000, samples: samples))
            let due = began.addingTimeInterval(Double(n + 1) * 0.02)
            if due > Date() { Thread.sleep(until: due) }
        }
    }

    /// ``speak(seconds:frequency:)`` on a thread of its own, while this one reads the answers.
    func speakAside(seconds: Double, frequency: Double) -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread { [self] in
            speak(seconds: seconds, frequency: frequency)
            group.leave()
        }
        return group
    }

    func end() { link.send(.end) }

    /// The daemon's answers until one in `state` that `matches` (nil if none within `timeout`).
    func waitFor(_ state: LiveStatus.State, timeout: Double = 15, _ matches: (LiveStatus) -> Bool = { _ in true }) -> LiveStatus? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard case .frame(.start(let json)) = link.receive(timeout: 0.2) else { continue }
            if let status = try? JSONDecoder().decode(LiveStatus.self, from: json), status.state == state, matches(status) { return status }
        }
        return nil
    }
}
