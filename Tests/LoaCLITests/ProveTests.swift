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

        // An operator "fixes" the log by hand.
        try DatabaseQueue(path: log).write {
            try $0.execute(sql: "UPDATE broadcast SET playedSeconds = 99 WHERE id = 42")
        }
        let tampered = try LoaProcess.run(["log", "verify", example, "--log", log])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("KHÔNG HỢP LỆ (verification failed): row id 42 "), "\(tampered.stdout)")

        let missing = try LoaProcess.run(["log", example, "--log", folder.url.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1 && missing.stderr.contains("none.sqlite: no broadcast log there"))
    }
}
