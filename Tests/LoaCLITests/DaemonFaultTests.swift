import Foundation
import LoaLog
import LoaModel
import LoaTestSupport
import Testing

/// `loa run` as a process against the faults an unattended station meets: bad config at start and
/// while running, a config edit while an item is on air, and a log disk that fills up.
@Suite(.serialized) struct DaemonFaultTests {
    /// A station whose one session starts `lead` seconds from now and holds one campaign of the
    /// given tones (seconds each, 8 kHz mono), played once each on channel `fm`, whose device
    /// appends every play to `fm.raw` (through a pipe: a `file` PCM would truncate at each open).
    struct LiveStation {
        let folder = TemporaryFolder()
        let date: CivilDate
        let start: Int
        var logPath: String
        var capture: URL { folder.file("fm.raw") }

        init(lead: Double = 4, tones: [Double], logFolder: String? = nil) throws {
            let time = StationTime(zone: Station.defaultTimeZone)
            let now = time.wallTime(of: Date().addingTimeInterval(lead))
            date = now.date
            start = Int(now.seconds.rounded(.up))
            try #require(start + 300 < 86_400, "too close to midnight to run this test now")
            logPath = (logFolder ?? folder.path) + "/log.sqlite"
            for (index, seconds) in tones.enumerated() {
                AudioFixture.tone(folder.file("audio/t\(index).wav"), seconds: seconds, rate: 8_000, frequency: 300 + 100 * Double(index))
            }
            folder.write("station.yaml", stationYAML)
            folder.write("campaigns/thu.yaml", """
                id: thu
                title: Thử
                window: {first: \(date), last: \(date)}
                plays-per-session: \(tones.count)
                spacing: 0
                messages: [\(tones.indices.map { "t\($0).wav" }.joined(separator: ", "))]
                """)
        }

        var stationYAML: String {
            """
            station:
              name: Đài thử
              audio-library: audio
            channels:
              - {id: fm, kind: fm, name: FM, device: "file:'| cat >> \(folder.path)/fm.raw',raw"}
            sessions:
              - id: thu
                name: Buổi thử
                start: "\(TimeOfDay(seconds: start).withSeconds)"
                end: "\(TimeOfDay(seconds: start + 240).withSeconds)"
                channels: all
            """
        }

        func rows() -> [BroadcastRecord] { (try? BroadcastLog.existing(path: logPath).records()) ?? [] }

        /// The log's rows as a failed wait shows them.
        var described: @Sendable () -> String {
            { [self] in "(log: \(rows().map { "\($0.message) \($0.outcome) \($0.reasonCode?.rawValue ?? "")" }))" }
        }

        func start(arguments: [String] = []) throws -> (Process, URL) {
            let output = folder.file("daemon-\(UUID().uuidString.prefix(6)).txt")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let process = Process()
            process.executableURL = LoaProcess.binary
            process.arguments = ["run", folder.path, "--log", logPath, "--trust-clock"] + arguments
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return (process, output)
        }

        func status() async throws -> LoaProcess {
            let arguments = ["status", folder.path, "--log", logPath]
            return try await offThePool { try LoaProcess.run(arguments) }
        }
    }

    static func said(_ output: URL) -> String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    @Test func aBadCampaignIsSetAsideAndABadStationFileKeepsTheLastGoodConfig() async throws {
        let station = try LiveStation(tones: [1])
        station.folder.write("campaigns/hong.yaml", "id: hong\ntitle: Hỏng\nwindow: {first: 2024-11-25")
        let (daemon, output) = try station.start()
        defer { if daemon.isRunning { daemon.terminate() } }
        try await DaemonTests.waitFor("the good campaign to air", output: output, timeout: 30, state: station.described) {
            station.rows().contains { $0.campaign == "thu" && $0.outcome == .completed }
        }
        #expect(Self.said(output).contains("campaigns/hong.yaml: campaign set aside for its errors; the others air"))
        let status = try await station.status()
        #expect(status.stdout.contains("Máy phát: đang chạy"), "\(status.stdout)")
        #expect(status.stdout.contains("Chiến dịch bị gác lại (campaign set aside)") && status.stdout.contains("hong.yaml"), "\(status.stdout)")

        station.folder.write("station.yaml", "station: [")
        kill(daemon.processIdentifier, SIGHUP)
        try await DaemonTests.waitFor("the refusal", output: output) { Self.said(output).contains("config refused; keeping the last good one") }
        try await Task.sleep(for: .milliseconds(300))
        #expect(daemon.isRunning, "a bad config never stops a running daemon")
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }

    @Test func aBrokenStationFileAtFirstStartIsWaitedOutThenAired() async throws {
        let station = try LiveStation(lead: 6, tones: [1])
        station.folder.write("station.yaml", "station:\n  name: [cắt ngang")
        let (daemon, output) = try station.start()
        defer { if daemon.isRunning { daemon.terminate() } }
        try await DaemonTests.waitFor("the refusal", output: output) { Self.said(output).contains("nothing to air until station.yaml is fixed") }
        try await Task.sleep(for: .seconds(1))
        #expect(daemon.isRunning, "exiting would have systemd restart it into the same error")
        station.folder.write("station.yaml", station.stationYAML)
        try await DaemonTests.waitFor("the fixed station to air", output: output, timeout: 30, state: station.described) {
            station.rows().contains { $0.outcome == .completed }
        }
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }

    @Test func aConfigEditWhileAnItemIsOnAirLetsItPlayOn() async throws {
        // Items of several seconds, so a test thread kept waiting on a busy machine still sees them on air.
        let station = try LiveStation(tones: [6])
        let (daemon, output) = try station.start()
        defer { if daemon.isRunning { daemon.terminate() } }
        try await DaemonTests.waitFor("the item on air", output: output, timeout: 20, state: station.described) {
            station.rows().contains { $0.outcome == .playing }
        }
        // A comment added to the campaign, and a SIGHUP: the plan is the same, so nothing is cut.
        let campaign = station.folder.file("campaigns/thu.yaml")
        let text = try String(contentsOf: campaign, encoding: .utf8)
        station.folder.write("campaigns/thu.yaml", text + "\n# sửa ghi chú\n")
        kill(daemon.processIdentifier, SIGHUP)
        try await DaemonTests.waitFor("the item to end", output: output, timeout: 20, state: station.described) {
            station.rows().contains { $0.outcome.isFinal }
        }
        try await Task.sleep(for: .seconds(1))
        let rows = station.rows()
        #expect(rows.map(\.outcome) == [.completed], "\(rows.map { "\($0.outcome) \($0.reasonCode?.rawValue ?? "")" })")
        let captured = try Data(contentsOf: station.capture)
        #expect(captured.count == 6 * 8_000 * 2, "aired once, whole: \(captured.count) bytes")

        // Withdrawn while on air: a campaign added, then removed while its item plays, is cut with
        // its reason. Its item is long, so a busy machine still sees it on air.
        AudioFixture.tone(station.folder.file("audio/dai.wav"), seconds: 20, rate: 8_000)
        station.folder.write("campaigns/hai.yaml", """
            id: hai
            title: Hai
            window: {first: \(station.date), last: \(station.date)}
            plays-per-session: 1
            messages: [dai.wav]
            """)
        kill(daemon.processIdentifier, SIGHUP)
        try await DaemonTests.waitFor("the second campaign on air", output: output, timeout: 60, state: station.described) {
            station.rows().contains { $0.campaign == "hai" && $0.outcome == .playing }
        }
        try FileManager.default.removeItem(at: station.folder.file("campaigns/hai.yaml"))
        kill(daemon.processIdentifier, SIGHUP)
        try await DaemonTests.waitFor("the withdrawn item to be cut", output: output, timeout: 60, state: station.described) {
            station.rows().contains { $0.campaign == "hai" && $0.outcome.isFinal || $0.campaign == "hai" && $0.outcome == .interrupted }
        }
        let cut = try #require(station.rows().last { $0.campaign == "hai" })
        #expect(cut.outcome == .interrupted && cut.reasonCode == .withdrawn, "\(cut.outcome) \(cut.reasonCode?.rawValue ?? "")")
        daemon.terminate()
        daemon.waitUntilExit()
    }

    /// The log on a small tmpfs that another program fills while an item is on air.
    @Test func aFullLogDiskNeitherDoublesNorLosesAPlay() async throws {
        guard let mountPoint = ScratchMount(megabytes: 6) else { return }
        let station = try LiveStation(tones: [6, 1], logFolder: mountPoint.path)
        func fill(_ name: String) throws { mountPoint.fill(name) }
        var (daemon, output) = try station.start()
        defer { if daemon.isRunning { daemon.terminate() } }
        try await DaemonTests.waitFor("the first item on air", output: output, timeout: 20, state: station.described) {
            station.rows().contains { $0.outcome == .playing }
        }
        try fill("fill-1")
        try await DaemonTests.waitFor("the first item settled although the disk is full", output: output, timeout: 20, state: station.described) {
            station.rows().contains { $0.message == "t0" && $0.outcome == .completed }
        }
        // The reserve was given up to settle it; fill that room too, then kill and restart on the
        // full disk: the daemon must neither exit nor play.
        try fill("fill-2")
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        (daemon, output) = try station.start()
        try await Task.sleep(for: .seconds(4))
        #expect(daemon.isRunning, "a daemon restarted on a full disk waits")
        let status = try await station.status()
        #expect(status.stdout.contains("LỖI NHẬT KÝ") && status.stdout.contains(mountPoint.path), "\(status.stdout) \(status.stderr)")
        #expect(!status.stdout.contains("Đang phát: t"), "nothing is on air: \(status.stdout)")
        let whileFull = try Data(contentsOf: station.capture).count
        #expect(whileFull == 6 * 8_000 * 2, "only the first item aired while the disk was full: \(whileFull) bytes")

        // Space returns: the second item airs, late but within the grace, and nothing twice.
        try FileManager.default.removeItem(atPath: mountPoint.path + "/fill-1")
        try FileManager.default.removeItem(atPath: mountPoint.path + "/fill-2")
        try await DaemonTests.waitFor("the second item to air once space returns", output: output, timeout: 90, state: station.described) {
            station.rows().contains { $0.message == "t1" && $0.outcome == .completed }
        }
        let finals = Dictionary(grouping: station.rows().filter { $0.outcome.isFinal }, by: \.entryID)
        #expect(finals.count == 2 && finals.values.allSatisfy { $0.count == 1 } && finals.values.allSatisfy { $0[0].outcome == .completed })
        #expect(station.rows().allSatisfy { $0.outcome != .interrupted }, "nothing was replayed")
        let captured = try Data(contentsOf: station.capture).count
        #expect(captured == 6 * 8_000 * 2 + 1 * 8_000 * 2, "each item aired once: \(captured) bytes")
        #expect(try BroadcastLog.existing(path: station.logPath).verify().isIntact)
        daemon.terminate()
        daemon.waitUntilExit()
    }
}
