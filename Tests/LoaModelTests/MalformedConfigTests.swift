import Foundation
import LoaModel
import LoaTestSupport
import Testing

/// Config of any shape gives located errors, never a crash; one bad campaign is set aside and the
/// others air; what a config may ask is bounded.
@Suite struct MalformedConfigTests {
    @Test func aCampaignWithNoMessagesKeyIsALocatedErrorNotACrash() throws {
        let folder = StationFolder(campaigns: ["thu.yaml": "id: thu\ntitle: Thử\nwindow: {first: 2024-11-25, last: 2024-11-30}\n"])
        let checked = folder.check()
        #expect(checked.shortDiagnostics.contains("campaigns/thu.yaml:1:1: error: a campaign is missing required key 'messages'"))
    }

    /// A half-saved file: every prefix of a good station and campaign file, cut at every byte.
    @Test func everyTruncationOfAGoodFileLoadsWithLocatedDiagnostics() throws {
        let texts = [("campaigns/thu.yaml", StationFolder.campaign), ("station.yaml", StationFolder.station)]
        for (name, text) in texts {
            let bytes = Array(text.utf8)
            let folder = StationFolder()
            for cut in stride(from: 0, to: bytes.count, by: 1) {
                folder.folder.write(name, String(decoding: bytes[..<cut], as: UTF8.self))
                let checked = folder.check()
                // Every error names a file of the station and a line that exists in it.
                for diagnostic in checked.diagnostics {
                    #expect(diagnostic.location.file.hasPrefix(folder.path), "\(diagnostic)")
                    #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= max(1, text.split(separator: "\n").count + 1), "\(diagnostic)")
                }
                if cut < bytes.count / 2 { #expect(checked.diagnostics.hasErrors || name == "campaigns/thu.yaml" && cut == 0) }
            }
        }
    }

    @Test func aBadCampaignIsSetAsideAndTheOthersAir() throws {
        let folder = StationFolder(campaigns: [
            "thu.yaml": StationFolder.campaign,
            "hong.yaml": "id: hong\ntitle: Hỏng\nwindow: {first: 2024-11-25, last: 2024-11-30}\nmessages: [khong-co.wav]\n",
            "cut.yaml": "id: [",
        ])
        let checked = folder.check()
        #expect(checked.diagnostics.hasErrors)
        let runnable = try #require(checked.runnable, "\(checked.shortDiagnostics)")
        #expect(runnable.station.campaigns.map(\.id) == ["thu"])
        #expect(runnable.setAside.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["cut.yaml", "hong.yaml"])
        #expect(runnable.setAside.allSatisfy { !$0.errors.isEmpty })
    }

    @Test func anErrorInTheStationFileLeavesNothingRunnable() {
        let broken = StationFolder.station.replacingOccurrences(of: "start: \"17:00\"", with: "start: \"25:00\"")
        let checked = StationFolder(station: broken).check()
        #expect(checked.diagnostics.hasErrors)
        #expect(checked.runnable == nil)
    }

    @Test func windowsAndDatesAreBounded() {
        func window(_ first: String, _ last: String) -> [String] {
            let campaign = StationFolder.campaign.replacingOccurrences(
                of: "{first: 2024-11-25, last: 2024-11-30}", with: "{first: \(first), last: \(last)}")
            return StationFolder(campaigns: ["thu.yaml": campaign]).check().shortDiagnostics
        }
        let started = ContinuousClock.now
        #expect(window("0001-01-01", "9999-12-31").contains {
            $0.contains("error: 'first' must be a date in the years 2000-2099, not '0001-01-01'")
        })
        #expect(window("2024-01-01", "2099-12-31").contains {
            $0.contains("error: the window 01/01/2024-31/12/2099 is longer than 1096 days")
        })
        #expect(window("2024-01-01", "2026-12-31").allSatisfy { !$0.contains("error") })
        // The bound keeps the whole check short: before it, this took 26 s.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func listsAndFilesAreBounded() throws {
        let many = (0..<300).map { "  - tin-\($0).wav" }.joined(separator: "\n")
        let campaign = "id: thu\ntitle: Thử\nwindow: {first: 2024-11-25, last: 2024-11-30}\nmessages:\n\(many)\n"
        let checked = StationFolder(campaigns: ["thu.yaml": campaign]).check()
        #expect(checked.shortDiagnostics.contains("campaigns/thu.yaml:5:3: error: 'messages' has 300 entries; at most 100 are allowed"))
        let huge = StationFolder(campaigns: ["thu.yaml": "# " + String(repeating: "x", count: 600 * 1024)])
        #expect(huge.check().shortDiagnostics.contains { $0.contains("campaigns/thu.yaml:1:1: error: the file is") && $0.contains("at most 524288") })
    }

    @Test func anAliasBombIsRefusedEarly() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        let bomb = lines.joined(separator: "\n") + "\nid: thu\n"
        let started = ContinuousClock.now
        let checked = StationFolder(campaigns: ["thu.yaml": bomb]).check()
        #expect(checked.shortDiagnostics.contains { $0.contains("error: the file has more than 20000 YAML values") })
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
