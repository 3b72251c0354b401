import LoaLog
import LoaModel

/// What every human-readable format shows of a report, in Vietnamese: the one place the parts of
/// the official báo cáo (Nghị định 30/2020/NĐ-CP, Phụ lục I, văn bản có tên loại) are chosen,
/// ordered and worded, so text, HTML and DOCX say the same.
struct ReportSections {
    typealias Section = (title: String, rows: [(name: String, tally: Tally)])

    static let title = "BÁO CÁO KẾT QUẢ TRIỂN KHAI CHIẾN DỊCH"
    static let appendixHeader = ["STT", "Nội dung", "Số lượng", "Ghi chú"]
    static let annexTitle = "Phụ lục: xác thực nhật ký phát"

    /// Who issues, receives and signs it.
    let heading: DocumentHeading
    /// The trích yếu under "BÁO CÁO".
    let subject: String
    let intro: String
    /// Label and value: unit, campaign, directive (when given), period.
    let facts: [(label: String, value: String)]
    /// What was done, in words, from the figures.
    let evaluation: String
    /// "Số liệu tính đến ngày 27/11/2024." for a period not over.
    let asOf: String?
    /// The directive's appendix rows (STT, content, quantity, note); Loa fills row 4, the
    /// commune the others.
    let appendix: [[String]]
    let sections: [Section]
    /// Whether the log verified, and its chain head or what broke it.
    let chainLine: String
    let chainIntact: Bool
    /// The command that checks the chain again.
    let verifyCommand: String
    /// "(*) " and the counting rule, under the figures it explains.
    let countingNote = "(*) " + CountingRule.vietnamese

    init(_ report: CampaignReport, _ context: ReportContext, byDay: Bool) {
        let station = context.station
        let heading = DocumentHeading(station: station, year: (context.today ?? report.through).year)
        self.heading = heading
        let committee = heading.committee
        subject = "Kết quả tuyên truyền \(report.campaign.title) trên hệ thống truyền thanh"
        let period = "từ ngày \(report.from.vietnamese) đến ngày \(report.through.vietnamese)"
        // A directive written as "Thực hiện CV 3316/..." or "Căn cứ ..." already says so.
        let directive = report.campaign.directive
        let saysHow = ["thực hiện", "căn cứ"].contains { directive.lowercased().hasPrefix($0) }
        intro =
            (directive.isEmpty ? "" : saysHow ? "\(directive), " : "Thực hiện \(directive), ")
            + "\(committee) báo cáo kết quả tuyên truyền \(report.campaign.title) trên hệ thống truyền thanh "
            + "\(period) như sau:"
        facts =
            [("Tên đơn vị", heading.unit), ("Chiến dịch", report.campaign.title)]
            + (report.campaign.directive.isEmpty ? [] : [("Căn cứ", report.campaign.directive)])
            + [("Thời gian", period)]
        let total = report.total
        // A period not over is reported as far as it has gone: against the plan up to today.
        let today = context.today.flatMap { $0 > report.through ? nil : $0 }
        let soFar = today.map { report.tally(through: $0) } ?? total
        asOf = today.map { "Số liệu tính đến ngày \($0.vietnamese)." }
        evaluation = Self.evaluation(report, soFar: soFar, today: today, station: station)
        appendix = [
            ["1", "Tổng số cơ quan, tổ chức, doanh nghiệp nhận được thông tin về chiến dịch", "", ""],
            ["2", "Tổng số cơ quan, đơn vị triển khai chiến dịch", "", ""],
            ["3", "Tổng số bài viết được tuyên truyền trên trang thông tin điện tử, mạng xã hội,...", "", ""],
            [
                "4", "Tổng số lượt tuyên truyền trên Hệ thống Truyền thanh cấp huyện, cấp xã",
                VietnameseNumber.integer(soFar.completed) + "(*)",
                today.map {
                    "Kế hoạch đến ngày \($0.vietnamese): \(VietnameseNumber.integer(soFar.planned)) lượt; "
                        + "cả đợt: \(VietnameseNumber.integer(total.planned)) lượt"
                } ?? "Kế hoạch \(VietnameseNumber.integer(total.planned)) lượt",
            ],
            ["5", "Tổng số học sinh, sinh viên được tuyên truyền", "", ""],
        ]
        chainIntact = context.chain.isIntact
        chainLine = Self.chainLine(context.chain)
        verifyCommand = "loa log verify <thư mục đài> --log <tệp nhật ký>"
        let names = StationNames(station)
        var sections: [Section] = [
            ("Theo loại hệ thống", report.byKind.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.vietnameseName, $0.value) }),
            ("Theo kênh, cụm loa", station.channels.compactMap { channel in
                report.byChannel[channel.id].map { (channel.name + (channel.area.isEmpty ? "" : " (\(channel.area))"), $0) }
            }),
            ("Theo bản tin", report.byMessage.sorted { $0.key < $1.key }.map { (names.message($0.key, of: report.campaign.id), $0.value) }),
            ("Theo buổi phát", report.bySession.sorted { $0.key < $1.key }.map { (names.session($0.key), $0.value) }),
        ]
        if byDay {
            // Days not yet come are not shortfalls: they are left out.
            let days = report.byDay.filter { day, _ in context.today.map { day <= $0 } ?? true }
            sections.append(("Theo ngày", days.sorted { $0.key < $1.key }.map { ($0.key.vietnamese, $0.value) }))
        }
        self.sections = sections
    }

    /// "Đài truyền thanh xã Kha Sơn đã phát 64 lượt trên 64 lượt theo kế hoạch (100%): 16 lượt
    /// trên hệ thống FM, 48 lượt trên loa truyền thanh các xóm; bản tin: …"
    private static func evaluation(_ report: CampaignReport, soFar: Tally, today: CivilDate?, station: Station) -> String {
        let total = report.total
        let percent = soFar.planned == 0 ? 0 : Int((Double(soFar.completed) / Double(soFar.planned) * 100).rounded())
        var text = "\(station.name) đã phát \(VietnameseNumber.integer(soFar.completed)) lượt trên "
            + "\(VietnameseNumber.integer(soFar.planned)) lượt theo kế hoạch"
            + (today.map { " đến ngày \($0.vietnamese)" } ?? "") + " (\(percent)%)"
        let kinds = report.byKind.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            "\(VietnameseNumber.integer($0.value.completed)) lượt trên \($0.key.vietnameseName.prefix(1).lowercased() + $0.key.vietnameseName.dropFirst())"
        }
        if !kinds.isEmpty { text += ": " + kinds.joined(separator: ", ") }
        let titles = report.campaign.messages.map(\.title)
        if !titles.isEmpty { text += "; bản tin: " + titles.joined(separator: "; ") }
        let short = total.interrupted + total.failed + total.missed + total.skipped
        text += short == 0 ? "." : ". Có \(VietnameseNumber.integer(short)) lần phát không trọn vẹn, không được tính (xem phụ lục)."
        return text
    }

    /// The chain's result in a sentence, without the hash (which belongs in an annex).
    static func chainSummary(_ chain: ChainVerification) -> String {
        chain.isIntact
            ? "Số liệu lấy từ nhật ký phát của đài; chuỗi băm của nhật ký đã được kiểm tra: hợp lệ."
            : "Nhật ký phát KHÔNG HỢP LỆ, kiểm tra chuỗi băm thất bại: \(chain.problem ?? "")"
    }

    static func chainLine(_ chain: ChainVerification) -> String {
        if let problem = chain.problem { return "Nhật ký phát: KHÔNG HỢP LỆ, kiểm tra chuỗi băm thất bại: \(problem)" }
        return "Nhật ký phát: hợp lệ, mã chuỗi băm \(chain.head ?? "")"
    }

    static let columns = ["Kế hoạch", "Hoàn thành", "Bị ngắt", "Lỗi", "Bỏ lỡ", "Bỏ qua", "Phút phát"]

    /// A tally's cells in the order of `columns`, with Vietnamese number formatting.
    static func cells(_ tally: Tally) -> [String] {
        [tally.planned, tally.completed, tally.interrupted, tally.failed, tally.missed, tally.skipped]
            .map(VietnameseNumber.integer) + [VietnameseNumber.decimal(tally.airtimeMinutes)]
    }
}

/// The parts of an official document (NĐ 30/2020) around its body: the heading, Kính gửi, the
/// signer and Nơi nhận, from the station's `report:` settings.
struct DocumentHeading {
    /// The issuing body, a line each, in capitals.
    let issuer: [String]
    /// "Số:      /BC-UBND": the number is the văn thư's to write when it registers the report.
    let number: String
    /// "Kha Sơn, ngày      tháng      năm 2024": the day and month too.
    let dateLine: String
    let recipients: [String]
    /// "Ủy ban nhân dân xã Kha Sơn"
    let committee: String
    /// "Ủy ban nhân dân xã Kha Sơn, huyện Phú Bình, tỉnh Thái Nguyên"
    let unit: String
    let signerCapacity: String
    let signerTitle: String
    let signerName: String
    /// Nơi nhận: the copies, and where the original is kept.
    let copies: [String]

    init(station: Station, year: Int) {
        let places = [station.commune, station.district, station.province].map(AdministrativeUnit.init).filter { !$0.isEmpty }
        let committee = "Ủy ban nhân dân " + (places.first?.midLine ?? station.name)
        self.init(
            heading: station.heading, committee: committee, unit: ([committee] + places.dropFirst().map(\.midLine)).joined(separator: ", "),
            year: year)
    }

    /// For a body other than a commune's (the province's Sở collecting from its communes).
    init(heading: OfficialHeading, committee: String, unit: String, year: Int) {
        self.committee = committee
        self.unit = unit
        issuer = heading.issuer
        number = "Số:        /\(heading.numberSuffix)"
        dateLine = "\(heading.place), ngày      tháng      năm \(year)"
        recipients = heading.recipients
        signerCapacity = heading.signerCapacity
        signerTitle = heading.signerTitle
        signerName = heading.signerName
        copies =
            ["Như trên;"] + heading.copiesTo.map { $0.hasSuffix(";") ? $0 : $0 + ";" }
            + ["Lưu: VT" + (heading.filing.isEmpty ? "" : ", \(heading.filing)") + "."]
    }
}
