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

    @Test func overlappingSessionsOnOneChannelAreAnError() {
        let station = StationFolder.station.replacingOccurrences(
            of: "    start: \"17:00\"\n    end: \"17:10\"\n", with: "    start: \"05:35\"\n    end: \"05:50\"\n")
        let all = StationFolder(station: station).check().shortDiagnostics
        #expect(all.contains(
            "station.yaml:25:12: error: session 'chieu' (05:35-05:50) overlaps session 'sang' (05:30-05:40) on channel 'fm', 'loa-1'"),
            "\(all)")
    }

    @Test func sessionsOnDifferentDaysDoNotOverlap() {
        let station = StationFolder.station
            .replacingOccurrences(of: "    start: \"17:00\"\n    end: \"17:10\"\n",
                with: "    days: [sat, cn]\n    start: \"05:35\"\n    end: \"05:50\"\n")
            .replacingOccurrences(of: "    name: Buổi sáng\n", with: "    name: Buổi sáng\n    days: [t2, t3, t4, t5, t6]\n")
        let checked = StationFolder(station: station).check()
        #expect(checked.diagnostics.isEmpty, "\(checked.shortDiagnostics)")
    }

    @Test func missingAudioIsNamedWithItsLocation() {
        let campaign = StationFolder.campaign.replacingOccurrences(of: "tin-1.wav", with: "khong-co.wav")
        let all = StationFolder(campaigns: ["thu.yaml": campaign]).check().shortDiagnostics
        #expect(all.contains { $0.hasPrefix("campaigns/thu.yaml:6:5: error: audio 'khong-co.wav': file not found") }, "\(all)")
    }

    @Test func audioLongerThanEverySessionIsAnError() {
        let all = StationFolder().check(durations: ["tin-1.wav": 900]).shortDiagnostics
        #expect(all.contains(
            "campaigns/thu.yaml:6:5: error: message 'tin-1' lasts 900 s, longer than every session it could go in (at most 600 s free)"),
            "\(all)")
    }

    @Test func quotaBeyondCapacityIsAWarningWithNumbers() {
        let campaign = StationFolder.campaign.replacingOccurrences(of: "plays-per-day: 2", with: "plays-per-day: 40")
        let checked = StationFolder(campaigns: ["thu.yaml": campaign]).check(durations: ["tin-1.wav": 60, "tin-2.mp3": 60])
        let all = checked.shortDiagnostics
        #expect(!checked.diagnostics.hasErrors, "\(all)")
        // Two 600 s sessions; sang loses 4 s to its opening and gap: 9 + 9 plays of 60 s with 2 s gaps.
        #expect(all.contains(
            "campaigns/thu.yaml:4:16: warning: campaign 'thu' needs 40 play(s) of about 60 s on channel 'fm' but its sessions there hold only 18 on 6 day(s) (first 25/11/2024), even before other campaigns take their share"),
            "\(all)")
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

    @Test func campaignIDsMustBeUniqueAcrossFiles() {
        let all = StationFolder(campaigns: ["a.yaml": StationFolder.campaign, "b.yaml": StationFolder.campaign])
            .check().shortDiagnostics
        #expect(all.contains { $0.hasPrefix("campaigns/b.yaml:1:5: error: duplicate campaign id 'thu'") }, "\(all)")
    }
}
