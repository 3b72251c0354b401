import LoaModel

/// What every human-readable format shows of a report, named in Vietnamese: the one place the
/// breakdowns are chosen, ordered and labelled, so text, HTML and DOCX say the same.
struct ReportSections {
    typealias Section = (title: String, rows: [(name: String, tally: Tally)])

    /// "Đài truyền thanh xã Kha Sơn, Xã Kha Sơn, Huyện Phú Bình, Tỉnh Thái Nguyên"
    let unit: String
    let sections: [Section]

    init(_ report: CampaignReport, station: Station, byDay: Bool) {
        unit = [station.name, station.commune, station.district, station.province].filter { !$0.isEmpty }
            .joined(separator: ", ")
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

    static let columns = ["Kế hoạch", "Hoàn thành", "Bị ngắt", "Lỗi", "Bỏ lỡ", "Bỏ qua", "Phút phát"]

    /// A tally's cells in the order of `columns`, with Vietnamese number formatting.
    static func cells(_ tally: Tally) -> [String] {
        [tally.planned, tally.completed, tally.interrupted, tally.failed, tally.missed, tally.skipped]
            .map(VietnameseNumber.integer) + [VietnameseNumber.decimal(tally.airtimeMinutes)]
    }
}
