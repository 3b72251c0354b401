import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The result of recomputing the hash chain.
public struct ChainVerification: Sendable, Equatable {
    public static let genesis = String(repeating: "0", count: 64)

    public var rows: Int
    /// The last sealed row's hash, when the chain verifies: reports quote it.
    public var head: String?
    public var problem: String?
    public var firstBadRowID: Int64?

    public var isIntact: Bool { problem == nil }

    public init(rows: Int, head: String?, problem: String?, firstBadRowID: Int64?) {
        self.rows = rows
        self.head = head
        self.problem = problem
        self.firstBadRowID = firstBadRowID
    }
}

extension BroadcastLog {
    /// Recomputes the chain from the first sealed row and names the first row that was altered or
    /// deleted. The sealed rows are cut into runs verified side by side (each row's hash needs only
    /// its own stored previous hash); the runs' links are then checked in order, so the answer is
    /// the one a single pass would give.
    /// `runs` fixes how many runs (tests); by default one per core, of at least 50,000 rows.
    public func verify(runs requested: Int? = nil) throws -> ChainVerification {
        let (count, last) = try database.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS count, MAX(sealSequence) AS last FROM broadcast WHERE sealSequence IS NOT NULL")
            return (row?["count"] ?? 0, row?["last"] ?? 0) as (Int, Int64)
        }
        let runCount = requested ?? Int(max(1, min(Int64(ProcessInfo.processInfo.activeProcessorCount), last / 50_000)))
        let runLength = max(1, (last + Int64(runCount) - 1) / Int64(runCount))
        let runs = Mutex<[Result<ChainRun, Error>?]>(Array(repeating: nil, count: runCount))
        DispatchQueue.concurrentPerform(iterations: runCount) { index in
            let first = Int64(index) * runLength + 1
            let result = Result { try database.read { try ChainRun.verify($0, from: first, through: first + runLength - 1) } }
            runs.withLock { $0[index] = result }
        }

        var expected: Int64 = 1
        var previous = Array(ChainVerification.genesis.utf8)
        func broken(_ problem: String, _ row: ChainRun.RowID) -> ChainVerification {
            ChainVerification(rows: count, head: nil, problem: problem, firstBadRowID: row.id)
        }
        for result in runs.withLock({ $0 }) {
            let run = try result!.get()
            guard let first = run.first else { continue }
            if first.sequence != expected {
                return broken(
                    "sealed row(s) \(expected)..\(first.sequence - 1) are missing: deleted before row id \(first.id) (entry \(first.entryID))",
                    first)
            }
            if run.firstPreviousHash != previous {
                return broken("row id \(first.id) (entry \(first.entryID)) does not follow the row before it: a row was deleted or altered", first)
            }
            if let problem = run.problem { return broken(problem.text, problem.row) }
            expected = run.lastSequence + 1
            previous = run.lastHash
        }
        return ChainVerification(rows: count, head: String(decoding: previous, as: UTF8.self), problem: nil, firstBadRowID: nil)
    }
}

/// One run of consecutive sealed rows, verified on its own: every row's hash, and every link but
/// the run's first, which needs the run before it.
struct ChainRun: Sendable {
    struct RowID: Sendable {
        var id: Int64
        var entryID: String
        var sequence: Int64
    }

    var first: RowID?
    var firstPreviousHash: [UInt8] = []
    var lastSequence: Int64 = 0
    var lastHash: [UInt8] = []
    /// The first problem inside the run, if any; the rows after it are not read.
    var problem: (text: String, row: RowID)?

    static func verify(_ db: Database, from: Int64, through: Int64) throws -> ChainRun {
        let statement = try db.makeStatement(
            sql: "SELECT \(HashChain.columns) FROM broadcast WHERE sealSequence BETWEEN ? AND ? ORDER BY sealSequence")
        let rows = try Row.fetchCursor(statement, arguments: [from, through])
        let sqlite = statement.sqliteStatement
        var run = ChainRun()
        var scratch: [UInt8] = []
        scratch.reserveCapacity(1024)
        while try rows.next() != nil {
            let sequence = sqlite3_column_int64(sqlite, 21)
            func rowID() -> RowID {
                RowID(id: sqlite3_column_int64(sqlite, 0), entryID: String(cString: sqlite3_column_text(sqlite, 1)), sequence: sequence)
            }
            if run.first == nil {
                run.first = rowID()
                run.firstPreviousHash = HashChain.bytes(sqlite, 22)
            } else if sequence != run.lastSequence + 1 {
                let row = rowID()
                run.problem = (
                    "sealed row(s) \(run.lastSequence + 1)..\(sequence - 1) are missing: deleted before row id \(row.id) (entry \(row.entryID))",
                    row
                )
                return run
            } else if !HashChain.text(sqlite, 22, equals: run.lastHash) {
                let row = rowID()
                run.problem = ("row id \(row.id) (entry \(row.entryID)) does not follow the row before it: a row was deleted or altered", row)
                return run
            }
            let hash = HashChain.hash(of: sqlite, scratch: &scratch)
            guard HashChain.text(sqlite, 23, equals: hash) else {
                let row = rowID()
                run.problem = ("row id \(row.id) (entry \(row.entryID)) was altered after it was written", row)
                return run
            }
            run.lastSequence = sequence
            run.lastHash = hash
        }
        return run
    }
}
