import Foundation
import LoaModel
import LoaTestSupport
import Testing

@Suite struct StationLoaderTests {
    @Test func validStationLoadsWithNoDiagnostics() throws {
        let folder = StationFolder()
        let checked = folder.check()
        #expect(checked.diagnostics.isEmpty, "\(checked.shortDiagnostics)")
        let station = try #require(checked.station)
        #expect(station.name == "Đài xã Thử")
        #expect(station.timeZone == "Asia/Ho_Chi_Minh")
        #expect(station.channels.map(\.id) == ["fm", "loa-1"])
        #expect(station.channels[1].kind == .loudspeaker)
        #expect(station.sessions.map(\.id) == ["sang", "chieu"])
        #expect(station.sessions[0].start == TimeOfDay(hour: 5, minute: 30))
        #expect(station.sessions[0].channels == ["fm", "loa-1"])
        let campaign = try #require(station.campaigns.first)
        #expect(campaign.quota == .perDay(2))
        #expect(campaign.messages.map(\.id) == ["tin-1", "tin-2"])
        #expect(campaign.messages.map(\.weight) == [1, 2])
        #expect(campaign.window.first == CivilDate(year: 2024, month: 11, day: 25))
        #expect(campaign.channels == ["fm", "loa-1"])
        #expect(campaign.sessions == ["sang", "chieu"])
    }

    @Test func audioPathsResolveFromAnyWorkingDirectory() throws {
        let folder = StationFolder()
        let here = FileManager.default.currentDirectoryPath
        defer { FileManager.default.changeCurrentDirectoryPath(here) }
        FileManager.default.changeCurrentDirectoryPath("/")
        let station = try #require(folder.check().station)
        let url = station.campaigns[0].messages[0].audio.url
        #expect(url.path == folder.folder.url.appendingPathComponent("audio/tin-1.wav").standardizedFileURL.path)
    }

    @Test func yamlSyntaxErrorIsLocated() {
        let folder = StationFolder(station: "station:\n  name: [unclosed\nchannels: []\n")
        let checked = folder.check()
        #expect(checked.station == nil)
        #expect(checked.shortDiagnostics.count == 1)
        #expect(checked.shortDiagnostics.first?.hasPrefix("station.yaml:3:") == true, "\(checked.shortDiagnostics)")
        #expect(checked.shortDiagnostics.first?.contains("invalid YAML") == true)
    }

    @Test func unknownKeySuggestsTheRightOne() {
        let station = StationFolder.station.replacingOccurrences(of: "    device: \"null\"\n  - id: loa-1",
            with: "    devise: \"null\"\n  - id: loa-1")
        let checked = StationFolder(station: station).check()
        #expect(checked.shortDiagnostics.contains(
            "station.yaml:11:5: error: unknown key 'devise' in a channel; did you mean 'device'?"),
            "\(checked.shortDiagnostics)")
        #expect(checked.shortDiagnostics.contains(
            "station.yaml:8:5: error: a channel is missing required key 'device'"), "\(checked.shortDiagnostics)")
    }

    @Test func everyProblemIsReportedInOneRun() {
        let station = StationFolder.station
            .replacingOccurrences(of: "  - id: loa-1\n", with: "  - id: fm\n")
            .replacingOccurrences(of: "    end: \"17:10\"\n", with: "    end: \"16:10\"\n")
            .replacingOccurrences(of: "    start: \"05:30\"\n", with: "    start: \"04:30\"\n")
        let campaign = StationFolder.campaign
            .replacingOccurrences(of: "last: 2024-11-30", with: "last: 2024-11-20")
            .replacingOccurrences(of: "plays-per-day: 2\n", with: "plays-per-day: 2\nchannels: [fm, loa-9]\nsessions: [sang, trua]\n")
        let checked = StationFolder(station: station, campaigns: ["thu.yaml": campaign]).check()
        let all = checked.shortDiagnostics
        #expect(all.contains("station.yaml:12:5: error: duplicate channel id 'fm' (first defined at line 8)"), "\(all)")
        #expect(all.contains("station.yaml:26:10: error: session 'chieu' ends (16:10) before it starts (17:00)"), "\(all)")
        #expect(all.contains {
            $0.hasPrefix("station.yaml:19:12: error: session 'sang' starts at 04:30, before the station's earliest")
        }, "\(all)")
        #expect(all.contains("campaigns/thu.yaml:3:35: error: the window ends (20/11/2024) before it starts (25/11/2024)"), "\(all)")
        // No suggestion: the only channel near 'loa-9' was the one renamed to a duplicate 'fm'.
        #expect(all.contains("campaigns/thu.yaml:5:16: error: unknown channel 'loa-9'"), "\(all)")
        #expect(all.contains("campaigns/thu.yaml:6:18: error: unknown session 'trua'"), "\(all)")
        #expect(checked.diagnostics.hasErrors)
    }

    @Test func vietnameseFileNamesResolveInNFCAndNFD() throws {
        let nfc = "lừa-đảo.wav".precomposedStringWithCanonicalMapping
        let nfd = "lừa-đảo.wav".decomposedStringWithCanonicalMapping
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        for (stored, written) in [(nfc, nfd), (nfd, nfc)] {
            let folder = StationFolder(campaigns: [
                "thu.yaml": StationFolder.campaign.replacingOccurrences(of: "tin-1.wav", with: written)
            ])
            AudioFixture.tone(folder.folder.file("audio/" + stored), seconds: 3)
            let checked = folder.check()
            #expect(checked.diagnostics.isEmpty, "\(checked.shortDiagnostics)")
            let url = try #require(checked.station?.campaigns.first?.messages.first?.audio.url)
            #expect(FileManager.default.fileExists(atPath: url.path))
        }
    }

    @Test func weekdaysAcceptEnglishAndVietnameseNames() throws {
        let station = StationFolder.station.replacingOccurrences(
            of: "    name: Buổi chiều\n", with: "    name: Buổi chiều\n    days: [mon, t3, CN]\n")
        let checked = StationFolder(station: station).check()
        let days = try #require(checked.station?.sessions[1].days)
        #expect(days == DaySet([.monday, .tuesday, .sunday]))
    }
}
