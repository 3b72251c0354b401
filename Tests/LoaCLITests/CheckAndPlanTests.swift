import Foundation
import LoaTestSupport
import Testing

/// The CLI end to end, on the bundled Kha Sơn example and on broken copies of it.
@Suite struct CheckAndPlanTests {
    static let example = LoaProcess.repository.appendingPathComponent("schedules/kha-son").path

    @Test func checkPassesOnTheExampleFromAnyDirectory() throws {
        let result = try LoaProcess.run(["check", Self.example], in: URL(fileURLWithPath: "/tmp"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Đài truyền thanh xã Kha Sơn: 4 kênh, 3 buổi phát, 3 chiến dịch"))
    }

    @Test func checkReportsEveryProblemWithLocationsAndFails() throws {
        let copy = try Self.copyOfExample()
        let station = copy.url.appendingPathComponent("station.yaml")
        var text = try String(contentsOf: station, encoding: .utf8)
        text = text.replacingOccurrences(of: "    gain-db: -3\n", with: "    gain: -3\n")
        text = text.replacingOccurrences(of: "    end: \"06:00\"", with: "    end: \"05:15\"")
        try text.write(to: station, atomically: true, encoding: .utf8)
        try Data("not audio".utf8).write(to: copy.url.appendingPathComponent("audio/chuyen-doi-so.wav"))

        let result = try LoaProcess.run(["check", copy.path])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(copy.path)/station.yaml:26:5: error: unknown key 'gain' in a channel; did you mean 'gain-db'?"), "\(lines)")
        #expect(lines.contains("\(copy.path)/station.yaml:32:5: error: unknown key 'gain' in a channel; did you mean 'gain-db'?"))
        #expect(lines.contains("\(copy.path)/station.yaml:60:10: error: session 'sang' ends (05:15) before it starts (05:30)"))
        #expect(lines.contains {
            $0.hasPrefix("\(copy.path)/campaigns/chuyen-doi-so-2024.yaml:13:12: error: audio 'chuyen-doi-so.wav': ")
        }, "\(lines)")
        #expect(lines.last == "\(copy.path): 4 error(s), 0 warning(s)")
    }

    @Test func planAsJSONHasTheDocumentedShape() throws {
        let result = try LoaProcess.run(["plan", Self.example, "--from", "2024-12-02", "--to", "02/12/2024", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["station"] as? String == "Đài truyền thanh xã Kha Sơn")
        #expect(object["from"] as? String == "2024-12-02" && object["to"] as? String == "2024-12-02")
        let entries = try #require(object["entries"] as? [[String: Any]])
        let first = try #require(entries.first)
        #expect(first["id"] as? String == "2024-12-02/fm/sang/opening")
        #expect(first["start"] as? String == "2024-12-02T05:30:00+07:00")
        #expect(first["campaign"] is NSNull)
        #expect((first["duration"] as? Double).map { abs($0 - 2.4) < 0.001 } == true)
        let messages = entries.filter { $0["campaign"] is String }
        // Monday: two campaigns at 2 plays a day on 4 channels.
        #expect(messages.count == 16)
        #expect(Set(entries.compactMap { $0["channel"] as? String }) == ["fm", "loa-cum-1", "loa-cum-2", "loa-cum-3"])
        #expect((object["shortfalls"] as? [Any])?.isEmpty == true)
    }

    @Test func planTextAndCSVReadWell() throws {
        let text = try LoaProcess.run(["plan", Self.example, "--from", "2024-11-25", "--to", "2024-11-25"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Thứ Hai, 25/11/2024"))
        #expect(text.stdout.contains("  Buổi sáng 05:30-06:00\n    Hệ thống FM xã [fm]\n      05:30:00  0:03  Nhạc hiệu mở đầu"))
        #expect(text.stdout.contains("      05:45:00  15:00  Tiếp sóng VOV1: https://stream.vov.vn/vov1/playlist.m3u8\n"))
        let csv = try LoaProcess.run(["plan", Self.example, "--from", "2024-11-25", "--to", "2024-11-25", "--format", "csv"])
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first == "id,date,channel,session,role,start,end,campaign,message,audio,duration")
        #expect(rows.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 11 })
    }

    @Test func strictExitsThreeOnShortfallsAndSaysWhy() throws {
        let copy = try Self.copyOfExample()
        // Two-minute morning and evening sessions (their relays taken out) cannot hold 40 plays a day.
        let campaign = copy.url.appendingPathComponent("campaigns/lua-dao-truc-tuyen-2024.yaml")
        try String(contentsOf: campaign, encoding: .utf8)
            .replacingOccurrences(of: "plays-per-day: 2", with: "plays-per-day: 40")
            .write(to: campaign, atomically: true, encoding: .utf8)
        let station = copy.url.appendingPathComponent("station.yaml")
        try String(contentsOf: station, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("    relay: ") }.joined(separator: "\n")
            .replacingOccurrences(of: "end: \"06:00\"", with: "end: \"05:32\"")
            .replacingOccurrences(of: "end: \"17:45\"", with: "end: \"17:02\"")
            .write(to: station, atomically: true, encoding: .utf8)

        let check = try LoaProcess.run(["check", copy.path])
        #expect(check.status == 0)
        #expect(check.stderr.contains("warning: campaign 'lua-dao-truc-tuyen-2024' needs 40 play(s)"), "\(check.stderr)")

        let lenient = try LoaProcess.run(["plan", copy.path, "--from", "2024-11-25", "--to", "2024-11-25", "--format", "json"])
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("\"reason\": \"session-full\""))
        let strict = try LoaProcess.run(["plan", copy.path, "--from", "2024-11-25", "--to", "2024-11-25", "--strict"])
        #expect(strict.status == 3)
        #expect(strict.stdout.contains("CHƯA XẾP ĐƯỢC"))
        #expect(strict.stderr.contains("could not be planned"))
    }

    @Test func planRefusesABrokenConfig() throws {
        let copy = try Self.copyOfExample()
        try Data("id: [".utf8).write(to: copy.url.appendingPathComponent("campaigns/hong.yaml"))
        let result = try LoaProcess.run(["plan", copy.path, "--from", "2024-11-25", "--to", "2024-11-25"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("campaigns/hong.yaml:2:1: error: invalid YAML"), "\(result.stderr)")
    }

    @Test func probeDescribesFilesAndFailsOnBadOnes() throws {
        let audio = LoaProcess.repository.appendingPathComponent("audio").path
        let good = try LoaProcess.run(["probe", "\(audio)/lua-dao-tong-dai.mp3"])
        #expect(good.status == 0)
        #expect(good.stdout.contains("MP3 Layer III, 16000 Hz, mono"))
        let bad = try LoaProcess.run(["probe", "\(audio)/khong-co.mp3"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("khong-co.mp3: file not found"))
    }

    /// A writable copy of the example station, with its own audio library.
    static func copyOfExample() throws -> TemporaryFolder {
        let copy = TemporaryFolder()
        let files = FileManager.default
        let source = LoaProcess.repository
        try files.removeItem(at: copy.url)
        try files.copyItem(at: source.appendingPathComponent("schedules/kha-son"), to: copy.url)
        try files.copyItem(at: source.appendingPathComponent("audio"), to: copy.url.appendingPathComponent("audio"))
        let station = copy.url.appendingPathComponent("station.yaml")
        let text = try String(contentsOf: station, encoding: .utf8)
            .replacingOccurrences(of: "audio-library: ../../audio", with: "audio-library: audio")
        try text.write(to: station, atomically: true, encoding: .utf8)
        return copy
    }
}
