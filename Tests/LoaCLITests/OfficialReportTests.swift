import Foundation
import GRDB
import LoaTestSupport
import Testing

/// The báo cáo as LibreOffice prints it: converted to PDF, measured with poppler (page count and
/// size, where the words sit, which fonts), and kept as PNGs in `.build/report-pages/` for a
/// person to look at. Checked against Nghị định 30/2020/NĐ-CP, Phụ lục I.
@Suite(.serialized) struct OfficialReportTests {
    static let pages = LoaProcess.repository.appendingPathComponent(".build/report-pages")
    /// Points to the millimetre.
    static let mm = 72 / 25.4

    struct Word {
        var page: Int
        var x0, y0, x1, y1: Double
        var text: String
    }

    @Test func theKhaSonReportIsAnOfficialDocumentAPageACampaignAndItsAnnex() async throws {
        let folder = TemporaryFolder()
        let log = try await offThePool { try ExternalTool.simulatedKhaSon(from: "2024-11-25", to: "2024-12-15", in: folder) }
        let json = try await offThePool {
            try LoaProcess.run(["report", CheckAndPlanTests.example, "--format", "json", "--campaign", "lua-dao-truc-tuyen-2024", "--log", log])
        }
        let completed = try #require(ReportSpreadsheetTests.completedTotal(json.stdout))

        // The whole Kha Sơn report after both windows' days so far, and the anti-fraud one alone.
        let whole = try await document(["--on", "2024-12-16"], name: "bao-cao-kha-son", log: log, folder: folder)
        #expect(whole.pages == 4, "two campaigns, a page each, and a two-page annex: \(whole.pages)")
        let one = try await document(
            ["--campaign", "lua-dao-truc-tuyen-2024", "--on", "2024-12-16"], name: "bao-cao-lua-dao", log: log, folder: folder)
        for report in [whole, one] {
            #expect(report.size.width.rounded() == 595 && report.size.height.rounded() == 842, "A4 portrait: \(report.size)")
            #expect(report.fonts.allSatisfy { $0.contains("LiberationSerif") }, "Times New Roman (as Liberation Serif, its metric twin): \(report.fonts)")
            // Margins: left 30 mm, right at least 15 mm, top at least 20 mm, bottom at least 20 mm.
            let body = report.words.filter { $0.page == 1 }
            let left = body.map(\.x0).min() ?? 0, right = body.map(\.x1).max() ?? 0
            #expect(abs(left - 30 * Self.mm) < 2, "left margin \(left / Self.mm) mm")
            #expect(right <= 595.3 - 15 * Self.mm + 1, "right margin \((595.3 - right) / Self.mm) mm")
            #expect((body.map(\.y0).min() ?? 0) >= 20 * Self.mm - 1 && (body.map(\.y1).max() ?? 0) <= 841.9 - 20 * Self.mm + 1)
        }
        let page1 = one.words.filter { $0.page == 1 }
        func line(_ text: String) -> [Word] {
            let first = text.split(separator: " ").map(String.init)
            guard let start = page1.indices.first(where: { page1[$0].text == first[0] }) else { return [] }
            for index in page1.indices[start...] where page1[index].text == first[0] {
                let run = Array(page1[index..<min(page1.count, index + first.count)])
                if run.map(\.text) == first { return run }
            }
            return []
        }
        let middle = 30 * Self.mm + 3_700 / 20.0
        // The heading: the issuing body and the number on the left, the Quốc hiệu, Tiêu ngữ and
        // date line on the right, both above "BÁO CÁO".
        let issuer = line("ỦY BAN NHÂN DÂN"), commune = line("XÃ KHA SƠN"), number = line("Số: /BC-UBND")
        let nation = line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), motto = line("Độc lập - Tự do - Hạnh phúc")
        let date = line("Kha Sơn, ngày tháng năm 2024"), title = line("BÁO CÁO")
        for (name, words) in [("issuer", issuer), ("commune", commune), ("number", number)] {
            #expect(!words.isEmpty && words.allSatisfy { $0.x1 < middle }, "\(name) on the left: \(words.map(\.text))")
        }
        for (name, words) in [("nation", nation), ("motto", motto), ("date", date)] {
            #expect(!words.isEmpty && words.allSatisfy { $0.x0 > middle }, "\(name) on the right: \(words.map(\.text))")
        }
        #expect((number.first?.y0 ?? 0) > (commune.first?.y0 ?? 1) && abs((number.first?.y0 ?? 0) - (date.first?.y0 ?? 99)) < 14, "Số and the date on one line")
        #expect((title.first?.y0 ?? 0) > (date.first?.y0 ?? 1), "BÁO CÁO below the heading")
        let text = page1.map(\.text).joined(separator: " ")
        for expected in [
            "Kính gửi: Ủy ban nhân dân huyện Phú Bình", "1. Thông tin chung", "2. Thông tin số liệu",
            "- Tên đơn vị: Ủy ban nhân dân xã Kha Sơn, huyện Phú Bình, tỉnh Thái Nguyên.", "Nơi nhận:", "- Lưu: VT, VHXH.",
            "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Kiều Thị Huyền", "Nhận diện các thủ đoạn lừa đảo trực tuyến",
        ] {
            #expect(text.contains(expected), "\(expected)")
        }
        // Row 4 is the log's completed count, with its footnote.
        #expect(text.contains("cấp huyện, cấp xã \(completed)(*)") || text.contains("\(completed)(*)"), "\(completed)")
        #expect(text.contains("(*) Một lượt tuyên truyền là một lần phát trọn vẹn"))
        #expect(text.range(of: "[0-9a-f]{64}", options: .regularExpression) == nil, "no hash in the body")
        // The annex proves the figures; page numbers from page 2, centred in the top margin.
        let annex = one.words.filter { $0.page == 2 }
        #expect(annex.map(\.text).joined(separator: " ").contains("Phụ lục XÁC THỰC NHẬT KÝ PHÁT"))
        #expect(annex.contains { $0.text.range(of: "^[0-9a-f]{64}$", options: .regularExpression) != nil }, "the chain head")
        let pageNumber = try #require(annex.min { $0.y0 < $1.y0 })
        #expect(pageNumber.text == "2" && pageNumber.y1 < 20 * Self.mm && abs((pageNumber.x0 + pageNumber.x1) / 2 - (30 * Self.mm + 595.3 - 15 * Self.mm) / 2) < 6)
        #expect(page1.min { $0.y0 < $1.y0 }?.text != "1", "no number on the first page")

        // A window not over on the day of the report says how far its figures go.
        let half = try await document(["--campaign", "chuyen-doi-so-2024", "--on", "2024-12-10"], name: "bao-cao-chuyen-doi-so-giua-dot", log: log, folder: folder)
        let halfText = half.words.filter { $0.page == 1 }.map(\.text).joined(separator: " ")
        #expect(halfText.contains("Số liệu tính đến ngày 10/12/2024"), "\(halfText)")
        #expect(halfText.contains("Kế hoạch đến ngày 10/12/2024:"))
        // The figures stop at that day: 10 days x 2 plays x 4 channels, the same in the text and row 4.
        #expect(halfText.contains("đã phát 80 lượt trên 80 lượt") && halfText.contains("80(*)"), "\(halfText)")
    }

    /// The week's programme log and the month's activity report, against the log they come from.
    @Test func theWeeksProgrammeLogAndTheMonthsActivityReport() async throws {
        let folder = TemporaryFolder()
        let log = try await offThePool { try ExternalTool.simulatedKhaSon(from: "2024-11-25", to: "2024-12-01", in: folder) }
        let week = try await document(["--period", "week", "--at", "2024-11-27", "--on", "2024-12-02"], name: "so-nhat-ky-tuan", log: log, folder: folder)
        let weekText = week.words.map(\.text).joined(separator: " ")
        #expect(weekText.contains("SỔ NHẬT KÝ CHƯƠNG TRÌNH") && weekText.contains("tuần từ ngày 25/11/2024 đến ngày 01/12/2024"))
        for day in ["Thứ Hai, 25/11/2024", "Chủ nhật, 01/12/2024"] { #expect(weekText.contains(day), "\(day)") }
        #expect(weekText.components(separatedBy: "Người trực máy (ký, ghi rõ họ tên)").count - 1 == 7, "a line to sign for each day")
        #expect(!weekText.contains("Kính gửi"), "a log book is kept, not sent")
        // A turned A4 page, so each time and each source fits its column on one line.
        #expect(week.size.0 > week.size.1 && abs(week.size.0 - 842) < 2, "landscape A4: \(week.size)")
        #expect(week.words.contains { $0.text == "05:30:00-06:00:00" }, "a session's hours on one line")
        let sources = zip(week.words, week.words.dropFirst()).filter { $0.0.text == "xuất," && $0.1.text == "tiếp" }
        #expect(!sources.isEmpty && sources.allSatisfy { abs($0.0.y0 - $0.1.y0) < 1 }, "\"Tự sản xuất, tiếp sóng\" on one line")

        let month = try await document(["--period", "month", "--at", "2024-11-27", "--on", "2024-12-02"], name: "bao-cao-thang", log: log, folder: folder)
        #expect(month.pages == 1)
        let monthText = month.words.map(\.text).joined(separator: " ")
        #expect(monthText.contains("Kết quả hoạt động của Đài truyền thanh xã Kha Sơn tháng 11/2024"))
        #expect(monthText.contains("Không có sự cố") && monthText.contains("KT. CHỦ TỊCH"))
        // 25-30/11: six days of the anti-fraud campaign, 2 plays a day on each of 4 channels; the
        // sessions held on each channel are those the log has a completed play in.
        let held = try await DatabaseQueue(path: log).read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db,
                    sql: "SELECT channel, COUNT(DISTINCT date || session) AS n FROM broadcast WHERE outcome = 'completed' AND date <= '2024-11-30' GROUP BY channel"
                ).map { (row: Row) -> (String, Int) in (row["channel"], row["n"]) })
        }
        let text = try await offThePool {
            try LoaProcess.run(["report", CheckAndPlanTests.example, "--period", "month", "--at", "2024-11-27", "--on", "2024-12-02", "--log", log])
        }
        #expect(text.stdout.contains("Phòng, chống lừa đảo trực tuyến bảo vệ người dân trên không gian mạng: 48/48 lượt"), "\(text.stdout)")
        // Planned: every session of the plan from the log's first day (25/11; its relays run every
        // day, but before the log began nothing was the station's to air), counted from `loa plan`.
        let plan = try await offThePool {
            try LoaProcess.run(["plan", CheckAndPlanTests.example, "--from", "2024-11-25", "--to", "2024-11-30", "--format", "csv"])
        }
        var plannedSessions: [String: Set<String>] = [:]
        for row in plan.stdout.split(separator: "\n").dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            plannedSessions[String(fields[2]), default: []].insert("\(fields[1])|\(fields[3])")
        }
        let fm = held["fm"] ?? 0, cluster = held["loa-cum-1"] ?? 0
        let fmPlanned = plannedSessions["fm"]?.count ?? 0, clusterPlanned = plannedSessions["loa-cum-1"]?.count ?? 0
        #expect(
            fm > 0 && fmPlanned == fm && text.stdout.contains("Hệ thống FM xã: \(fm)/\(fmPlanned)")
                && text.stdout.contains("Cụm loa 1: \(cluster)/\(clusterPlanned)"), "\(text.stdout)")
        // The month's hours split the station's own from the relays of VOV1 and the province.
        #expect(text.stdout.contains("Hệ thống FM: ") && text.stdout.contains("tiếp sóng 4,5)"), "\(text.stdout)")
        let csv = try await offThePool { try LoaProcess.run(["report", CheckAndPlanTests.example, "--period", "month", "--format", "csv", "--log", log]) }
        #expect(csv.status == 64 && csv.stderr.contains("a periodic report is written as text, docx or xlsx"), "\(csv.stderr)")
    }

    /// The printable HTML, printed by Chromium as an operator's browser would: the same pages.
    @Test func thePrintableReportPrintsAsTheDocument() async throws {
        let folder = TemporaryFolder()
        let log = try await offThePool { try ExternalTool.simulatedKhaSon(from: "2024-11-25", to: "2024-12-15", in: folder) }
        let html = folder.file("bao-cao.html").path, pdf = folder.file("bao-cao-in.pdf").path
        let made = try await offThePool {
            try LoaProcess.run(
                ["report", CheckAndPlanTests.example, "--format", "html", "--output", html, "--campaign", "lua-dao-truc-tuyen-2024", "--on", "2024-12-16", "--log", log])
        }
        #expect(made.status == 0, "\(made.stderr)")
        _ = try await offThePool {
            try ExternalTool.run(
                "/usr/bin/chromium",
                ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(folder.path)/chromium", "--print-to-pdf=\(pdf)", "file://\(html)"])
        }
        let info = try await offThePool { try ExternalTool.run("pdfinfo", [pdf]).output }
        #expect(info.contains("Pages:           2") && info.contains("(A4)"), "a page and its annex, on A4: \(info)")
        let text = try await offThePool { try ExternalTool.run("pdftotext", [pdf, "-"]).output }.split(whereSeparator: \.isNewline).joined(separator: " ")
        for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kính gửi: Ủy ban nhân dân huyện Phú Bình", "168(*)", "KT. CHỦ TỊCH", "XÁC THỰC NHẬT KÝ PHÁT"] {
            #expect(text.contains(expected), "\(expected)")
        }
        _ = try await offThePool { try ExternalTool.run("pdftoppm", ["-r", "80", "-png", pdf, Self.pages.appendingPathComponent("bao-cao-in-tu-trinh-duyet").path]) }
    }

    struct Rendered {
        var pages: Int
        var size: (width: Double, height: Double)
        var fonts: [String]
        var words: [Word]
    }

    /// `loa report --format docx`, then LibreOffice to PDF, poppler to words and PNGs.
    private func document(_ arguments: [String], name: String, log: String, folder: TemporaryFolder) async throws -> Rendered {
        let docx = folder.file("\(name).docx").path
        let made = try await offThePool {
            try LoaProcess.run(["report", CheckAndPlanTests.example, "--format", "docx", "--output", docx, "--log", log] + arguments)
        }
        #expect(made.status == 0, "\(made.stderr)")
        _ = try await offThePool { try ExternalTool.run("libreoffice", ["--headless", "--convert-to", "pdf", "--outdir", folder.path, docx], home: folder.path) }
        let pdf = folder.file("\(name).pdf").path
        let info = try await offThePool { try ExternalTool.run("pdfinfo", [pdf]).output }
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "0") ?? 0
        let sizeLine = info.split(separator: "\n").first { $0.hasPrefix("Page size:") } ?? ""
        let numbers = sizeLine.split(separator: " ").compactMap { Double($0) }
        let fonts = try await offThePool { try ExternalTool.run("pdffonts", [pdf]).output }
            .split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: " ").first.map(String.init) }
        let html = try await offThePool { try ExternalTool.run("pdftotext", ["-bbox", pdf, "-"]).output }
        try FileManager.default.createDirectory(at: Self.pages, withIntermediateDirectories: true)
        _ = try await offThePool { try ExternalTool.run("pdftoppm", ["-r", "80", "-png", pdf, Self.pages.appendingPathComponent(name).path]) }
        return Rendered(pages: pages, size: (numbers.first ?? 0, numbers.dropFirst().first ?? 0), fonts: fonts, words: Self.words(html))
    }

    /// pdftotext's `-bbox` page and word elements, in reading order.
    static func words(_ html: String) -> [Word] {
        var words: [Word] = []
        var page = 0
        for line in html.split(separator: "\n") {
            if line.contains("<page ") { page += 1 }
            guard line.contains("<word "), let open = line.firstIndex(of: ">"), let close = line.range(of: "</word>") else { continue }
            func value(_ name: String) -> Double {
                guard let range = line.range(of: "\(name)=\"") else { return 0 }
                return Double(line[range.upperBound...].prefix { $0 != "\"" }) ?? 0
            }
            let text = String(line[line.index(after: open)..<close.lowerBound])
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            words.append(Word(page: page, x0: value("xMin"), y0: value("yMin"), x1: value("xMax"), y1: value("yMax"), text: text))
        }
        return words
    }
}
