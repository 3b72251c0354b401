import Crypto
import Foundation
import GRDB
import LoaLog
import LoaTestSupport
import Testing

/// Logs written by an earlier Loa (see Fixtures/README.md) still open, decode and verify to the
/// same chain head, and reading them changes no byte of the file.
@Suite struct FixtureLogTests {
    struct Fixture {
        var name: String
        var rows: Int
        var head: String
        /// role, outcome, reason code, channel kind, message of each row, oldest first, as stored.
        var stored: [String]?
    }

    static let fixtures = [
        Fixture(name: "kha-son-simulated", rows: 69, head: "32a7a77167c95813541715ee871b82c7f065223ce6e1af18490ba81367e3b7d7"),
        Fixture(
            name: "daemon-crash-announce", rows: 8, head: "22409575820702da1698600875920cb2df1b36ef07a3ef08d69cde7d09495bf9",
            stored: [
                "message interrupted power-loss-or-crash fm t0", "message interrupted power-loss-or-crash loudspeaker t0",
                "message interrupted preempted fm t0", "message completed - loudspeaker t0",
                "announcement-emergency completed - fm tin", "message interrupted shutdown fm t0",
                "message completed - loudspeaker t1", "announcement-priority completed - loudspeaker tin",
            ]),
    ]

    static func source(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name).sqlite")
    }

    static func sha256(_ url: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
    }

    @Test(arguments: fixtures.map(\.name)) func anOldLogVerifiesUnchanged(name: String) throws {
        let fixture = try #require(Self.fixtures.first { $0.name == name })
        let folder = TemporaryFolder()
        let copy = folder.file("\(name).sqlite")
        try FileManager.default.copyItem(at: Self.source(name), to: copy)
        let before = try Self.sha256(copy)

        let reader = try BroadcastLog.existing(path: copy.path)
        let file = try reader.verifyFile(expectingHead: fixture.head)
        #expect(file.isIntact && file.chain.rows == fixture.rows && file.chain.head == fixture.head)
        let records = try reader.records()
        #expect(records.count == fixture.rows)
        if let stored = fixture.stored {
            let decoded = records.map {
                "\($0.role.rawValue) \($0.outcome.rawValue) \($0.reasonCode?.rawValue ?? "-") \($0.channelKind.rawValue) \($0.message)"
            }
            #expect(decoded == stored)
            let raw = try reader.read { db in
                try String.fetchAll(
                    db, sql: "SELECT role || ' ' || outcome || ' ' || ifnull(reasonCode, '-') || ' ' || channelKind || ' ' || message FROM broadcast ORDER BY id")
            }
            #expect(raw == stored)
        }
        #expect(try Self.sha256(copy) == before, "reading and verifying wrote nothing")

        // Opened for writing, as a daemon upgraded in place opens it: the chain is the same.
        let writer = try BroadcastLog(path: copy.path)
        #expect(try writer.verify().head == fixture.head)
        #expect(try writer.records() == records)
    }
}
