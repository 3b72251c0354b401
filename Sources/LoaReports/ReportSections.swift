import LoaLog
import LoaModel

/// What every human-readable format shows of a report, in Vietnamese: the one place its title,
/// facts, the directive's appendix table (NĐ 30/2020 style), the breakdowns, the chain's line and
/// the signature are chosen, ordered and worded, so text, HTML and DOCX say the same.
struct ReportSections {
    typealias Section = (title: String, rows: [(name: String, tally: Tally)])

    static let title = "BÁO CÁO KẾT QUẢ TRIỂN KHAI CHIẾN DỊCH"
    static let signer = "Người lập báo cáo"
    static let signature = "(Ký, ghi rõ họ tên)"
    static let appendixHeader = ["STT", "Nội dung", "Số lượng", "Ghi chú"]

    /// "Đài truyền thanh xã Kha Sơn, Xã Kha Sơn, Huyện Phú Bình, Tỉnh Thái Nguyên"
    let unit: String
    /// Label and value: unit, campaign, directive (when given), period.
    let facts: [(label: String, value: String)]
    /// The directive's appendix rows (STT, content, quantity, note); Loa fills row 4, the
    /// commune the others.
    let appendix: [[String]]
    let sections: [Section]
    /// Whether the log verified, and its chain head or what broke it.
    let chainLine: String
    let chainIntact: Bool
    /// "* " and the counting rule, under the figures it explains.
    let countingNote = "* " + CountingRule.vietnamese

    init(_ report: CampaignReport, _ context: ReportContext, byDay: Bool) {
        let station = context.station
        unit = [station.name, station.commune, station.district, station.province].filter { !$0.isEmpty }
            .joined(separator: ", ")
        facts =
            [("Tên đơn vị", unit), ("Chiến dịch", report.campaign.title)]
            + (report.campaign.directive.isEmpty ? [] : [("Căn cứ", report.campaign.directive)])
            + [("Thời gian", "từ \(report.from.vietnamese) đến \(report.through.vietnamese)")]
        appendix = [
            ["1", "Tổng số cơ quan, tổ chức, doanh nghiệp nhận được thông tin về chiến dịch", "", ""],
            ["2", "Tổng số cơ quan, đơn vị triển khai chiến dịch", "", ""],
            ["3", "Tổng số bài viết được tuyên truyền trên trang thông tin điện tử, mạng xã hội,...", "", ""],
            [
                "4", "Tổng số lượt tuyên truyền trên Hệ thống Truyền thanh cấp huyện, cấp xã",
                VietnameseNumber.integer(report.total.completed) + "*",
                "Kế hoạch \(VietnameseNumber.integer(report.total.planned)) lượt",
            ],
            ["5", "Tổng số học sinh, sinh viên được tuyên truyền", "", ""],
        ]
        chainIntact = context.chain.isIntact
        chainLine = Self.chainLine(context.chain)
        let sessions = Dictionary(station.sessions.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var sections: [Section] = [
            ("Theo loại hệ thống", report.byKind.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.vietnameseName, $0.value) }),
            ("Theo kênh, cụm loa", station.channels.compactMap { channel in
                report.byChannel[channel.id].map { (channel.name + (channel.area.isEmpty ? "" : " (\(channel.area))"), $0) }
            }),
            ("Theo bản tin", report.byMessage.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }),
            ("Theo buổi phát", report.bySession.sorted { $0.key < $1.key }.map { (sessions[$0.key] ?? $0.key, $0.value) }),
        ]
        if byDay { sections.append(("Theo ngày", report.byDay.sorted { $0.key < $1.key }.map { ($0.key.vietnamese, $0.value) })) }
        self.sections = sections
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
