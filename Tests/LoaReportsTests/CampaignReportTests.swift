import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import LoaReports
import LoaRunner
import LoaTestSupport
import Testing

@Suite struct CampaignReportTests {
    func text(_ format: ReportFormat, _ reports: [CampaignReport], _ context: ReportContext) throws -> String {
    String(decoding: try format.render(reports, context: context), as: UTF8.self)
}

/// A station with one FM and one loudspeaker channel, two sessions, one campaign over a week.
    static func station() -> (Station, AudioDurations) {
        let here = SourceLocation(file: "test", line: 1, column: 1)
        func audio(_ path: String) -> AudioReference { AudioReference(path: path, url: URL(fileURLWithPath: "/x/\(path)"), location: here) }
        let channels = [
            Channel(id: "fm", kind: .fm, name: "FM xã", device: "null", origin: here),
            Channel(id: "loa-1", kind: .loudspeaker, name: "Cụm loa 1", area: "Xóm Chợ", device: "null", origin: here),
        ]
        let sessions = [("sang", 19_800), ("chieu", 61_200)].map {
            Session(id: $0.0, name: $0.0, start: TimeOfDay(seconds: $0.1), end: TimeOfDay(seconds: $0.1 + 900),
                channels: ["fm", "loa-1"], origin: here)
        }
        let campaign = Campaign(
            id: "lua-dao", title: "Phòng, chống lừa đảo trực tuyến", directive: "CV 3316/UBND-VHTT",
            window: DateWindow(first: CivilDate(year: 2024, month: 11, day: 25)!, last: CivilDate(year: 2024, month: 12, day: 1)!),
            channels: ["fm", "loa-1"], sessions: ["sang", "chieu"],
            messages: [Message(id: "m1", audio: audio("m1"), origin: here), Message(id: "m2", audio: audio("m2"), origin: here)],
            quota: .perDay(2), origin: here)
        return (
            Station(name: "Đài xã Thử", commune: "Xã Thử", audioLibrary: URL(fileURLWithPath: "/x"), channels: channels,
                sessions: sessions, campaigns: [campaign]),
            ["m1": 30, "m2": 45]
        )
    }

    @Test func theTotalIsTheCompletedRowsOfASimulatedWindow() async throws {
        let folder = TemporaryFolder()
        let (station, durations) = Self.station()
        let log = try BroadcastLog(path: folder.file("log.sqlite").path)
        let window = station.campaigns[0].window
        _ = await Simulation.run(station: station, durations: durations, from: window.first, through: window.last, log: log)
        let records = try log.records()
        let report = try #require(CampaignReporter.reports(
            station: station, durations: durations, counts: try log.audit().counts, campaigns: [], from: nil, through: nil).first)
        #expect(report.total.completed == records.filter { $0.campaign == "lua-dao" && $0.outcome == .completed }.count)
        #expect(report.total.completed == 7 * 2 * 2)
        #expect(report.total.planned == report.total.completed)
        #expect(report.byKind[.fm]?.completed == 14 && report.byKind[.loudspeaker]?.completed == 14)
        #expect(report.byMessage.values.map(\.completed).reduce(0, +) == 28)
        let expectedMinutes: Double = (14 * 30 + 14 * 45) / 60
        #expect(abs(report.total.airtimeMinutes - expectedMinutes) < 0.001)
        #expect(report.rows.count == 7 * 2 * 2)
    }

    @Test func onlyCompletedPlaysCountAndEveryOtherOutcomeHasItsColumn() throws {
        let folder = TemporaryFolder()
        let (station, durations) = Self.station()
        let log = try BroadcastLog(path: folder.file("log.sqlite").path)
        func record(_ n: Int, _ channel: String = "fm", date: String = "2024-11-26") -> BroadcastRecord {
            BroadcastRecord(
                entryID: "e\(n)", date: CivilDate(parsing: date)!, station: station.name, channel: channel,
                channelKind: channel == "fm" ? .fm : .loudspeaker,
                session: "sang", campaign: "lua-dao", message: "m1", role: .message, audio: "m1", audioSHA256: nil,
                scheduledStart: "2024-11-25T22:30:00.000Z", timeZone: station.timeZone, device: "null")
        }
        for n in 1...3 {
            let id = try log.started(record(n))
            try log.finished(id: id, outcome: .completed, actualEnd: Date(), playedSeconds: 30)
        }
        let cut = try log.started(record(4))
        try log.finished(id: cut, outcome: .interrupted, actualEnd: Date(), playedSeconds: 10, reasonCode: .shutdown)
        try log.unplayed(record(5), outcome: .failed, reasonCode: .audioUnreadable, reason: "hỏng")
        try log.unplayed(record(6, "loa-1"), outcome: .missed, reasonCode: .daemonNotRunning, reason: "tắt")
        try log.unplayed(record(7, "loa-1"), outcome: .skipped, reasonCode: .noTimeLeft, reason: "hết giờ")
        _ = try log.started(record(8, date: "2024-12-20"))  // outside the window: not counted
        let report = try #require(CampaignReporter.reports(
            station: station, durations: durations, counts: try log.audit().counts, campaigns: ["lua-dao"], from: nil,
            through: nil).first)
        let total = report.total
        let columns: [Int] = [total.completed, total.interrupted, total.failed, total.missed, total.skipped]
        #expect(columns == [3, 1, 1, 1, 1])
        #expect(total.airtimeSeconds == 90.0, "interrupted seconds are not airtime")
        #expect(total.planned == 28)
    }

    /// A channel whose kind changed in the config since it aired is counted as the log recorded
    /// it: what aired on a loudspeaker stays a loudspeaker play.
    @Test func aPlayCountsUnderTheChannelKindItWasLoggedWith() throws {
        let folder = TemporaryFolder()
        let (station, durations) = Self.station()
        let log = try BroadcastLog(path: folder.file("log.sqlite").path)
        var record = BroadcastRecord(
            entryID: "e1", date: CivilDate(year: 2024, month: 11, day: 26)!, station: station.name, channel: "fm",
            channelKind: .loudspeaker, session: "sang", campaign: "lua-dao", message: "m1", role: .message, audio: "m1",
            audioSHA256: nil, scheduledStart: "2024-11-25T22:30:00.000Z", timeZone: station.timeZone, device: "null")
        record.outcome = .completed
        try log.appendSettled([record])
        let report = try #require(CampaignReporter.reports(
            station: station, durations: durations, counts: try log.audit().counts, campaigns: ["lua-dao"], from: nil,
            through: nil).first)
        #expect(report.byKind[.loudspeaker]?.completed == 1 && report.byKind[.fm]?.completed ?? 0 == 0)
        let row = try #require(report.rows.first { $0.tally.completed == 1 })
        #expect(row.channel == "fm" && row.kind == .loudspeaker)
    }

    @Test func everyFormatCarriesTheRuleAndSaysWhenTheChainIsBroken() throws {
        let (station, durations) = Self.station()
        let reports = CampaignReporter.reports(station: station, durations: durations, counts: [], campaigns: [], from: nil, through: nil)
        let intact = ReportContext(station: station, chain: ChainVerification(rows: 3, head: String(repeating: "a", count: 64), problem: nil))
        let broken = ReportContext(station: station, chain: ChainVerification(rows: 3, head: nil, problem: "row id 2 (entry e2) was altered after it was written"))
        for format in ReportFormat.allCases where !format.isBinary && format != .csv {
            let good = try text(format, reports, intact), bad = try text(format, reports, broken)
            #expect(good.contains(format == .json ? CountingRule.english : CountingRule.vietnamese), "\(format)")
            #expect(good.contains(String(repeating: "a", count: 64)), "\(format) quotes the chain head")
            #expect(bad.contains("row id 2 (entry e2) was altered"), "\(format) says where verification failed")
        }
        let csv = try text(.csv, reports, intact)
        #expect(csv.hasPrefix("campaign,channel,channel_kind,date,session,planned,completed,interrupted,failed,missed,skipped,airtime_seconds\r\n"))
        #expect(csv.contains("\r\nlua-dao,fm,fm,2024-11-25,"), "ids and ISO dates, for programs")
        #expect(!csv.contains("TỔNG CỘNG") && !csv.contains(CountingRule.vietnamese), "no totals or notes among the data")
        let html = try text(.html, reports, intact)
        #expect(html.contains("Tổng số lượt tuyên truyền trên Hệ thống Truyền thanh cấp huyện, cấp xã</td><td class=\"n\">0(*)</td>"))
        var hostile = station
        hostile.campaigns[0].title = "<script>alert(1)</script>"
        let escaped = try text(
            .html, CampaignReporter.reports(station: hostile, durations: durations, counts: [], campaigns: [], from: nil, through: nil),
            intact)
        #expect(escaped.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !escaped.contains("<script>"))
        let plain = try text(.text, reports, intact)
        #expect(plain.contains("Thời gian: từ ngày 25/11/2024 đến ngày 01/12/2024"))
        #expect(plain.contains("Tổng số lượt tuyên truyền trên Hệ thống Truyền thanh cấp huyện, cấp xã: 0(*) (Kế hoạch 28 lượt)"), "the seed's row 4, as HTML and DOCX word it")
    }
}
