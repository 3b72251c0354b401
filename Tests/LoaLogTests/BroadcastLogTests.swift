import Crypto
import Foundation
import GRDB
@testable import LoaLog
import LoaModel
import LoaTestSupport
import Testing

@Suite struct BroadcastLogTests {
    let folder = TemporaryFolder()

    static func record(_ entry: String, campaign: String? = "lua-dao") -> BroadcastRecord {
        BroadcastRecord(
            entryID: entry, date: CivilDate(parsing: "2024-11-25")!, station: "Đài xã Thử", channel: "fm", channelKind: .fm, session: "sang",
            campaign: campaign, message: "tin-1", role: .message, audio: "tin-1.wav", audioSHA256: nil,
            scheduledStart: "2024-11-24T22:30:00.000Z", timeZone: "Asia/Ho_Chi_Minh", device: "null")
    }

    func filledLog() throws -> BroadcastLog {
        let log = try BroadcastLog(path: folder.file("log.sqlite").path)
        for n in 1...5 {
            let id = try log.started(Self.record("e\(n)"))
            try log.finished(id: id, outcome: .completed, actualEnd: Date(), playedSeconds: 20)
        }
        try log.unplayed(Self.record("e6"), outcome: .missed, reasonCode: .daemonNotRunning, reason: "tắt máy")
        return log
    }

    @Test func rowsAreSealedIntoAVerifiableChain() throws {
        let log = try filledLog()
        let result = try log.verify()
        #expect(result.isIntact && result.rows == 6)
        let last = try #require(try log.records().last)
        #expect(result.head == last.hash)
        #expect(last.outcome == .missed && last.reasonCode == .daemonNotRunning)
        #expect(try log.outcomes(on: [CivilDate(year: 2024, month: 11, day: 25)!]) == [
            "e1": .completed, "e2": .completed, "e3": .completed, "e4": .completed, "e5": .completed, "e6": .missed,
        ])
    }

    @Test func theLatestRowsOfSomeOutcomesComeOldestFirst() throws {
        let log = try filledLog()
        for n in 7...12 {
            try log.unplayed(Self.record("e\(n)"), outcome: .failed, reasonCode: .audioUnreadable, reason: "hỏng")
        }
        #expect(try log.latest([.missed], limit: 5).map(\.entryID) == ["e6"])
        #expect(try log.latest([.failed, .missed], limit: 5).map(\.entryID) == ["e8", "e9", "e10", "e11", "e12"])
        #expect(try log.latest([.interrupted], limit: 5).isEmpty)
    }

    @Test func aRowLeftPlayingBecomesInterruptedOnRecovery() throws {
        let log = try BroadcastLog(path: folder.file("log.sqlite").path)
        _ = try log.started(Self.record("cut"))
        #expect(try log.outcomes(on: [CivilDate(year: 2024, month: 11, day: 25)!]) == ["cut": .playing])
        #expect(try log.verify().rows == 0, "a playing row is not yet in the chain")
        #expect(try log.recoverInterrupted() == 1)
        let row = try #require(try log.records().first)
        #expect(row.outcome == .interrupted && row.reasonCode == .powerLossOrCrash)
        #expect(try log.verify().isIntact)
        #expect(try log.recoverInterrupted() == 0)
    }

    @Test func anAlteredRowIsNamed() throws {
        let path = folder.file("log.sqlite").path
        _ = try filledLog()
        // Someone edits the file by hand to turn a missed broadcast into a completed one.
        let raw = try DatabaseQueue(path: path)
        try raw.write { try $0.execute(sql: "UPDATE broadcast SET outcome = 'completed' WHERE entryID = 'e6'") }
        let result = try BroadcastLog.existing(path: path).verify()
        #expect(!result.isIntact)
        #expect(result.problem == "row id 6 (entry e6) was altered after it was written")
    }

    @Test func aDeletedRowIsNamed() throws {
        let path = folder.file("log.sqlite").path
        _ = try filledLog()
        let raw = try DatabaseQueue(path: path)
        try raw.write { try $0.execute(sql: "DELETE FROM broadcast WHERE entryID = 'e3'") }
        let result = try BroadcastLog.existing(path: path).verify()
        #expect(result.problem?.contains("sealed row(s) 3..3 are missing: deleted before row id 4") == true)
    }

    @Test func instantsAreWrittenAsUTCToTheMillisecondAndReadBack() {
        let cases: [(TimeInterval, String)] = [
            (0, "1970-01-01T00:00:00.000Z"), (1_732_573_800.125, "2024-11-25T22:30:00.125Z"),
            (1_732_573_800.9996, "2024-11-25T22:30:01.000Z"), (951_782_400.5, "2000-02-29T00:00:00.500Z"),
            (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
        ]
        for (seconds, text) in cases {
            #expect(LogTime.string(Date(timeIntervalSince1970: seconds)) == text)
            let back = LogTime.date(text)?.timeIntervalSince1970 ?? -1
            #expect(abs(back - (seconds * 1000).rounded() / 1000) < 0.0005, "\(text)")
        }
        #expect(LogTime.date("2024-11-25 22:30:00") == nil)
    }

    /// The columns the chain hashes, by name and position, are the table's, in the table's order.
    @Test func theChainsColumnsAreTheTables() throws {
        let log = try filledLog()
        let names = try log.read { db in try db.columns(in: "broadcast").map(\.name) }
        #expect(names == HashChain.columnNames)
    }

    /// A stored role, kind, date or reason that is none of its type's is an error naming the
    /// column, not a crash or a silent default.
    @Test func aRowWithAnUnknownValueIsAnErrorNamingTheColumn() throws {
        let path = folder.file("log.sqlite").path
        _ = try filledLog()
        for (column, value) in [("role", "jingle"), ("channelKind", "tv"), ("date", "25/13/2024"), ("reasonCode", "gremlins")] {
            try DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE broadcast SET \(column) = ? WHERE entryID = 'e6'", arguments: [value]) }
            #expect {
                try BroadcastLog.existing(path: path).records()
            } throws: { "\($0)".contains(column) }
            try DatabaseQueue(path: path).write { db in
                let good = ["role": "message", "channelKind": "fm", "date": "2024-11-25", "reasonCode": "daemon-not-running"][column]!
                try db.execute(sql: "UPDATE broadcast SET \(column) = ? WHERE entryID = 'e6'", arguments: [good])
            }
        }
        #expect(try BroadcastLog.existing(path: path).records().count == 6)
    }

    @Test func reopeningKeepsEverythingAndMissingOrForeignFilesAreRefused() throws {
        let path = folder.file("log.sqlite").path
        let head = try filledLog().verify().head
        #expect(try BroadcastLog.existing(path: path).verify().head == head)
        #expect(throws: LogError.self) { try BroadcastLog.existing(path: folder.url.appendingPathComponent("none.sqlite").path) }
        let text = folder.write("notes.sqlite", "not a database at all, just words")
        #expect(throws: LogError.self) { try BroadcastLog.existing(path: text.path) }
        let other = folder.file("other.sqlite").path
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE t(x)") }
        #expect(throws: LogError.self) { try BroadcastLog.existing(path: other) }
    }
}
