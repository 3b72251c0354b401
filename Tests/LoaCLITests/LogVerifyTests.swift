import Crypto
import Foundation
import GRDB
import LoaTestSupport
import Testing

/// `loa log verify` on damaged, shortened and read-only logs: it reads only, checks the file's
/// pages as well as the chain, names the path, and knows an earlier head.
@Suite struct LogVerifyTests {
    static func simulatedLog(_ folder: TemporaryFolder) throws -> String {
        let log = folder.file("kha-son.sqlite").path
        let simulated = try LoaProcess.run(
            ["run", CheckAndPlanTests.example, "--simulate", "--from", "2024-11-25", "--to", "2024-11-30", "--log", log])
        try #require(simulated.status == 0, "\(simulated.stderr)")
        return log
    }

    static func verify(_ log: String, _ extra: [String] = []) throws -> LoaProcess {
        try LoaProcess.run(["log", "verify", CheckAndPlanTests.example, "--log", log] + extra)
    }

    static func digest(_ path: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
    }

    @Test func verifyingWritesNothingToTheLog() throws {
        let folder = TemporaryFolder()
        let log = try Self.simulatedLog(folder)
        // Checkpointed and closed, so the main file holds everything.
        try DatabaseQueue(path: log).writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let before = try Self.digest(log)
        let result = try Self.verify(log)
        #expect(result.status == 0 && result.stdout.contains("hợp lệ (intact)"), "\(result.stdout) \(result.stderr)")
        #expect(try Self.digest(log) == before, "the file's bytes (its checksum and schema cookie) are unchanged")
    }

    @Test func overwrittenPagesAreDamageNamedWithThePath() throws {
        let folder = TemporaryFolder()
        let log = try Self.simulatedLog(folder)
        try DatabaseQueue(path: log).writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        // Pages in the middle of the file (the chain's rows may still read; the b-tree does not).
        try handle.seek(toOffset: UInt64(size / 2 / 4096 * 4096))
        handle.write(Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        try handle.close()
        let result = try Self.verify(log)
        #expect(result.status != 0)
        #expect((result.stdout + result.stderr).contains(log), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("KHÔNG HỢP LỆ") || result.stderr.contains("damaged"), "\(result.stdout) \(result.stderr)")
    }

    @Test func deletingTheNewestRowsIsCaughtByTheHeadAReportQuoted() throws {
        let folder = TemporaryFolder()
        let log = try Self.simulatedLog(folder)
        let first = try Self.verify(log)
        let head = try #require(first.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(head.count == 64)
        #expect(try Self.verify(log, ["--expect-head", head]).stdout.contains("is in the chain at row"))
        try DatabaseQueue(path: log).write { db in
            try db.execute(sql: "DELETE FROM broadcast WHERE sealSequence > (SELECT MAX(sealSequence) - 3 FROM broadcast)")
        }
        #expect(try Self.verify(log).status == 0, "a shorter chain is still a valid chain")
        let caught = try Self.verify(log, ["--expect-head", head])
        #expect(caught.status != 0 && caught.stdout.contains("is not in the chain"), "\(caught.stdout)")
        #expect(try Self.verify(log, ["--expect-head", "xyz"]).status != 0)
    }

    @Test func aLogOnAReadOnlyMountVerifies() throws {
        let folder = TemporaryFolder()
        let log = try Self.simulatedLog(folder)
        try DatabaseQueue(path: log).writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        guard let mountPoint = ScratchMount(megabytes: 8) else { return }
        let copy = mountPoint.path + "/kha-son.sqlite"
        try FileManager.default.copyItem(atPath: log, toPath: copy)
        #expect(mountPoint.remountReadOnly())
        let result = try Self.verify(copy)
        #expect(result.status == 0 && result.stdout.contains("hợp lệ (intact)"), "\(result.stdout) \(result.stderr)")
        let report = try LoaProcess.run(["report", CheckAndPlanTests.example, "--format", "csv", "--log", copy])
        #expect(report.status == 0, "\(report.stderr)")
    }

    @Test func announcementsOutsideTheBoundsAreRefusedAtTheCommandLine() throws {
        let folder = TemporaryFolder()
        let audio = AudioFixture.tone(folder.file("tin.wav"), seconds: 1, rate: 8_000).path
        func announce(_ extra: [String]) throws -> LoaProcess {
            try LoaProcess.run(["announce", CheckAndPlanTests.example, audio, "--log", folder.path + "/log.sqlite"] + extra)
        }
        for (extra, said) in [
            (["--level", "priority", "--repeat", "2147483647", "--every", "1h"], "--repeat must be from 1 to 48"),
            (["--repeat", "0"], "--repeat must be from 1 to 48"),
            (["--repeat", "30", "--every", "1h"], "run past 24 hours"),
            (["--repeat", "2", "--every", "1s"], "outside 60 s-24 h"),
            (["--channels", ""], "--channels needs channel ids"), (["--channels", ",,,"], "--channels needs channel ids"),
            (["--channels", "fm,fm"], "names a channel twice"), (["--every=-5m"], "not a duration"),
        ] {
            let result = try announce(extra)
            #expect(result.status != 0 && result.stderr.contains(said), "\(extra): \(result.stderr)")
        }
        // A sound request, but no daemon runs for this log: refused, unless asked to wait for one.
        let stopped = try announce([])
        #expect(stopped.status == 1 && stopped.stderr.contains("no daemon runs for"), "\(stopped.stderr)")
        let spooled = (try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/log.spool")) ?? []
        #expect(spooled.filter { $0.hasSuffix(".json") }.isEmpty, "nothing refused reached the spool")
        let queued = try announce(["--queue"])
        #expect(queued.status == 0, "\(queued.stderr)")
        let waiting = (try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/log.spool")) ?? []
        #expect(waiting.filter { $0.hasSuffix(".json") }.count == 1, "queued for the daemon: \(waiting)")
    }
}
