import Crypto
import Foundation
import GRDB
@testable import LoaLog
import LoaModel
import LoaTestSupport
import Testing

@Suite struct HashChainTests {
    let folder = TemporaryFolder()

    /// The hash covers the previous hash, a newline, then the content fields in a fixed order
    /// joined by 0x1F (one inside a field becomes a space): recomputed here from the record's
    /// fields, so a change of format (which would break every log already written) fails.
    @Test func aRowsHashFollowsTheDocumentedFormat() throws {
        let log = try BroadcastLog(path: folder.file("log.sqlite").path)
        var record = BroadcastLogTests.record("e\u{1F}1")
        record.reason = "lý do"
        let id = try log.started(record)
        try log.finished(id: id, outcome: .completed, actualEnd: Date(timeIntervalSince1970: 1_732_575_000.5), playedSeconds: 1234.5676)
        let row = try #require(try log.records().first)
        let fields = [
            "\(id)", "e 1", "2024-11-25", "Đài xã Thử", "fm", "fm", "sang", "lua-dao", "tin-1", "message", "tin-1.wav", "",
            "2024-11-24T22:30:00.000Z", "", "2024-11-25T22:50:00.500Z", "Asia/Ho_Chi_Minh", "1234.568", "completed", "", "",
            "null", "1",
        ]
        let input = ChainVerification.genesis + "\n" + fields.joined(separator: "\u{1F}")
        let expected = SHA256.hash(data: Data(input.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        #expect(row.sealSequence == 1 && row.previousHash == ChainVerification.genesis)
        #expect(row.hash == expected)
        #expect(try log.verify().head == expected)
    }

    /// However the chain is cut into runs, the answer is the one a single pass gives: for every
    /// row deleted or altered, and for runs that end or start exactly at the damage.
    @Test(arguments: ["delete", "alter", "relink"])
    func anyRunCountNamesTheSameFirstBadRow(_ damage: String) throws {
        for target in [1, 2, 8, 9, 15, 16, 22] {
            let path = folder.file("\(damage)-\(target).sqlite").path
            let log = try BroadcastLog(path: path)
            try log.appendSettled((1...23).map { n in
                var record = BroadcastLogTests.record("e\(n)")
                record.outcome = .completed
                return record
            })
            let intact = try log.verify()
            for runs in 1...5 { #expect(try log.verify(runs: runs) == intact) }
            try DatabaseQueue(path: path).write { db in
                switch damage {
                case "delete": try db.execute(sql: "DELETE FROM broadcast WHERE sealSequence = ?", arguments: [target])
                case "alter": try db.execute(sql: "UPDATE broadcast SET outcome = 'missed' WHERE sealSequence = ?", arguments: [target])
                default: try db.execute(sql: "UPDATE broadcast SET previousHash = hash WHERE sealSequence = ?", arguments: [target])
                }
            }
            let single = try log.verify(runs: 1)
            #expect(!single.isIntact, "\(damage) \(target)")
            if damage != "delete" { #expect(single.problem?.hasPrefix("row id \(target) ") == true, "\(single.problem ?? "")") }
            for runs in 2...5 { #expect(try log.verify(runs: runs) == single, "\(damage) row \(target), \(runs) runs") }
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
