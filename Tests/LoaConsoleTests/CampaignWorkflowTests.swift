import Foundation
import LoaAudio
import LoaConsole
import LoaControl
import LoaLog
import LoaModel
import LoaPlanner
import LoaTestSupport
import Testing

/// The issue's whole path in the browser: the operator creates the Kha Sơn anti-fraud campaign
/// with its audio, the leader approves it, it is in the plan, an emergency goes out, it is in the
/// log (the daemon's part played by the simulated runner), and the report downloads.
@Suite struct CampaignWorkflowTests {
    static let openingTitle = "Mở đầu: cảnh giác lừa đảo qua điện thoại"

    static func campaignFields(_ csrf: String, first: String = "25/11/2024", last: String = "15/12/2024") -> [(String, String)] {
        [
            ("csrf", csrf), ("id", "lua-dao-truc-tuyen-2024"), ("title", "Phòng, chống lừa đảo trực tuyến"),
            ("directive", "CV 3316/UBND-VHTT ngày 22/11/2024"), ("first", first), ("last", last), ("priority", "normal"),
            ("quota", "day"), ("plays", "2"), ("spacing", "1"), ("audio", "lừa-đảo-nhận-diện.wav"), ("weight-lừa-đảo-nhận-diện.wav", "2"),
            ("audio", "lua-dao-mo-dau.wav"), ("weight-lua-dao-mo-dau.wav", "1"), ("title-lua-dao-mo-dau.wav", openingTitle), ("audio", "lua-dao-tong-dai.mp3"),
            ("weight-lua-dao-tong-dai.mp3", "0"),
        ]
    }

    @Test func anOperatorDraftsALeaderApprovesAndItAirs() async throws {
        let fixture = try await ConsoleFixture(withoutAntiFraud: true)
        let campaigns = URL(fileURLWithPath: fixture.station).appendingPathComponent("campaigns")
        try await fixture.test { operatorBrowser in
            _ = try await operatorBrowser.login("an", "mat-khau-an")
            // The operator fills the form and adds the message recorded at the office in the same
            // form; the window ends before it starts, so it is refused beside its field, nothing
            // of the campaign is written, and the audio is kept in the form, not lost.
            var csrf = try await operatorBrowser.get("/chien-dich/moi").csrf ?? ""
            let recording = fixture.folder.file("recording.wav")
            AudioFixture.tone(recording, seconds: 12, rate: 22_050)
            let refused = try await operatorBrowser.upload(
                "/chien-dich/moi",
                Self.campaignFields(csrf, first: "15/12/2024", last: "25/11/2024").filter { !$0.1.contains("lua-dao-mo-dau") && !$0.0.contains("lua-dao-mo-dau") }
                    + [("new-title", Self.openingTitle)],
                name: "lua-dao-mo-dau.wav", data: try Data(contentsOf: recording))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"<p class="notice">Đã lưu lua-dao-mo-dau.wav: 12.0 giây"#), "a success, said as one")
            #expect(refused.text.contains(#"id="last" name="last" value="25/11/2024" required>"#), "dates as the operator writes them")
            #expect(refused.text.contains(#"<span class="error">Ngày kết thúc (25/11/2024) trước ngày bắt đầu (15/12/2024)</span>"#))
            #expect(refused.text.contains(#"name="title-lua-dao-mo-dau.wav" value="\#(Self.openingTitle)""#), "the upload's title is kept")
            #expect(refused.text.contains(#"name="weight-lua-dao-mo-dau.wav" value="1""#), "the upload is in the campaign")
            #expect(!FileManager.default.fileExists(atPath: campaigns.appendingPathComponent("drafts/lua-dao-truc-tuyen-2024.yaml").path))

            // Every error at once: a refused id does not hide the window's error.
            csrf = refused.csrf ?? ""
            let both = try await operatorBrowser.post(
                "/chien-dich/moi",
                Self.campaignFields(csrf, first: "15/12/2024", last: "25/11/2024").map { $0.0 == "id" ? ("id", "Lừa đảo") : $0 })
            #expect(both.status == .unprocessableContent)
            #expect(both.text.contains("Mã chiến dịch: 2-64 chữ thường không dấu") && both.text.contains("trước ngày bắt đầu (15/12/2024)"))

            csrf = both.csrf ?? ""
            let saved = try await operatorBrowser.post("/chien-dich/moi", Self.campaignFields(csrf))
            #expect(saved.status == .seeOther && saved.location == "/chien-dich/lua-dao-truc-tuyen-2024")
            // A draft does not air: the station as the daemon loads it has no such campaign.
            let loaded = CheckedStation.check(folder: fixture.station, probe: AudioProbing.probe)
            #expect(loaded.station?.campaigns.contains { $0.id == "lua-dao-truc-tuyen-2024" } == false)
            let draftPage = try await operatorBrowser.get("/chien-dich/lua-dao-truc-tuyen-2024")
            #expect(draftPage.text.contains("Bản nháp chờ duyệt") && draftPage.text.contains("Chờ lãnh đạo xã duyệt"))
            let notAllowed = try await operatorBrowser.post("/chien-dich/lua-dao-truc-tuyen-2024/duyet", [("csrf", draftPage.csrf ?? "")])
            #expect(notAllowed.status == .forbidden, "an operator cannot approve")

            let leader = Browser(client: operatorBrowser.client)
            _ = try await leader.login("binh", "mat-khau-binh")
            let review = try await leader.get("/chien-dich/lua-dao-truc-tuyen-2024")
            #expect(review.text.contains("Duyệt cho phát"))
            // Before approving, the leader hears the audio and sees what the plan becomes: from no
            // lượt to the window's, on each channel by its name.
            #expect(review.text.contains(#"<audio controls preload="none" src="/am-thanh/tep/lua-dao-mo-dau.wav">"#))
            #expect(review.text.contains("Khi được duyệt, lịch phát sẽ thay đổi"))
            #expect(review.text.range(of: #"Hệ thống FM xã: 0 → <strong>[1-9][0-9]*</strong> lượt trong cả đợt"#, options: .regularExpression) != nil)
            #expect(review.text.contains("Kênh: Hệ thống FM xã") && !review.text.contains("T00:"), "names, and local times")
            let approved = try await leader.post("/chien-dich/lua-dao-truc-tuyen-2024/duyet", [("csrf", review.csrf ?? "")])
            #expect(approved.status == .seeOther)

            let station = try #require(CheckedStation.check(folder: fixture.station, probe: AudioProbing.probe).station)
            let campaign = try #require(station.campaigns.first { $0.id == "lua-dao-truc-tuyen-2024" })
            #expect(campaign.approval?.draftedBy == "an" && campaign.approval?.approvedBy == "binh")
            #expect(campaign.messages.map(\.id) == ["lừa-đảo-nhận-diện", "lua-dao-mo-dau"] && campaign.messages.map(\.weight) == [2, 1])
            #expect(campaign.messages.map(\.title) == ["Lừa đảo nhận diện", Self.openingTitle])
            #expect(!FileManager.default.fileExists(atPath: campaigns.appendingPathComponent("drafts/lua-dao-truc-tuyen-2024.yaml").path))
            let history = try FileManager.default.contentsOfDirectory(atPath: campaigns.appendingPathComponent(".history").path)
            #expect(history.contains { $0.hasPrefix("lua-dao-truc-tuyen-2024.draft.") }, "the draft is kept in the history")

            // The uploaded message is in the plan page of a day the planner gives it.
            let planned = Planner(station: station, durations: CheckedStation.check(folder: fixture.station, probe: AudioProbing.probe).durations)
                .plan(from: campaign.window.first, through: campaign.window.last)
            let day = try #require(planned.entries.first { $0.message == "lua-dao-mo-dau" }?.date)
            let plan = try await leader.get("/lich-phat?ngay=\(day)")
            #expect(plan.text.contains("Phòng, chống lừa đảo trực tuyến") && plan.text.contains(Self.openingTitle))

            let announce = try await operatorBrowser.get("/phat-khan")
            let sent = try await operatorBrowser.post(
                "/phat-khan",
                [("csrf", announce.csrf ?? ""), ("audio", "lua-dao-mo-dau.wav"), ("channels", "fm"), ("level", "emergency"), ("queue", "1")])
            #expect(sent.text.contains("đã xếp hàng"))
            let request = try #require(AnnouncementSpool(logPath: fixture.logPath).take().first)
            // What the daemon does with it: play and log it (here through the simulated player).
            let log = try BroadcastLog(path: fixture.logPath)
            _ = try log.appendSettled([
                {
                    var row = BroadcastRecord(
                        entryID: request.plays(on: "fm")[0].entryID, date: CivilDate(parsing: "2024-11-27")!, station: station.name, channel: "fm",
                        channelKind: .fm, session: "announcement", campaign: nil, message: "lua-dao-mo-dau", role: .announcementEmergency,
                        audio: request.audio, audioSHA256: nil, scheduledStart: "2024-11-27T03:00:00.000Z", timeZone: station.timeZone,
                        device: "file")
                    row.outcome = .completed
                    row.actualStart = "2024-11-27T03:02:00.000Z"
                    row.playedSeconds = request.duration
                    return row
                }()
            ])
            let logPage = try await operatorBrowser.get("/nhat-ky?tu=2024-11-27&den=2024-11-27")
            #expect(logPage.text.contains("tệp lua-dao-mo-dau") && logPage.text.contains("Nhật ký nguyên vẹn"))
            let recent = try await operatorBrowser.get("/phat-khan")
            #expect(recent.text.contains("khẩn cấp") && recent.text.contains("<td>27/11/2024 10:02:00</td>"), "when it really aired, local time")

            let report = try await leader.get("/bao-cao/tai?chien-dich=lua-dao-truc-tuyen-2024&dinh-dang=csv")
            #expect(report.status == .ok && report.text.contains("lua-dao-truc-tuyen-2024,fm,fm,2024-12-02"))
        }
    }

    /// Editing an approved campaign makes a draft; the approved file keeps airing unchanged until
    /// the leader approves the edit, and the replaced version is kept.
    @Test func anEditWaitsForApprovalAndKeepsThePreviousVersion() async throws {
        let fixture = try await ConsoleFixture()
        let approvedFile = URL(fileURLWithPath: fixture.station).appendingPathComponent("campaigns/lua-dao-truc-tuyen-2024.yaml")
        let original = try String(contentsOf: approvedFile, encoding: .utf8)
        try await fixture.test { browser in
            _ = try await browser.login("binh", "mat-khau-binh")
            let form = try await browser.get("/chien-dich/lua-dao-truc-tuyen-2024/sua")
            #expect(form.text.contains(#"value="Phòng, chống lừa đảo trực tuyến bảo vệ người dân trên không gian mạng""#))
            #expect(form.text.contains(#"name="weight-lừa-đảo-nhận-diện.wav" value="2""#))
            var fields = Self.campaignFields(form.csrf ?? "").filter { $0.0 != "id" && !$0.0.contains("lua-dao-mo-dau") }
            fields.removeAll { $0 == ("audio", "lua-dao-tong-dai.mp3") || $0.0 == "weight-lua-dao-tong-dai.mp3" }
            fields += [("audio", "lua-dao-tong-dai.mp3"), ("weight-lua-dao-tong-dai.mp3", "1")]
            let saved = try await browser.post("/chien-dich/lua-dao-truc-tuyen-2024/sua", fields)
            #expect(saved.status == .seeOther)
            #expect(try String(contentsOf: approvedFile, encoding: .utf8) == original, "the approved file airs on unchanged")
            let page = try await browser.get("/chien-dich/lua-dao-truc-tuyen-2024")
            #expect(page.text.contains("Bản nháp chờ duyệt") && page.text.contains("Đang áp dụng"))
            _ = try await browser.post("/chien-dich/lua-dao-truc-tuyen-2024/duyet", [("csrf", page.csrf ?? "")])
            #expect(try String(contentsOf: approvedFile, encoding: .utf8).contains("approved-by: \"binh\""))
            let history = try FileManager.default.contentsOfDirectory(atPath: approvedFile.deletingLastPathComponent().path + "/.history")
            let kept = try #require(history.first { $0.hasPrefix("lua-dao-truc-tuyen-2024.approved.") })
            #expect(try String(contentsOfFile: approvedFile.deletingLastPathComponent().path + "/.history/" + kept, encoding: .utf8) == original)
        }
    }

    /// A one-off relay (VOV's live broadcast of a National Assembly sitting, in the evening when
    /// no session runs) is a campaign of its own, drafted and approved in the form like any other;
    /// its weekdays and relays survive the edit and the approval.
    @Test func aOneOffRelayIsDraftedAndApprovedInTheForm() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("binh", "mat-khau-binh")
            let form = try await browser.get("/chien-dich/moi")
            #expect(form.text.contains(#"<option value="dai-tinh">Đài Phát thanh và Truyền hình tỉnh</option>"#), "the station's relay sources")
            func fields(_ relay: [(String, String)]) -> [(String, String)] {
                [
                    ("csrf", form.csrf ?? ""), ("id", "tiep-song-quoc-hoi"), ("title", "Tiếp sóng VOV: kỳ họp Quốc hội"),
                    ("first", "02/12/2024"), ("last", "02/12/2024"), ("priority", "normal"), ("quota", "day"), ("plays", "1"), ("spacing", "1"),
                    ("days", "t2"), ("audio", "lua-dao-mo-dau.wav"), ("weight-lua-dao-mo-dau.wav", "0"),
                ] + relay
            }
            // A row without its end, and one over the morning session, are refused beside the relay.
            let refused = try await browser.post(
                "/chien-dich/moi",
                fields([
                    ("relay-source", "vov1"), ("relay-date", "02/12/2024"), ("relay-from", "19:00"), ("relay-to", ""),
                    ("relay-source", "dai-tinh"), ("relay-date", "02/12/2024"), ("relay-from", "05:50"), ("relay-to", "06:30"),
                    ("relay-source", ""), ("relay-date", ""), ("relay-from", ""), ("relay-to", ""),
                ]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Đến giờ (to) phải là giờ dạng GG:PP (24 giờ), không phải &#39;&#39;"))
            #expect(refused.text.contains("trùng với buổi phát Buổi sáng (05:30-06:00) trên Hệ thống FM xã"))
            #expect(refused.text.contains(#"<option value="dai-tinh" selected>Đài Phát thanh và Truyền hình tỉnh</option>"#) && refused.text.contains(#"name="relay-from" value="05:50""#), "kept as typed")

            let saved = try await browser.post(
                "/chien-dich/moi",
                fields([("relay-source", "vov1"), ("relay-date", "02/12/2024"), ("relay-from", "19:00"), ("relay-to", "19:45")]))
            #expect(saved.status == .seeOther, "\(saved.text)")
            let review = try await browser.get("/chien-dich/tiep-song-quoc-hoi")
            #expect(review.text.contains("Tiếp sóng VOV1 ngày 02/12/2024, 19:00-19:45") && review.text.contains("Ngày: Thứ Hai"))
            #expect(!review.text.contains("lịch phát sẽ thay đổi"), "a relay alone changes no lượt")
            #expect(try await browser.post("/chien-dich/tiep-song-quoc-hoi/duyet", [("csrf", review.csrf ?? "")]).status == .seeOther)

            let checked = CheckedStation.check(folder: fixture.station, probe: AudioProbing.probe)
            #expect(!checked.diagnostics.hasErrors, "\(checked.diagnostics.map(\.message))")
            let campaign = try #require(checked.station?.campaigns.first { $0.id == "tiep-song-quoc-hoi" })
            #expect(campaign.messages.isEmpty && campaign.days == DaySet([.monday]) && campaign.approval?.approvedBy == "binh")
            #expect(campaign.relays.map { "\($0.source) \($0.date) \($0.from)-\($0.to)" } == ["vov1 2024-12-02 19:00-19:45"])
            let plan = Planner(station: checked.station!, durations: checked.durations).plan(from: campaign.window.first, through: campaign.window.last)
            #expect(plan.entries.filter { $0.session == campaign.id }.map(\.channel) == ["fm", "loa-cum-1", "loa-cum-2", "loa-cum-3"])
            let edit = try await browser.get("/chien-dich/tiep-song-quoc-hoi/sua")
            #expect(edit.text.contains(#"<option value="vov1" selected>"#) && edit.text.contains(#"name="relay-to" value="19:45""#))
            #expect(edit.text.contains(#"name="days" value="t2" checked"#))
            let planPage = try await browser.get("/lich-phat?ngay=2024-12-02")
            #expect(planPage.text.contains("Tiếp sóng VOV: kỳ họp Quốc hội"), "the plan names it by its campaign")
        }
    }

    /// A message's id written by hand is what the log and the tallies know it by: an edit in the
    /// console keeps it.
    @Test func anEditKeepsAMessagesOwnID() async throws {
        let fixture = try await ConsoleFixture()
        let file = URL(fileURLWithPath: fixture.station).appendingPathComponent("campaigns/lua-dao-truc-tuyen-2024.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "  - audio: lua-dao-tong-dai.mp3\n", with: "  - audio: lua-dao-tong-dai.mp3\n    id: tong-dai\n")
            .write(to: file, atomically: true, encoding: .utf8)
        try await fixture.test { browser in
            _ = try await browser.login("binh", "mat-khau-binh")
            let form = try await browser.get("/chien-dich/lua-dao-truc-tuyen-2024/sua")
            #expect(form.text.contains(#"<input type="hidden" name="id-lua-dao-tong-dai.mp3" value="tong-dai">"#))
            var fields = Self.campaignFields(form.csrf ?? "").filter { $0.0 != "id" && !$0.0.contains("lua-dao-mo-dau") }
            fields.removeAll { $0 == ("audio", "lua-dao-tong-dai.mp3") || $0.0 == "weight-lua-dao-tong-dai.mp3" }
            fields += [("audio", "lua-dao-tong-dai.mp3"), ("weight-lua-dao-tong-dai.mp3", "1"), ("id-lua-dao-tong-dai.mp3", "tong-dai")]
            #expect(try await browser.post("/chien-dich/lua-dao-truc-tuyen-2024/sua", fields).status == .seeOther)
            let page = try await browser.get("/chien-dich/lua-dao-truc-tuyen-2024")
            #expect(try await browser.post("/chien-dich/lua-dao-truc-tuyen-2024/duyet", [("csrf", page.csrf ?? "")]).status == .seeOther)
        }
        let station = try #require(CheckedStation.check(folder: fixture.station, probe: AudioProbing.probe).station)
        let campaign = try #require(station.campaigns.first { $0.id == "lua-dao-truc-tuyen-2024" })
        #expect(campaign.messages.map(\.id) == ["lừa-đảo-nhận-diện", "tong-dai"], "\(campaign.messages.map(\.id))")
    }
}
