import Foundation
import GRDB
import GRDBSQLite
import LoaModel
import Synchronization

/// The result of recomputing the hash chain.
public struct ChainVerification: Sendable, Equatable {
    public static let genesis = String(repeating: "0", count: 64)

    public var rows: Int
    /// The last sealed row's hash, when the chain verifies: reports quote it.
    public var head: String?
    public var problem: String?

    public var isIntact: Bool { problem == nil }

    public init(rows: Int, head: String?, problem: String?) {
        self.rows = rows
        self.head = head
        self.problem = problem
    }
}

/// One pass over the sealed rows: the chain recomputed, and the plays of campaign messages counted
/// from the very rows that were verified.
public struct LogAudit: Sendable {
    public var chain: ChainVerification
    /// By campaign, channel, day, session, message and outcome; empty unless asked for.
    public var counts: [OutcomeCount]
}

extension BroadcastLog {
    /// Recomputes the chain from the first sealed row and names the first row that was altered or
    /// deleted.
    public func verify(runs: Int? = nil) throws(LogError) -> ChainVerification {
        try audit(counting: false, runs: runs).chain
    }

    /// Verifies the chain and, with `counting`, counts the campaign plays in the same pass: what a
    /// report needs. A broken chain still gives every count.
    ///
    /// The sealed rows are cut into runs read side by side (each row's hash needs only its own
    /// stored previous hash); the runs' links are then checked in order, so the answer is the one
    /// a single pass would give. `runs` fixes how many (tests); by default one per core, of at
    /// least 50,000 rows each.
    public func audit(counting: Bool = true, runs requested: Int? = nil) throws(LogError) -> LogAudit {
        try LogError.naming(path) { try auditRuns(counting: counting, runs: requested) }
    }

    private func auditRuns(counting: Bool, runs requested: Int?) throws -> LogAudit {
        let last = try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(sealSequence) FROM broadcast") ?? 0
        }
        let runCount = requested ?? Int(max(1, min(Int64(ProcessInfo.processInfo.activeProcessorCount), last / 50_000)))
        let runLength = max(1, (last + Int64(runCount) - 1) / Int64(runCount))
        let results = Mutex<[Result<ChainRun, Error>?]>(Array(repeating: nil, count: runCount))
        DispatchQueue.concurrentPerform(iterations: runCount) { index in
            let first = Int64(index) * runLength + 1
            let result = Result {
                try database.read { try ChainRun.read($0, from: first, through: first + runLength - 1, counting: counting) }
            }
            results.withLock { $0[index] = result }
        }
        let runs = try results.withLock { $0 }.map { try $0!.get() }
        let rows = runs.reduce(0) { $0 + $1.rows }
        var tallies = PlayTallies()
        for run in runs { tallies.merge(run.tallies) }
        return LogAudit(chain: Self.join(runs, rows: rows), counts: tallies.entries.compactMap(ChainRun.outcomeCount))
    }

    /// Checks each run's first link against the run before it and takes the first problem.
    private static func join(_ runs: [ChainRun], rows: Int) -> ChainVerification {
        var expected: Int64 = 1
        var previous = Array(ChainVerification.genesis.utf8)
        for run in runs {
            guard let first = run.first else { continue }
            let problem =
                if first.sequence != expected {
                    ChainRun.Problem.missing(from: expected, before: first)
                } else if run.firstPreviousHash != previous {
                    ChainRun.Problem.unlinked(first)
                } else {
                    run.problem
                }
            if let problem { return ChainVerification(rows: rows, head: nil, problem: problem.text) }
            expected = run.lastSequence + 1
            previous = run.lastHash
        }
        return ChainVerification(rows: rows, head: String(decoding: previous, as: UTF8.self), problem: nil)
    }
}

/// One run of consecutive sealed rows read on its own: every row's hash and every link but the
/// run's first, which needs the run before it; and, if asked, the plays counted.
struct ChainRun: Sendable {
    struct RowID: Sendable {
        var id: Int64
        var entryID: String
        var sequence: Int64
    }

    struct Problem: Sendable {
        var text: String
        var row: RowID

        static func missing(from expected: Int64, before row: RowID) -> Problem {
            Problem(
                text: "sealed row(s) \(expected)..\(row.sequence - 1) are missing: deleted before row id \(row.id) (entry \(row.entryID))",
                row: row)
        }

        static func unlinked(_ row: RowID) -> Problem {
            Problem(text: "row id \(row.id) (entry \(row.entryID)) does not follow the row before it: a row was deleted or altered", row: row)
        }

        static func altered(_ row: RowID) -> Problem {
            Problem(text: "row id \(row.id) (entry \(row.entryID)) was altered after it was written", row: row)
        }
    }

    var rows = 0
    var first: RowID?
    var firstPreviousHash: [UInt8] = []
    var lastSequence: Int64 = 0
    var lastHash: [UInt8] = []
    /// The first problem inside the run; rows after it are counted but not checked.
    var problem: Problem?
    /// Keyed by the tally columns' bytes, each followed by a 0x1F.
    var tallies = PlayTallies()

    static func read(_ db: Database, from: Int64, through: Int64, counting: Bool) throws -> ChainRun {
        let statement = try db.makeStatement(
            sql: "SELECT \(HashChain.columns) FROM broadcast WHERE sealSequence BETWEEN ? AND ? ORDER BY sealSequence")
        let cursor = try Row.fetchCursor(statement, arguments: [from, through])
        let row = statement.sqliteStatement
        var run = ChainRun()
        let scratch = RowBytes()
        let lastHash = RowBytes(capacity: 64)
        let key = RowBytes(capacity: 256)
        while try cursor.next() != nil {
            run.rows += 1
            if counting { run.count(row, key: key) }
            if run.problem != nil { continue }
            let sequence = sqlite3_column_int64(row, HashChain.sealSequenceColumn)
            func rowID() -> RowID {
                RowID(
                    id: sqlite3_column_int64(row, HashChain.idColumn),
                    entryID: String(cString: sqlite3_column_text(row, HashChain.entryIDColumn)), sequence: sequence)
            }
            if run.first == nil {
                run.first = rowID()
                lastHash.copy(row, HashChain.previousHashColumn)
                run.firstPreviousHash = lastHash.array
            } else if sequence != run.lastSequence + 1 {
                run.problem = .missing(from: run.lastSequence + 1, before: rowID())
                continue
            } else if !HashChain.text(row, HashChain.previousHashColumn, equals: lastHash) {
                run.problem = .unlinked(rowID())
                continue
            }
            guard HashChain.storedHashMatches(row, scratch: scratch) else {
                run.problem = .altered(rowID())
                continue
            }
            run.lastSequence = sequence
            lastHash.copy(row, HashChain.hashColumn)
        }
        run.lastHash = lastHash.array
        return run
    }

    private mutating func count(_ row: SQLiteStatement, key: RowBytes) {
        guard sqlite3_column_type(row, HashChain.campaignColumn) != SQLITE_NULL else { return }
        key.removeAll()
        for column in HashChain.tallyColumns {
            key.appendText(row, column)
            key.append(0x1F)
        }
        tallies.add(key, seconds: sqlite3_column_double(row, HashChain.playedSecondsColumn))
    }

    /// The count of one tally key; nil for a row whose kind, date or outcome is none of its
    /// type's (only an altered row, which the chain names).
    static func outcomeCount(_ tally: (key: [UInt8], plays: PlayTallies.Plays)) -> OutcomeCount? {
        let fields = tally.key.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let kind = ChannelKind(rawValue: fields[2]), let date = CivilDate(parsing: fields[3]),
            let outcome = Outcome(rawValue: fields[6])
        else { return nil }
        return OutcomeCount(
            campaign: fields[0], channel: fields[1], channelKind: kind, date: date, session: fields[4], message: fields[5],
            outcome: outcome, plays: tally.plays.count, seconds: tally.plays.seconds)
    }
}

/// Plays and seconds by key bytes, looked up without building an array per row: the key is
/// hashed where it lies and compared with the stored keys of its hash.
struct PlayTallies: Sendable {
    struct Plays: Sendable {
        var count = 0
        var seconds = 0.0
    }

    private var slots: [Int: [(key: [UInt8], plays: Plays)]] = [:]

    var entries: [(key: [UInt8], plays: Plays)] { slots.values.flatMap { $0 } }

    mutating func add(_ key: RowBytes, seconds: Double) {
        var hasher = Hasher()
        hasher.combine(bytes: key.bytes)
        add(key.bytes, hash: hasher.finalize(), Plays(count: 1, seconds: seconds))
    }

    mutating func merge(_ other: PlayTallies) {
        for (hash, entries) in other.slots {
            for entry in entries { entry.key.withUnsafeBytes { add($0, hash: hash, entry.plays) } }
        }
    }

    private mutating func add(_ key: UnsafeRawBufferPointer, hash: Int, _ plays: Plays) {
        let index = slots[hash]?.firstIndex { entry in
            entry.key.count == key.count && entry.key.withUnsafeBytes { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 }
        }
        if let index {
            slots[hash]![index].plays.count += plays.count
            slots[hash]![index].plays.seconds += plays.seconds
        } else {
            slots[hash, default: []].append((Array(key), plays))
        }
    }
}

/// What `loa log verify` says of a log file: SQLite's own check of the file, the chain, and
/// whether a head quoted earlier (in a report) is still in it.
public struct FileVerification: Sendable {
    public var chain: ChainVerification
    /// SQLite's `integrity_check` findings; empty when the file is sound.
    public var damage: [String]
    /// For an expected head: its sequence in the chain and how many rows were sealed after it, or
    /// nil when no sealed row has that hash (rows up to it were deleted or altered).
    public var expectedHead: (sequence: Int64, sealedAfter: Int64)??

    public var isIntact: Bool {
        chain.isIntact && damage.isEmpty && (expectedHead.map { $0 != nil } ?? true)
    }
}

extension BroadcastLog {
    /// Checks the file's pages, then the chain, then the expected head, reading only.
    public func verifyFile(expectingHead head: String? = nil) throws(LogError) -> FileVerification {
        let damage = try reading { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        }
        let chain = try verify()
        var expected: (sequence: Int64, sealedAfter: Int64)??
        if let head {
            expected = .some(
                try reading { db in
                    guard let sequence = try Int64.fetchOne(
                        db, sql: "SELECT sealSequence FROM broadcast WHERE hash = ? AND sealSequence IS NOT NULL",
                        arguments: [head.lowercased()])
                    else { return nil }
                    let last = try Int64.fetchOne(db, sql: "SELECT MAX(sealSequence) FROM broadcast") ?? sequence
                    return (sequence, last - sequence)
                })
        }
        return FileVerification(chain: chain, damage: damage, expectedHead: expected)
    }
}
