import Foundation
import LoaModel
import LoaTestSupport
import Testing

/// Relay sources and the relay blocks of sessions: read with their defaults, and every mistake
/// named at its line in English and Vietnamese.
@Suite struct RelayConfigTests {
    static let sources = """
        relay-sources:
          - id: vov1
            name: VOV1
            url: "https://stream.vov.vn/vov1/playlist.m3u8"
            fallback: mo-dau.wav
          - id: thu
            name: Máy thu
            line-in: "hw:1,0"
            silence-db: -40
            silence-seconds: 4
        """

    func station(relay: String, sources: String = Self.sources) -> String {
        StationFolder.station
            .replacingOccurrences(of: "sessions:\n", with: sources + "\nsessions:\n")
            .replacingOccurrences(of: "    end: \"17:10\"\n", with: "    end: \"17:40\"\n    relay: \(relay)\n")
    }

    @Test func relaySourcesAndBlocksAreReadWithTheirDefaults() throws {
        let folder = StationFolder(station: station(relay: "{source: vov1, from: \"17:10\"}"))
        let checked = folder.check()
        #expect(checked.diagnostics.isEmpty, "\(checked.shortDiagnostics)")
        let station = try #require(StationLoader.load(folder: folder.path).station)
        let vov = try #require(station.relaySource("vov1")), receiver = try #require(station.relaySource("thu"))
        #expect(vov.input == .url("https://stream.vov.vn/vov1/playlist.m3u8") && vov.fallback.map(\.path) == ["mo-dau.wav"])
        #expect(vov.stallSeconds == 5 && vov.silenceDB == -28 && vov.silenceSeconds == 10)
        #expect(receiver.input == .lineIn("hw:1,0") && receiver.fallback.isEmpty && receiver.silenceDB == -40 && receiver.silenceSeconds == 4)
        let chieu = try #require(station.sessions.first { $0.id == "chieu" })
        #expect(chieu.relayRanges.map(\.range) == [61_800..<63_600])
        #expect(chieu.ownAirtime(earliest: station.earliest, latest: station.latest) == 61_200..<61_800)
    }

    @Test(arguments: [
        ("{source: vov2}", "unknown relay source 'vov2'; did you mean 'vov1'?", "Không có nguồn tiếp sóng 'vov2'"),
        ("{source: vov1, from: \"17:10\", to: \"17:20\"}", "must start at the session's start or run to its end", "phải bắt đầu từ đầu buổi"),
        ("{source: vov1, from: \"16:50\"}", "is not inside the session", "nằm ngoài buổi phát"),
        ("{source: vov1, from: \"17:20\", to: \"17:10\"}", "is not inside the session, or ends before it starts", "kết thúc trước khi bắt đầu"),
        ("[{source: vov1, to: \"17:20\"}, {source: thu, from: \"17:15\"}]", "the relay blocks of session 'chieu' overlap", "trùng nhau"),
        ("{source: vov1, form: \"17:10\"}", "unknown key 'form' in 'relay'; did you mean 'from'?", "Mục 'form' không có"),
    ])
    func aWrongRelayBlockIsNamed(relay: String, english: String, vietnamese: String) {
        let checked = StationFolder(station: station(relay: relay)).check()
        #expect(checked.shortDiagnostics.contains { $0.contains(english) }, "\(checked.shortDiagnostics)")
        #expect(checked.diagnostics.contains { $0.vietnamese.contains(vietnamese) }, "\(checked.diagnostics.map(\.vietnamese))")
    }

    @Test func aSourceNeedsOneInputAndAWebAddress() {
        let both = Self.sources.replacingOccurrences(of: "    line-in: \"hw:1,0\"", with: "    line-in: \"hw:1,0\"\n    url: \"http://x\"")
        let file = Self.sources.replacingOccurrences(of: "https://stream.vov.vn/vov1/playlist.m3u8", with: "file:///etc/passwd")
        let stall = Self.sources.replacingOccurrences(of: "    fallback: mo-dau.wav", with: "    stall-seconds: 0")
        for (sources, expected) in [
            (both, "relay source 'thu' needs either 'url' or 'line-in', not both"),
            (file, "'url' must be an http:// or https:// address without spaces, not 'file:///etc/passwd'"),
            (stall, "'stall-seconds' must be a whole number from 1 to 60, not '0'"),
        ] {
            let checked = StationFolder(station: station(relay: "{source: thu}", sources: sources)).check()
            #expect(checked.shortDiagnostics.contains { $0.contains(expected) }, "\(checked.shortDiagnostics)")
        }
    }

    @Test func aFallbackMayBeAPlaylistOfAtMostTwentyFiles() throws {
        let playlist = Self.sources.replacingOccurrences(of: "fallback: mo-dau.wav", with: "fallback: [mo-dau.wav, tin-1.wav]")
        let folder = StationFolder(station: station(relay: "{source: vov1, from: \"17:10\"}", sources: playlist))
        #expect(folder.check().diagnostics.isEmpty, "\(folder.check().shortDiagnostics)")
        let vov = try #require(StationLoader.load(folder: folder.path).station?.relaySource("vov1"))
        #expect(vov.fallback.map(\.path) == ["mo-dau.wav", "tin-1.wav"])
        let long = Self.sources.replacingOccurrences(
            of: "fallback: mo-dau.wav", with: "fallback: [" + Array(repeating: "mo-dau.wav", count: 21).joined(separator: ", ") + "]")
        let nested = Self.sources.replacingOccurrences(of: "fallback: mo-dau.wav", with: "fallback: [mo-dau.wav, [tin-1.wav]]")
        for (sources, expected) in [(long, "'fallback' has 21 entries; at most 20 are allowed"), (nested, "each entry of 'fallback' must be a line of text")] {
            let checked = StationFolder(station: station(relay: "{source: vov1, from: \"17:10\"}", sources: sources)).check()
            #expect(checked.shortDiagnostics.contains { $0.contains(expected) }, "\(checked.shortDiagnostics)")
        }
    }

    @Test func aMissingFallbackIsNamedAsAnyAudio() {
        let sources = Self.sources.replacingOccurrences(of: "fallback: mo-dau.wav", with: "fallback: khong-co.wav")
        let checked = StationFolder(station: station(relay: "{source: vov1, from: \"17:10\"}", sources: sources)).check()
        #expect(checked.shortDiagnostics.contains { $0.contains("audio 'khong-co.wav': file not found") }, "\(checked.shortDiagnostics)")
    }

    // MARK: a campaign's one-off relay

    static func addressCampaign(_ relay: String, messages: Bool = false) -> String {
        """
        id: quoc-khanh
        title: Tiếp sóng Lễ Quốc khánh
        window: {first: 2024-11-25, last: 2024-11-30}
        channels: [fm]
        relay: \(relay)

        """ + (messages ? "messages: [tin-1.wav]\n" : "")
    }

    func stationWithSources() -> String {
        StationFolder.station.replacingOccurrences(of: "sessions:\n", with: Self.sources + "\nsessions:\n")
    }

    @Test func aCampaignMayBeAOneOffRelayWithoutMessages() throws {
        let folder = StationFolder(
            station: stationWithSources(),
            campaigns: [
                "thu.yaml": StationFolder.campaign,
                "quoc-khanh.yaml": Self.addressCampaign("[{source: vov1, date: 2024-11-26, from: \"09:00\", to: \"09:45\"}, {source: thu, date: 27/11/2024, from: \"17:10\", to: \"17:30\"}]"),
            ])
        let checked = folder.check()
        #expect(checked.diagnostics.isEmpty, "\(checked.shortDiagnostics)")
        let campaign = try #require(checked.station?.campaigns.first { $0.id == "quoc-khanh" })
        #expect(campaign.messages.isEmpty && campaign.channels == ["fm"])
        #expect(campaign.relays.map(\.source) == ["vov1", "thu"] && campaign.relays.map(\.date.description) == ["2024-11-26", "2024-11-27"])
        #expect(campaign.relays.map(\.range) == [32_400..<35_100, 61_800..<63_000], "17:10 is where the session chieu ends")
    }

    @Test(arguments: [
        ("{source: vov1, date: 2024-11-26, from: \"17:05\", to: \"17:30\"}",
         "overlaps session 'chieu' (17:00-17:10) on channel 'fm'", "trùng với buổi phát Buổi chiều (17:00-17:10) trên FM xã"),
        ("{source: vov1, date: 2024-12-02, from: \"09:00\", to: \"09:30\"}",
         "the relay on 02/12/2024 of campaign 'quoc-khanh' is outside its window 25/11/2024-30/11/2024", "nằm ngoài thời gian phát"),
        ("{source: vov1, date: 2024-11-26, from: \"20:30\", to: \"21:30\"}",
         "outside the station's allowed hours 05:00-21:00", "nằm ngoài giờ được phát của đài"),
        ("{source: vov1, date: 2024-11-26, from: \"10:00\", to: \"09:30\"}", "ends before it starts", "kết thúc trước khi bắt đầu"),
        ("{source: vov3, date: 2024-11-26, from: \"09:00\", to: \"09:30\"}", "unknown relay source 'vov3'; did you mean 'vov1'?", "Không có nguồn tiếp sóng"),
        ("{source: vov1, from: \"09:00\", to: \"09:30\"}", "'relay' is missing required key 'date'", "ngày (date)"),
        ("{source: vov1, date: 31/02/2024, from: \"09:00\", to: \"09:30\"}", "'date' must be a date", "Ngày (date) phải là ngày dạng dd/mm/yyyy"),
    ])
    func aWrongOneOffRelayIsNamedAndSetsOnlyItsCampaignAside(relay: String, english: String, vietnamese: String) throws {
        let folder = StationFolder(
            station: stationWithSources(), campaigns: ["thu.yaml": StationFolder.campaign, "quoc-khanh.yaml": Self.addressCampaign(relay)])
        let checked = folder.check()
        let found = checked.shortDiagnostics.first { $0.contains(english) }
        #expect(found?.hasPrefix("campaigns/quoc-khanh.yaml:5:") == true, "at the relay's line: \(checked.shortDiagnostics)")
        #expect(checked.diagnostics.contains { $0.vietnamese.contains(vietnamese) }, "\(checked.diagnostics.map(\.vietnamese))")
        let runnable = try #require(checked.runnable, "the station still runs")
        #expect(runnable.station.campaigns.map(\.id) == ["thu"] && runnable.setAside.count == 1)
    }

    @Test func twoCampaignsRelaysMayNotOverlapOnAChannel() {
        let first = Self.addressCampaign("{source: vov1, date: 2024-11-26, from: \"09:00\", to: \"10:00\"}")
        let second = first.replacingOccurrences(of: "id: quoc-khanh", with: "id: bau-cu")
            .replacingOccurrences(of: "Lễ Quốc khánh", with: "kết quả bầu cử").replacingOccurrences(of: "09:00", with: "09:30")
            .replacingOccurrences(of: "10:00", with: "10:30")
        let checked = StationFolder(station: stationWithSources(), campaigns: ["a.yaml": first, "b.yaml": second]).check()
        #expect(
            checked.shortDiagnostics == [
                "campaigns/b.yaml:5:8: error: the relay 09:30-10:30 on 26/11/2024 of campaign 'bau-cu' overlaps a relay of campaign 'quoc-khanh' on channel 'fm'"
            ], "\(checked.shortDiagnostics)")
        // On another channel the same hours are no clash.
        let elsewhere = second.replacingOccurrences(of: "channels: [fm]", with: "channels: [loa-1]")
        #expect(StationFolder(station: stationWithSources(), campaigns: ["a.yaml": first, "b.yaml": elsewhere]).check().diagnostics.isEmpty)
    }

    @Test func aCampaignNeedsMessagesOrARelay() {
        let neither = Self.addressCampaign("x").replacingOccurrences(of: "relay: x\n", with: "")
        let checked = StationFolder(station: stationWithSources(), campaigns: ["quoc-khanh.yaml": neither]).check()
        #expect(checked.shortDiagnostics.contains { $0.contains("campaign is missing required key 'messages'") }, "\(checked.shortDiagnostics)")
    }
}
