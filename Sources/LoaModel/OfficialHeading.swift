import Foundation

/// A unit of Vietnam's administration as documents write it: "Xã Kha Sơn" is the level "xã" and
/// the name "Kha Sơn"; mid-line the level is lower case ("xã Kha Sơn, huyện Phú Bình").
public struct AdministrativeUnit: Sendable, Equatable {
    public var level: String
    public var name: String

    /// Longest first, so "Thị xã" is not read as "Thị" and "xã".
    static let levels = ["Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã"]

    public init(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for level in Self.levels where trimmed.lowercased().hasPrefix(level.lowercased() + " ") {
            self.level = level.lowercased()
            name = String(trimmed.dropFirst(level.count + 1)).trimmingCharacters(in: .whitespaces)
            return
        }
        level = ""
        name = trimmed
    }

    /// "xã Kha Sơn"
    public var midLine: String { level.isEmpty ? name : "\(level) \(name)" }
    /// "XÃ KHA SƠN"
    public var capitals: String { midLine.uppercased() }
    public var isEmpty: Bool { name.isEmpty }
}

/// What the official báo cáo (Nghị định 30/2020/NĐ-CP, Phụ lục I) needs that the rest of the
/// config does not say: who issues it, to whom, who signs, and where it is kept. Every part has
/// a default made from the station's commune, district and province.
public struct OfficialHeading: Sendable, Equatable {
    /// The issuing body, one line each, in capitals: "ỦY BAN NHÂN DÂN", "XÃ KHA SƠN".
    public var issuer: [String]
    /// The tail of the document number, after "Số:      /".
    public var numberSuffix: String
    /// The place on the date line: "Kha Sơn, ngày ... tháng ... năm ...".
    public var place: String
    /// Kính gửi: since the 2025 reform often the province's Sở Văn hóa, Thể thao và Du lịch.
    public var recipients: [String]
    /// "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH", or "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH".
    public var signerCapacity: String
    public var signerTitle: String
    /// Empty leaves the space for the name to be written by hand.
    public var signerName: String
    /// Nơi nhận, after "Như trên"; the last line is "Lưu: VT, <filing>".
    public var copiesTo: [String]
    public var filing: String

    public init(
        issuer: [String], numberSuffix: String, place: String, recipients: [String], signerCapacity: String, signerTitle: String,
        signerName: String, copiesTo: [String], filing: String
    ) {
        self.issuer = issuer
        self.numberSuffix = numberSuffix
        self.place = place
        self.recipients = recipients
        self.signerCapacity = signerCapacity
        self.signerTitle = signerTitle
        self.signerName = signerName
        self.copiesTo = copiesTo
        self.filing = filing
    }

    /// The heading a commune's People's Committee would write: issued by ỦY BAN NHÂN DÂN of the
    /// commune, to the district's (or, without one, the province's Sở Văn hóa, Thể thao và Du
    /// lịch), signed for the committee by its chairman.
    public static func defaults(commune: String, district: String, province: String) -> OfficialHeading {
        let commune = AdministrativeUnit(commune), district = AdministrativeUnit(district), province = AdministrativeUnit(province)
        let recipient =
            !district.isEmpty ? "Ủy ban nhân dân \(district.midLine)"
            : !province.isEmpty ? "Sở Văn hóa, Thể thao và Du lịch \(province.midLine)" : ""
        return OfficialHeading(
            issuer: ["ỦY BAN NHÂN DÂN"] + (commune.isEmpty ? [] : [commune.capitals]), numberSuffix: "BC-UBND",
            place: commune.name, recipients: recipient.isEmpty ? [] : [recipient], signerCapacity: "TM. ỦY BAN NHÂN DÂN",
            signerTitle: "CHỦ TỊCH", signerName: "", copiesTo: [], filing: "VHXH")
    }
}
