import Foundation
import LoaTestSupport
import Testing

/// `loa report --format xlsx` read back by real readers: Debian's Python openpyxl (cell types, formats,
/// the frozen header, the total row's formula) and LibreOffice Calc under en-US and vi-VN (dates
/// shown dd/mm/yyyy in both).
@Suite struct ReportSpreadsheetTests {
    static let reader = """
        import json, sys, datetime, openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        out = {"sheets": book.sheetnames}
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows())
            header = [c.value for c in rows[0]]
            data = [r for r in rows[1:] if any(c.value is not None for c in r)]
            total = data[-1] if data and data[-1][0].value == "Tổng cộng" else None
            body = data[:-1] if total else data
            def kinds(index):
                return sorted({type(r[index].value).__name__ for r in body if r[index].value is not None})
            out[sheet.title] = {
                "header": header, "frozen": sheet.freeze_panes, "rows": len(body),
                "kinds": [kinds(i) for i in range(len(header))],
                "formats": [body[0][i].number_format for i in range(len(header))] if body else [],
                "total": [c.value for c in total] if total else None,
                "completed": sum(r[7].value for r in body) if sheet.title == "Số liệu" else None,
                "first": [str(c.value) for c in body[0]] if body else [],
            }
        print(json.dumps(out, ensure_ascii=False))
        """

    @Test func theWorkbookHasRealNumbersDatesAndDurations() async throws {
        let folder = TemporaryFolder()
        let example = CheckAndPlanTests.example
        // A window half aired: the report's period is the days so far.
        let log = try await offThePool { try ExternalTool.simulatedKhaSon(from: "2024-11-25", to: "2024-11-27", in: folder) }
        let xlsx = folder.file("bao-cao.xlsx").path
        let period = ["--campaign", "lua-dao-truc-tuyen-2024", "--from", "2024-11-25", "--to", "2024-11-27", "--log", log]
        let made = try await offThePool { try LoaProcess.run(["report", example, "--format", "xlsx", "--output", xlsx] + period) }
        #expect(made.status == 0, "\(made.stderr)")
        let json = try await offThePool { try LoaProcess.run(["report", example, "--format", "json"] + period) }
        let completed = try #require(Self.completedTotal(json.stdout))

        let read = try await offThePool { try ExternalTool.run("/usr/bin/python3", ["-c", Self.reader, xlsx]).output }
        let book = try #require(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [String: Any], "\(read)")
        #expect(book["sheets"] as? [String] == ["Số liệu", "Lượt phát"])
        let tallies = try #require(book["Số liệu"] as? [String: Any])
        #expect((tallies["header"] as? [String])?.prefix(8) == ["Chiến dịch", "Kênh", "Loại kênh", "Khu vực", "Ngày", "Buổi", "Kế hoạch (lượt)", "Hoàn thành (lượt)"])
        #expect(tallies["frozen"] as? String == "A2", "the header row stays in view")
        let kinds = try #require(tallies["kinds"] as? [[String]])
        #expect(kinds[0] == ["str"] && kinds[4] == ["datetime"] && kinds[6] == ["int"] && kinds[7] == ["int"], "\(kinds)")
        #expect(kinds[12] == ["timedelta"], "airtime is a duration: \(kinds[12])")
        let formats = try #require(tallies["formats"] as? [String])
        #expect(formats[4] == "dd/mm/yyyy" && formats[12] == "[h]:mm:ss", "\(formats)")
        // Row 4 of the appendix: the completed count, the same as the report's and the log's.
        #expect(tallies["completed"] as? Int == completed, "\(String(describing: tallies["completed"])) vs \(completed)")
        let total = try #require(tallies["total"] as? [Any])
        #expect(total.first as? String == "Tổng cộng" && (total[7] as? String)?.hasPrefix("=SUM(H2:H") == true, "\(total)")

        let plays = try #require(book["Lượt phát"] as? [String: Any])
        let playKinds = try #require(plays["kinds"] as? [[String]])
        #expect(playKinds[0] == ["datetime"] && playKinds[2] == ["time"] && playKinds[4] == ["timedelta"], "\(playKinds)")
        #expect((plays["rows"] as? Int ?? 0) >= completed)
        #expect((plays["total"] as? [Any])?.first as? String == "Tổng cộng", "the airtime summed apart from the plays")
        let first = try #require(plays["first"] as? [String])
        #expect(first[9] == "Nhận diện các thủ đoạn lừa đảo trực tuyến" || first[9].hasPrefix("Cảnh giác") || first[9].hasPrefix("Tin nhắn"), "titles, not ids: \(first)")

        // Calc shows the dates as dd/mm/yyyy under an English and a Vietnamese locale alike.
        for (locale, language) in [("en-US", 1033), ("vi-VN", 1066)] {
            let out = folder.path + "/\(locale)"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            _ = try await offThePool {
                try ExternalTool.run(
                    "libreoffice",
                    ["--headless", "-env:UserInstallation=file://\(folder.path)/lo-\(locale)", "--convert-to",
                     "csv:Text - txt - csv (StarCalc):44,34,76,1,,\(language),false,true,true", "--outdir", out, xlsx], home: folder.path)
            }
            let csv = try String(contentsOfFile: out + "/bao-cao.csv", encoding: .utf8)
            let row = try #require(csv.split(separator: "\n").dropFirst().first, "\(locale): \(csv.prefix(200))")
            #expect(row.contains(",25/11/2024,"), "\(locale): \(row)")
        }
    }

    static func completedTotal(_ json: String) -> Int? {
        guard let document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let campaigns = document["campaigns"] as? [[String: Any]], let total = campaigns.first?["total"] as? [String: Any]
        else { return nil }
        return total["completed"] as? Int
    }
}
