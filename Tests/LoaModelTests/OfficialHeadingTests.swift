import Foundation
import LoaModel
import Testing

/// `report:` in station.yaml, and the defaults the official báo cáo takes without it.
@Suite struct OfficialHeadingTests {
    @Test func defaultsComeFromTheCommuneDistrictAndProvince() {
        let heading = OfficialHeading.defaults(commune: "Xã Kha Sơn", district: "Huyện Phú Bình", province: "Tỉnh Thái Nguyên")
        #expect(heading.issuer == ["ỦY BAN NHÂN DÂN", "XÃ KHA SƠN"])
        #expect(heading.place == "Kha Sơn" && heading.recipients == ["Ủy ban nhân dân huyện Phú Bình"])
        #expect(heading.signerCapacity == "TM. ỦY BAN NHÂN DÂN" && heading.signerTitle == "CHỦ TỊCH")
        // Since the 2025 reform a commune reports to the province's department.
        let noDistrict = OfficialHeading.defaults(commune: "Phường Phan Đình Phùng", district: "", province: "Tỉnh Thái Nguyên")
        #expect(noDistrict.recipients == ["Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên"])
        #expect(noDistrict.issuer == ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHAN ĐÌNH PHÙNG"] && noDistrict.place == "Phan Đình Phùng")
        #expect(AdministrativeUnit("Thị xã Phổ Yên").midLine == "thị xã Phổ Yên")
    }

    @Test func theStationFileSaysWhoIssuesReceivesAndSigns() throws {
        let folder = StationFolder(station: StationFolder.station + """
            report:
              recipients: Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên
              signer-name: Nguyễn Văn A
              copies-to: ["Chủ tịch, các PCT UBND xã"]

            """)
        let checked = folder.check()
        #expect(!checked.diagnostics.hasErrors, "\(checked.diagnostics)")
        let heading = try #require(checked.station?.heading)
        // One line may be written without a list (a list in brackets would split at its commas).
        #expect(heading.recipients == ["Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên"])
        #expect(heading.signerName == "Nguyễn Văn A" && heading.copiesTo == ["Chủ tịch, các PCT UBND xã"])
        #expect(heading.signerTitle == "CHỦ TỊCH", "a key left out keeps its default")
    }

    @Test func aBadReportBlockIsALocatedError() {
        let folder = StationFolder(station: StationFolder.station + "report:\n  signer-tittle: CHỦ TỊCH\n  copies-to: [[1], x]\n")
        let lines = folder.check().shortDiagnostics
        #expect(lines.contains { $0.contains("unknown key 'signer-tittle' in 'report'; did you mean 'signer-title'?") }, "\(lines)")
        #expect(lines.contains { $0.contains("each entry of 'copies-to' must be a line of text") }, "\(lines)")
    }
}
