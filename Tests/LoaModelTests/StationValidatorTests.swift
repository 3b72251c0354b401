import Foundation
import LoaModel
import LoaTestSupport
import Testing

/// The rules that need the whole station and its audio: overlaps, audio that cannot fit, quotas
/// beyond the sessions' room, ids unique across files.
@Suite struct StationValidatorTests {
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

    @Test func campaignIDsMustBeUniqueAcrossFiles() {
        let all = StationFolder(campaigns: ["a.yaml": StationFolder.campaign, "b.yaml": StationFolder.campaign])
            .check().shortDiagnostics
        #expect(all.contains { $0.hasPrefix("campaigns/b.yaml:1:5: error: duplicate campaign id 'thu'") }, "\(all)")
    }
}
