import Foundation
import GRDB
import HTTPTypes
import LoaConsole
import LoaControl
import LoaLog
import LoaModel
import LoaTestSupport
import Testing

@Suite struct ConsolePageTests {
    static let pages = [
        ("/", "Tổng quan"), ("/hom-nay", "Hôm nay"), ("/lich-phat?ngay=2024-11-25&xem=tuan", "Lịch phát"), ("/chien-dich", "Chiến dịch"),
        ("/chien-dich/moi", "Soạn chiến dịch mới"), ("/chien-dich/lua-dao-truc-tuyen-2024", "Phòng, chống lừa đảo trực tuyến"),
        ("/phat-khan", "Phát khẩn"), ("/nhat-ky?tu=2024-11-25&den=2024-12-01", "Nhật ký phát"), ("/bao-cao", "Báo cáo"),
        ("/thiet-bi", "Thiết bị"),
    ]

    /// Every reason a broadcast did not complete reads in Vietnamese on the log page and the
    /// overview, and channels, sessions and campaigns by their names; the engineer's English
    /// detail (kept for `loa log`) and the ids never show there.
    @Test func reasonsReadInVietnameseAndPlacesByName() async throws {
        let fixture = try await ConsoleFixture()
        let log = try BroadcastLog(path: fixture.logPath)
        let english = "ENGLISH DETAIL FOR THE JOURNAL"
        try log.appendSettled(ReasonCode.allCases.enumerated().map { index, code in
            var row = BroadcastRecord(
                entryID: "reason/\(index)", date: CivilDate(year: 2024, month: 11, day: 27)!, station: "Kha Sơn", channel: "fm",
                channelKind: .fm, session: "sang", campaign: "lua-dao-truc-tuyen-2024", message: "lua-dao-tong-dai", role: .message,
                audio: "lua-dao-tong-dai.mp3", audioSHA256: nil, scheduledStart: "2024-11-26T22:30:00.000Z",
                timeZone: "Asia/Ho_Chi_Minh", device: "null")
            row.outcome = code == .noTimeLeft ? .skipped : .missed
            row.reasonCode = code
            row.reason = english
            return row
        })
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let page = try await browser.get("/nhat-ky?tu=2024-11-27&den=2024-11-27")
            for code in ReasonCode.allCases {
                #expect(page.text.contains(code.vietnameseName), "\(code)")
                #expect(!page.text.contains(">\(code.rawValue)<"), "\(code)")
            }
            #expect(!page.text.contains(english))
            // Names from the config, not ids.
            for name in ["Hệ thống FM xã", "Buổi sáng", "Phòng, chống lừa đảo trực tuyến"] { #expect(page.text.contains(name), "\(name)") }
            for id in ["fm", "sang", "lua-dao-truc-tuyen-2024"] { #expect(!page.text.contains("<td>\(id)</td>"), "\(id)") }
            let overview = try await browser.get("/")
            // The overview lists the latest problems: the last row written is among them.
            #expect(!overview.text.contains(english) && overview.text.contains(ReasonCode.allCases.last!.vietnameseName))
        }
    }

    /// Hôm nay (the fixture's now is 10:00 on 27/11/2024): what aired is ticked with its time,
    /// what was missed says why in Vietnamese, what has no row yet after now is to come.
    @Test func todayMarksEachBroadcastAsThePaperTimetableWould() async throws {
        let fixture = try await ConsoleFixture()
        // The simulation logged the whole day: forget the afternoon, and make one morning item missed.
        try await DatabaseQueue(path: fixture.logPath).write { db in
            try db.execute(sql: "DELETE FROM broadcast WHERE date = '2024-11-27' AND scheduledStart >= '2024-11-27T03:00'")
            try db.execute(
                sql: """
                    UPDATE broadcast SET outcome = 'missed', reasonCode = 'device-unavailable', actualStart = NULL
                    WHERE id = (SELECT MIN(id) FROM broadcast WHERE date = '2024-11-27' AND role = 'message' AND channel = 'loa-cum-1')
                    """)
        }
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let page = try await browser.get("/hom-nay")
            #expect(page.status == .ok)
            #expect(page.text.contains("Thứ Tư, 27/11/2024") || page.text.contains("27/11/2024"))
            #expect(page.text.contains("Buổi sáng") && page.text.contains("Cụm loa 1") && page.text.contains("Phòng, chống lừa đảo trực tuyến"))
            #expect(page.text.contains("✓</span>") && page.text.contains("đã phát lúc 05:30"), "a morning item ticked with its local time")
            #expect(page.text.contains("bỏ lỡ: thiết bị âm thanh không dùng được"))
            #expect(page.text.contains("⏳</span>") && page.text.contains("sắp phát"), "the afternoon is to come")
            // The relays are on the timetable by their sources' names, the morning's aired.
            #expect(page.text.contains("Tiếp sóng") && page.text.contains("VOV1") && page.text.contains("Đài Phát thanh và Truyền hình tỉnh"))
            #expect(page.text.contains("05:45:00") && !page.text.contains(">vov1<") && !page.text.contains("dai-tinh"), "names, not ids")
            #expect(!page.text.contains("T22:") && !page.text.contains("Z<"), "no UTC instant shows")
        }
    }

    /// The overview shows each running campaign's progress (the fixture's now is 27/11/2024), the
    /// lượt counted from the log as a report counts them, and says the daemon is stopped.
    @Test func theOverviewShowsCampaignProgressAndAStoppedDaemon() async throws {
        let fixture = try await ConsoleFixture()
        let today = CivilDate(year: 2024, month: 11, day: 27)!
        let rows = try BroadcastLog(path: fixture.logPath).records()
        let completed = rows.filter { $0.campaign == "lua-dao-truc-tuyen-2024" && $0.outcome == .completed && $0.date <= today }.count
        #expect(completed > 0)
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let page = try await browser.get("/")
            #expect(page.text.contains("Tiến độ chiến dịch") && page.text.contains("Phòng, chống lừa đảo trực tuyến"))
            #expect(page.text.contains("đã phát <strong>\(completed)/\(completed)</strong> lượt theo kế hoạch đến hôm nay"), "\(completed)")
            #expect(page.text.contains("còn 18 ngày (đến 15/12/2024)"))
            #expect(page.text.contains("Máy phát đã dừng") && !page.text.contains("Đang phát: <strong>"))
        }
    }

    /// A new campaign's form asks for two plays a day, as directives do, and an empty id is made
    /// from the title, Vietnamese marks and đ taken off.
    @Test func aNewCampaignTakesItsIdFromItsTitle() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let form = try await browser.get("/chien-dich/moi")
            #expect(form.text.contains(#"name="plays" value="2""#), "two plays a day by default")
            let saved = try await browser.post(
                "/chien-dich/moi",
                [
                    ("csrf", form.csrf ?? ""), ("id", ""), ("title", "Phòng, chống lừa đảo xóm Đồng 2026"), ("first", "2024-11-25"),
                    ("last", "2024-11-30"), ("priority", "normal"), ("quota", "day"), ("plays", "2"), ("spacing", "1"),
                    ("audio", "lua-dao-tong-dai.mp3"), ("weight-lua-dao-tong-dai.mp3", "1"),
                ])
            #expect(saved.status == .seeOther && saved.location == "/chien-dich/phong-chong-lua-dao-xom-dong-2026", "\(saved.status) \(saved.text.prefix(300))")
        }
    }

    /// A campaign's page has a month grid of its window, each day's lượt completed against
    /// planned (the fixture aired 25/11-01/12 of a window to 15/12).
    @Test func aCampaignShowsItsWindowAsAMonthGrid() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let page = try await browser.get("/chien-dich/lua-dao-truc-tuyen-2024")
            #expect(page.text.contains("Lượt đã phát theo ngày: Tháng 11/2024") && page.text.contains("Tháng 12/2024"))
            #expect(page.text.contains("<th>T2</th>") && page.text.contains("<th>CN</th>"))
            // 25/11/2024 was a Monday: the first cell of its week, aired in full.
            #expect(page.text.range(of: #"<tr><td><span class="muted">25</span><br>([0-9]+)/\1</td>"#, options: .regularExpression) != nil)
            // 10/12 had not aired: short of the plan, and marked so.
            #expect(page.text.range(of: #"<td class="bad"><span class="muted">10</span><br>0/[1-9][0-9]*</td>"#, options: .regularExpression) != nil)
        }
    }

    /// A week of the plan is seven tables, one a day: what airs alike on every channel is one row
    /// ("Mọi kênh"), sessions and channels by name.
    @Test func aWeekOfThePlanIsOneTableADay() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let week = try await browser.get("/lich-phat?ngay=2024-11-25&xem=tuan")
            #expect(week.text.components(separatedBy: "<table>").count - 1 == 7)
            #expect(week.text.contains("<td>Mọi kênh</td>") && week.text.contains("<td>Buổi sáng</td>"))
            #expect(!week.text.contains("<td>sang</td>") && !week.text.contains("<td>loa-cum-1</td>"))
        }
    }

    @Test func everyPageAsksForALoginFirst() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            for (path, _) in Self.pages {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther && page.location == "/dang-nhap", "\(path)")
            }
        }
    }

    @Test func everyPageRendersInVietnameseOnceLoggedIn() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            let login = try await browser.login("an", "mat-khau-an")
            #expect(login.status == .seeOther && login.location == "/")
            for (path, heading) in Self.pages {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.contains("<h1>\(heading)"), "\(path)")
                #expect(page.text.contains("Nguyễn Văn An"), "\(path)")
            }
            let overview = try await browser.get("/")
            #expect(overview.text.contains("Cụm loa 1") && overview.text.contains("Xóm Chợ, xóm Trại"))
            let plan = try await browser.get("/lich-phat?ngay=2024-11-25")
            #expect(plan.text.contains("05:30:") && plan.text.contains("Nhận diện các thủ đoạn lừa đảo trực tuyến"))
            let log = try await browser.get("/nhat-ky?tu=2024-11-25&den=2024-12-01")
            #expect(log.text.contains("Nhật ký nguyên vẹn") && log.text.contains("hoàn thành"))
        }
    }

    @Test func theLogPageSaysWhenTheChainIsBroken() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            // Verified once, the result is kept; an edit by hand changes the file, so it is verified again.
            let before = try await browser.get("/nhat-ky")
            #expect(before.text.contains("Nhật ký nguyên vẹn"))
            try sqlite(fixture.logPath, "UPDATE broadcast SET outcome = 'missed' WHERE id = 3")
            let page = try await browser.get("/nhat-ky")
            #expect(page.text.contains("Nhật ký KHÔNG nguyên vẹn: row id 3"))
        }
    }

    /// The whole log, a hundred rows a page, newest first, every row on exactly one page; what the
    /// filters give downloads whole as CSV.
    @Test func theLogPagesThroughTheWholeLogAndExportsWhatItShows() async throws {
        let fixture = try await ConsoleFixture()
        let total = try BroadcastLog(path: fixture.logPath).records().count
        #expect(total > 100)
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let first = try await browser.get("/nhat-ky?tat-ca=1")
            let pages = (total + 99) / 100
            #expect(first.text.contains("\(total) lượt ghi, mới nhất trước · trang 1/\(pages)"))
            #expect(first.text.contains("href=\"/nhat-ky?tat-ca=1&amp;trang=2\""), "a link to the next page")
            var seen = 0
            for number in 1...pages {
                let page = try await browser.get("/nhat-ky?tat-ca=1&trang=\(number)")
                seen += page.text.components(separatedBy: "<tr><td>").count - 1
            }
            #expect(seen == total)
            let beyond = try await browser.get("/nhat-ky?tat-ca=1&trang=999999999")
            #expect(beyond.status == .ok && beyond.text.contains("trang \(pages)/\(pages)"))

            let filtered = try await browser.get("/nhat-ky/tai-ve?tat-ca=1&ket-qua=completed&kenh=fm&dinh-dang=csv")
            #expect(filtered.status == .ok && filtered.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = filtered.text.split(separator: "\n")
            let fm = try BroadcastLog(path: fixture.logPath).records().filter { $0.channel == "fm" && $0.outcome == .completed }
            #expect(lines.count == fm.count + 1 && lines.first?.hasPrefix("\u{FEFF}id,entry,date,channel") == true)
            // The same rows as a workbook: a ZIP with one row per play below the header.
            let workbook = try await browser.get("/nhat-ky/tai-ve?tat-ca=1&ket-qua=completed&kenh=fm")
            #expect(workbook.headers[.contentType]?.contains("spreadsheetml") == true && workbook.text.hasPrefix("PK"))
        }
    }

    @Test func aReportDownloadsInEachFormat() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let csv = try await browser.get("/bao-cao/tai?chien-dich=lua-dao-truc-tuyen-2024&dinh-dang=csv")
            #expect(csv.status == .ok && csv.headers[.contentDisposition]?.contains("bao-cao-lua-dao-truc-tuyen-2024-2024-11-25-den-2024-12-15.csv") == true)
            #expect(csv.text.hasPrefix("campaign,channel,") && csv.text.contains("lua-dao-truc-tuyen-2024,loa-cum-1,loudspeaker,2024-11-25"))
            let docx = try await browser.get("/bao-cao/tai?chien-dich=lua-dao-truc-tuyen-2024&dinh-dang=docx")
            #expect(docx.headers[.contentType]?.contains("wordprocessingml") == true)
            let html = try await browser.get("/bao-cao/tai?chien-dich=lua-dao-truc-tuyen-2024&dinh-dang=html&tu=2024-11-25&den=2024-11-26")
            #expect(html.text.contains("Tổng số lượt tuyên truyền trên Hệ thống Truyền thanh cấp huyện, cấp xã"))
            let unknown = try await browser.get("/bao-cao/tai?chien-dich=khong-co")
            #expect(unknown.status == .badRequest)
            // The station's own reports: the week's programme log and the month's activity report.
            let week = try await browser.get("/bao-cao/dinh-ky?ky=week&ngay=26/11/2024")
            #expect(week.headers[.contentDisposition]?.contains("nhat-ky-chuong-trinh-2024-11-25-den-2024-12-01.docx") == true)
            #expect(week.headers[.contentType]?.contains("wordprocessingml") == true && week.text.hasPrefix("PK"))
            let month = try await browser.get("/bao-cao/dinh-ky?ky=month&ngay=26/11/2024&dinh-dang=xlsx")
            #expect(month.headers[.contentDisposition]?.contains("bao-cao-hoat-dong-month-2024-11-01-den-2024-11-30.xlsx") == true)
            #expect(try await browser.get("/bao-cao/dinh-ky?ky=decade").status == .badRequest)
        }
    }

    /// The sound check plays a tone through the real ALSA API into the FM channel's `file` PCM.
    @Test func theSoundCheckPlaysToTheChannelsDevice() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let devices = try await browser.get("/thiet-bi")
            let played = try await browser.post("/thiet-bi/fm/thu", [("csrf", devices.csrf ?? "")])
            #expect(played.status == .ok && played.text.contains("đã phát tiếng thử"), "\(played.text)")
            let bytes = try Data(contentsOf: fixture.folder.file("fm.raw"))
            #expect(bytes.count == 72_000 * 4, "1.5 s of 48 kHz 16-bit stereo")
            let failed = try await browser.post("/thiet-bi/loa-cum-1/thu", [("csrf", devices.csrf ?? "")])
            #expect(failed.status == .serviceUnavailable && failed.text.contains("không phát được"))
        }
    }

    /// With no daemon running (as here), an announcement is refused unless the operator asks for
    /// it to wait; then it goes to the spool, saying it airs when the daemon runs again.
    @Test func anAnnouncementGoesToTheDaemonsSpool() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let form = try await browser.get("/phat-khan")
            #expect(form.text.contains("Máy phát đang dừng") && form.text.contains("Vẫn gửi"))
            let fields = [
                ("csrf", form.csrf ?? ""), ("audio", "lua-dao-tong-dai.mp3"), ("channels", "loa-cum-1"), ("channels", "loa-cum-2"),
                ("level", "emergency"), ("repeat", "2"), ("every", "15"),
            ]
            let refused = try await browser.post("/phat-khan", fields)
            #expect(refused.status == .conflict && refused.text.contains("Máy phát ĐÃ DỪNG: thông báo chưa được gửi"))
            #expect(AnnouncementSpool(logPath: fixture.logPath).take().isEmpty)
            let sent = try await browser.post("/phat-khan", fields + [("queue", "1")])
            #expect(sent.status == .ok && sent.text.contains("Phát khẩn lua-dao-tong-dai.mp3 trên Cụm loa 1, Cụm loa 2, 2 lần"))
            #expect(sent.text.contains("đã xếp hàng; máy phát đang dừng"))
            let requests = AnnouncementSpool(logPath: fixture.logPath).take()
            #expect(requests.count == 1)
            #expect(requests.first?.channels == ["loa-cum-1", "loa-cum-2"] && requests.first?.level == .emergency)
            #expect(requests.first?.repeatCount == 2 && requests.first?.everySeconds == 900)
            #expect(requests.first?.audio.hasSuffix("/audio/lua-dao-tong-dai.mp3") == true)
        }
    }
}

/// Runs SQL on a file by hand, as someone tampering with it would.
func sqlite(_ path: String, _ sql: String) throws {
    try DatabaseQueue(path: path).write { try $0.execute(sql: sql) }
}
