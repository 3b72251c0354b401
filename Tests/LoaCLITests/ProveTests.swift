import Foundation
import GRDB
import LoaTestSupport
import Testing

/// The campaign window aired on a virtual clock, then the log read back and tampered with.
@Suite struct ProveTests {
    @Test func simulatingKhaSonsWindowCompletesEveryPlannedEntryAndTamperingIsFound() throws {
        let folder = TemporaryFolder()
        let log = folder.url.appendingPathComponent("kha-son.sqlite").path
        let example = CheckAndPlanTests.example
        let simulated = try LoaProcess.run(["run", example, "--simulate", "--from", "2024-11-25", "--to", "2024-12-15", "--log", log])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let plan = try LoaProcess.run(["plan", example, "--from", "2024-11-25", "--to", "2024-12-15", "--format", "json"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let planned = try #require(object["entries"] as? [[String: Any]]).count
        #expect(simulated.stdout.contains("\(planned) planned, \(planned) completed"), "\(simulated.stdout)")

        let csv = try LoaProcess.run(["log", example, "--log", log, "--format", "csv"])
        let rows = csv.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == planned)
        #expect(rows.allSatisfy { $0.contains(",completed,") })

        let verified = try LoaProcess.run(["log", "verify", example, "--log", log])
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("hợp lệ (intact), \(planned) lượt ghi, chain head "))

        // The report every commune sends up, as Word: LibreOffice opens it and its text is all there.
        let docx = folder.url.appendingPathComponent("bao-cao.docx").path
        let report = try LoaProcess.run([
            "report", example, "--campaign", "lua-dao-truc-tuyen-2024", "--format", "docx", "--output", docx, "--log", log,
        ])
        #expect(report.status == 0, "\(report.stderr)")
        let pdf = try Self.pdfText(ofDocx: docx, in: folder)
        #expect(pdf.contains("BÁO CÁO Kết quả tuyên truyền Phòng, chống lừa đảo trực tuyến bảo vệ người dân trên không"))
        #expect(pdf.contains("từ ngày 25/11/2024 đến ngày 15/12/2024"))
        #expect(pdf.contains("168(*)"), "21 days x 2 plays x 4 channels")

        // An operator "fixes" the log by hand.
        try DatabaseQueue(path: log).write {
            try $0.execute(sql: "UPDATE broadcast SET playedSeconds = 99 WHERE id = 42")
        }
        let tampered = try LoaProcess.run(["log", "verify", example, "--log", log])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("KHÔNG HỢP LỆ (verification failed): row id 42 "), "\(tampered.stdout)")

        let missing = try LoaProcess.run(["log", example, "--log", folder.url.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1 && missing.stderr.contains("none.sqlite: no broadcast log there"))
        let noCampaign = try LoaProcess.run(["report", example, "--campaign", "khong-co", "--log", log])
        #expect(noCampaign.status != 0 && noCampaign.stderr.contains("unknown campaign 'khong-co'"))
        let broken = try LoaProcess.run(["report", example, "--campaign", "lua-dao-truc-tuyen-2024", "--format", "text", "--log", log])
        #expect(broken.status == 0)
        #expect(broken.stderr.contains("warning: the log's hash chain does not verify"))
        #expect(broken.stdout.contains("KHÔNG HỢP LỆ"))
    }

    /// A log that is missing, held locked by another program, or not a Loa log: a clear error
    /// naming the file and a non-zero exit, and the file left as it was.
    @Test func reportsRefuseLogsTheyCannotRead() throws {
        let folder = TemporaryFolder()
        let example = CheckAndPlanTests.example
        func report(_ log: String) throws -> LoaProcess {
            try LoaProcess.run(["report", example, "--format", "csv", "--log", log])
        }
        let missing = try report(folder.file("none.sqlite").path)
        #expect(missing.status != 0 && missing.stderr.contains("none.sqlite: no broadcast log there"), "\(missing.stderr)")

        let foreign = folder.file("foreign.sqlite").path
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE songs (title TEXT)") }
        let notLoa = try report(foreign)
        #expect(notLoa.status != 0 && notLoa.stderr.contains("foreign.sqlite: not a Loa broadcast log"), "\(notLoa.stderr)")
        #expect(try DatabaseQueue(path: foreign).read { try $0.tableExists("broadcast") } == false)

        let text = folder.file("notes.sqlite")
        try Data("không phải nhật ký".utf8).write(to: text)
        let garbage = try report(text.path)
        #expect(garbage.status != 0 && garbage.stderr.contains("notes.sqlite"), "\(garbage.stderr)")

        let log = folder.file("locked.sqlite").path
        let simulated = try LoaProcess.run(["run", example, "--simulate", "--from", "2024-11-25", "--to", "2024-11-26", "--log", log])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        var exclusive = Configuration()
        exclusive.prepareDatabase { try $0.execute(sql: "PRAGMA locking_mode = EXCLUSIVE") }
        let holder = try DatabaseQueue(path: log, configuration: exclusive)
        try holder.inTransaction(.exclusive) { db in
            try db.execute(sql: "UPDATE broadcast SET reason = reason WHERE id = 1")
            let locked = try report(log)
            #expect(locked.status != 0 && locked.stderr.contains("locked.sqlite: the log is locked by another program"), "\(locked.stderr)")
            return .rollback
        }
    }

    /// `libreoffice --headless --convert-to pdf`, then `pdftotext`, with line breaks folded to spaces.
    static func pdfText(ofDocx docx: String, in folder: TemporaryFolder) throws -> String {
        _ = try ExternalTool.run("libreoffice", ["--headless", "--convert-to", "pdf", "--outdir", folder.path, docx], home: folder.path)
        let pdf = URL(fileURLWithPath: docx).deletingPathExtension().appendingPathExtension("pdf").path
        return try ExternalTool.run("pdftotext", [pdf, "-"]).output.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
