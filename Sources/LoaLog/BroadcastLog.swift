import Crypto
import Foundation
import GRDB

/// The durable record of every broadcast: one SQLite file per station, written by the daemon and
/// read by `loa log`, `loa status` and the reports.
///
/// Durability: WAL journal with `synchronous = FULL`, so a commit is on disk (the WAL fsynced)
/// before `finished` returns; a completed broadcast survives a power cut the instant after it
/// ends. WAL also lets readers (`loa status`, the console) read while the daemon writes.
///
/// Tamper evidence: a row is sealed when its outcome is settled; sealing gives it the next
/// sequence number and a SHA-256 over the previous sealed row's hash and its own content. A row
/// still `playing` is not yet in the chain.
public final class BroadcastLog: Sendable {
    public let path: String
    let database: DatabasePool

    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    /// Opens an existing log for reading; a missing file or one that is not a Loa log is an error.
    public static func existing(path: String) throws -> BroadcastLog {
        guard FileManager.default.fileExists(atPath: path) else { throw LogError.missing(path) }
        do {
            // Look before migrating: a foreign database must not get Loa's tables added to it.
            var readOnly = Configuration()
            readOnly.readonly = true
            let isLoaLog = try DatabaseQueue(path: path, configuration: readOnly).read {
                try $0.tableExists(BroadcastRecord.databaseTableName)
            }
            guard isLoaLog else { throw LogError.notALoaLog(path) }
            return try BroadcastLog(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw LogError.locked(path)
        } catch let error as DatabaseError {
            throw LogError.notALoaLog("\(path): \(error.message ?? error.description)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: broadcast") { db in
            try db.create(table: BroadcastRecord.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("entryID", .text).notNull().indexed()
                t.column("date", .text).notNull().indexed()
                t.column("station", .text).notNull()
                t.column("channel", .text).notNull()
                t.column("channelKind", .text).notNull()
                t.column("session", .text).notNull()
                t.column("campaign", .text).indexed()
                t.column("message", .text).notNull()
                t.column("role", .text).notNull()
                t.column("audio", .text).notNull()
                t.column("audioSHA256", .text)
                t.column("scheduledStart", .text).notNull()
                t.column("actualStart", .text)
                t.column("actualEnd", .text)
                t.column("timeZone", .text).notNull()
                t.column("playedSeconds", .double).notNull()
                t.column("outcome", .text).notNull()
                t.column("reasonCode", .text)
                t.column("reason", .text)
                t.column("device", .text).notNull()
                t.column("sealSequence", .integer).unique()
                t.column("previousHash", .text)
                t.column("hash", .text)
            }
        }
        return migrator
    }

    // MARK: writing

    /// Writes the row of a broadcast that is starting (outcome `playing`); returns its id.
    public func started(_ record: BroadcastRecord) throws -> Int64 {
        var record = record
        record.outcome = .playing
        record.sealSequence = nil
        record.previousHash = nil
        record.hash = nil
        return try database.write { db in
            try record.insert(db)
            return record.id!
        }
    }

    /// Settles a started row and seals it into the chain.
    public func finished(
        id: Int64, outcome: Outcome, actualEnd: Date, playedSeconds: Double, reasonCode: ReasonCode? = nil,
        reason: String? = nil
    ) throws {
        try database.write { db in
            guard var record = try BroadcastRecord.fetchOne(db, key: id) else { throw LogError.noSuchRow(id) }
            record.outcome = outcome
            record.actualEnd = LogTime.string(actualEnd)
            record.playedSeconds = playedSeconds
            record.reasonCode = reasonCode?.rawValue
            record.reason = reason
            var head = try ChainHead.fetch(db)
            try head.seal(&record, db) { try $0.update(db) }
        }
    }

    /// Records an attempt that never played (missed, skipped, or failed before the first sample)
    /// as one sealed row.
    public func unplayed(_ record: BroadcastRecord, outcome: Outcome, reasonCode: ReasonCode, reason: String) throws {
        var record = record
        record.outcome = outcome
        record.reasonCode = reasonCode.rawValue
        record.reason = reason
        record.playedSeconds = 0
        try database.write { db in
            var head = try ChainHead.fetch(db)
            try head.seal(&record, db) { try $0.insert(db) }
        }
    }

    /// Appends rows already settled (an import, a generated log) and seals them, all in one
    /// transaction.
    public func appendSettled(_ records: [BroadcastRecord]) throws {
        try database.write { db in
            var head = try ChainHead.fetch(db)
            for var record in records {
                precondition(record.outcome != .playing, "appendSettled takes settled rows only")
                try head.seal(&record, db) { try $0.insert(db) }
            }
        }
    }

    /// Rows a crash or power cut left `playing` become `interrupted` (`power-loss-or-crash`).
    /// Called once when the daemon starts; returns how many there were.
    @discardableResult
    public func recoverInterrupted(at now: Date) throws -> Int {
        try database.write { db in
            let stale = try BroadcastRecord.filter(BroadcastRecord.Columns.outcome == Outcome.playing.rawValue)
                .order(Column("id")).fetchAll(db)
            var head = try ChainHead.fetch(db)
            for var record in stale {
                record.outcome = .interrupted
                record.reasonCode = ReasonCode.powerLossOrCrash.rawValue
                record.reason = "the daemon stopped while this was playing (power cut, crash or kill)"
                record.actualEnd = nil
                try head.seal(&record, db) { try $0.update(db) }
            }
            return stale.count
        }
    }

    // MARK: reading

    /// The latest outcome of each entry that has any row, for the given local dates.
    public func outcomes(on dates: [String]) throws -> [String: Outcome] {
        try database.read { db in
            let rows = try BroadcastRecord.filter(dates.contains(BroadcastRecord.Columns.date))
                .order(Column("id")).fetchAll(db)
            var latest: [String: Outcome] = [:]
            for row in rows {
                // Once final, an entry stays final whatever a later row says.
                if latest[row.entryID]?.isFinal == true { continue }
                latest[row.entryID] = row.outcome
            }
            return latest
        }
    }

    /// Rows whose local date is in the range, in the order written.
    /// The last `limit` rows with one of these outcomes, oldest first: found by SQLite rather than
    /// by reading the whole log, since `loa status` and the console's overview ask on every look.
    public func latest(_ outcomes: [Outcome], limit: Int) throws -> [BroadcastRecord] {
        try database.read { db in
            try BroadcastRecord.filter(outcomes.map(\.rawValue).contains(BroadcastRecord.Columns.outcome))
                .order(Column("id").desc).limit(limit).fetchAll(db).reversed()
        }
    }

    public func records(from: String? = nil, through: String? = nil) throws -> [BroadcastRecord] {
        try database.read { db in
            var request = BroadcastRecord.order(Column("id"))
            if let from { request = request.filter(BroadcastRecord.Columns.date >= from) }
            if let through { request = request.filter(BroadcastRecord.Columns.date <= through) }
            return try request.fetchAll(db)
        }
    }

    /// For tests and tools that inspect the file as it is.
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try database.read(body) }
}

/// How many plays of one message had one outcome on one channel, day and session.
public struct OutcomeCount: Sendable, Equatable {
    public var campaign: String
    public var channel: String
    public var date: String
    public var session: String
    public var message: String
    public var outcome: Outcome
    public var plays: Int
    public var seconds: Double

    public init(
        campaign: String, channel: String, date: String, session: String, message: String, outcome: Outcome, plays: Int,
        seconds: Double
    ) {
        self.campaign = campaign
        self.channel = channel
        self.date = date
        self.session = session
        self.message = message
        self.outcome = outcome
        self.plays = plays
        self.seconds = seconds
    }
}

public enum LogError: Error, CustomStringConvertible {
    case missing(String)
    case notALoaLog(String)
    case noSuchRow(Int64)
    case locked(String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no broadcast log there"
        case .notALoaLog(let detail): "\(detail): not a Loa broadcast log"
        case .noSuchRow(let id): "no broadcast row \(id)"
        case .locked(let path):
            "\(path): the log is locked by another program (an open sqlite3 session or a copy in progress); close it and try again"
        }
    }
}
