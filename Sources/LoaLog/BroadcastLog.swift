import Crypto
import Foundation
import GRDB
import LoaModel

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
///
/// A full disk: see ``LogReserve``. Every error this type throws is a ``LogError`` naming the file.
public final class BroadcastLog: Sendable {
    public let path: String
    let database: any DatabaseReader
    let reserve: LogReserve?

    /// Opens the log for writing (the daemon, the simulation), creating and migrating it as needed.
    /// `reserveBytes` of disk are held beside it for settling broadcasts when the disk fills.
    public init(path: String, reserveBytes: Int = LogReserve.defaultBytes) throws(LogError) {
        self.path = path
        let reserve = LogReserve(logPath: path, bytes: reserveBytes)
        self.reserve = reserve
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path, "cannot create its folder: \((error as NSError).localizedDescription)")
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        func open() throws -> DatabasePool {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            return pool
        }
        database = try LogError.naming(path) {
            do {
                return try open()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL && reserve.release() {
                // Restarted on a full disk: the reserve makes room to open and settle what was cut.
                return try open()
            }
        }
        _ = reserve.ensure()
    }

    private init(path: String, reader: any DatabaseReader) {
        self.path = path
        database = reader
        reserve = nil
    }

    /// Opens an existing log for reading only: nothing is written to the file (no migration, no
    /// journal change), so it can be verified on a read-only mount or as evidence. A missing file,
    /// or one that is not a Loa log, is an error.
    public static func existing(path: String) throws(LogError) -> BroadcastLog {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path) }
        return try LogError.naming(path) {
            let reader: any DatabaseReader
            do {
                var readOnly = Configuration()
                readOnly.readonly = true
                readOnly.busyMode = .timeout(5)
                let pool = try DatabasePool(path: path, configuration: readOnly)
                _ = try pool.read { try $0.tableExists(BroadcastRecord.databaseTableName) }
                reader = pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY {
                // A read-only folder where SQLite cannot make the WAL's shared-memory file: read
                // the file as it stands.
                var immutable = Configuration()
                immutable.readonly = true
                reader = try DatabaseQueue(path: "file:\(path)?immutable=1", configuration: immutable)
            }
            guard try reader.read({ try $0.tableExists(BroadcastRecord.databaseTableName) }) else {
                throw LogError.notALoaLog(path)
            }
            return BroadcastLog(path: path, reader: reader)
        }
    }

    private var writer: any DatabaseWriter {
        get throws(LogError) {
            guard let writer = database as? any DatabaseWriter, reserve != nil else { throw .readOnly(path) }
            return writer
        }
    }

    /// A write that settles what already happened (a broadcast that aired, one that was missed):
    /// on a full disk the reserve is given up to make room, so the row is never lost.
    private func settling<T>(_ body: (Database) throws -> T) throws(LogError) -> T {
        let writer = try writer
        return try LogError.naming(path) {
            do {
                return try writer.write(body)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL && reserve?.release() == true {
                return try writer.write(body)
            }
        }
    }

    /// Reads, with any error named by the file.
    func reading<T>(_ body: (Database) throws -> T) throws(LogError) -> T {
        try LogError.naming(path) { try database.read(body) }
    }

    /// The table as the first Loa made it. A new column comes in a new migration, and into
    /// `HashChain.columnNames` in the table's order (a test holds the two together).
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
    /// Refused (``LogError/full(_:)``) while the reserve is spent, so that nothing goes on air whose
    /// end might not be written.
    public func started(_ record: BroadcastRecord) throws(LogError) -> Int64 {
        var record = record
        record.outcome = .playing
        record.sealSequence = nil
        record.previousHash = nil
        record.hash = nil
        let writer = try writer
        guard reserve?.ensure() == true else { throw .full(path) }
        return try LogError.naming(path) {
            try writer.write { db in
                try record.insert(db)
                return record.id ?? db.lastInsertedRowID
            }
        }
    }

    /// Settles a started row and seals it into the chain.
    public func finished(
        id: Int64, outcome: Outcome, actualEnd: Date, playedSeconds: Double, reasonCode: ReasonCode? = nil,
        reason: String? = nil, audioSHA256: String? = nil
    ) throws(LogError) {
        try settling { db in
            guard var record = try BroadcastRecord.fetchOne(db, key: id) else { throw LogError.noSuchRow(id) }
            // A live broadcast's recording is whole only when it ends.
            if let audioSHA256 { record.audioSHA256 = audioSHA256 }
            record.outcome = outcome
            record.actualEnd = LogTime.string(actualEnd)
            record.playedSeconds = playedSeconds
            record.reasonCode = reasonCode
            record.reason = reason
            var head = try ChainHead.fetch(db)
            try head.seal(&record, db) { try $0.update(db) }
        }
    }

    /// Records an attempt that never played (missed, skipped, or failed before the first sample)
    /// as one sealed row.
    public func unplayed(_ record: BroadcastRecord, outcome: Outcome, reasonCode: ReasonCode, reason: String) throws(LogError) {
        var record = record
        record.outcome = outcome
        record.reasonCode = reasonCode
        record.reason = reason
        record.playedSeconds = 0
        try settling { db in
            var head = try ChainHead.fetch(db)
            try head.seal(&record, db) { try $0.insert(db) }
        }
    }

    /// Appends rows already settled (an import, a generated log) and seals them, all in one
    /// transaction.
    public func appendSettled(_ records: [BroadcastRecord]) throws(LogError) {
        try settling { db in
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
    public func recoverInterrupted() throws(LogError) -> Int {
        try settling { db in
            let stale = try BroadcastRecord.filter(BroadcastRecord.Columns.outcome == Outcome.playing.rawValue)
                .order(Column("id")).fetchAll(db)
            var head = try ChainHead.fetch(db)
            for var record in stale {
                record.outcome = .interrupted
                record.reasonCode = .powerLossOrCrash
                record.reason = "the daemon stopped while this was playing (power cut, crash or kill)"
                record.actualEnd = nil
                try head.seal(&record, db) { try $0.update(db) }
            }
            return stale.count
        }
    }

    // MARK: reading

    /// The latest outcome of each entry that has any row, for the given local dates.
    public func outcomes(on dates: [CivilDate]) throws(LogError) -> [String: Outcome] {
        try latestRows(on: dates).mapValues(\.outcome)
    }

    /// The row that says what became of each entry that has any, for the given local dates: its
    /// final one, or else its latest attempt.
    public func latestRows(on dates: [CivilDate]) throws(LogError) -> [String: BroadcastRecord] {
        try reading { db in
            BroadcastRecord.latestPerEntry(
                try BroadcastRecord.filter(dates.contains(BroadcastRecord.Columns.date)).order(Column("id")).fetchAll(db))
        }
    }

    /// The last `limit` rows with one of these outcomes, oldest first: found by SQLite rather than
    /// by reading the whole log, since `loa status` and the console's overview ask on every look.
    public func latest(_ outcomes: [Outcome], limit: Int) throws(LogError) -> [BroadcastRecord] {
        try reading { db in
            try BroadcastRecord.filter(outcomes.map(\.rawValue).contains(BroadcastRecord.Columns.outcome))
                .order(Column("id").desc).limit(limit).fetchAll(db).reversed()
        }
    }

    /// The last `limit` rows of these roles (the announcements the console lists), oldest first.
    public func latest(roles: [BroadcastRole], limit: Int) throws(LogError) -> [BroadcastRecord] {
        try reading { db in
            try BroadcastRecord.filter(roles.map(\.databaseValue).contains(BroadcastRecord.Columns.role))
                .order(Column("id").desc).limit(limit).fetchAll(db).reversed()
        }
    }

    /// Rows whose local date is in the range, in the order written.
    public func records(from: CivilDate? = nil, through: CivilDate? = nil) throws(LogError) -> [BroadcastRecord] {
        try reading { db in
            var request = BroadcastRecord.order(Column("id"))
            if let from { request = request.filter(BroadcastRecord.Columns.date >= from) }
            if let through { request = request.filter(BroadcastRecord.Columns.date <= through) }
            return try request.fetchAll(db)
        }
    }

    /// For tests and tools that inspect the file as it is.
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try database.read(body) }
}

/// How many plays of one message had one outcome on one channel, day and session, with the
/// channel's kind as the rows recorded it.
public struct OutcomeCount: Sendable, Equatable {
    public var campaign: String
    public var channel: String
    public var channelKind: ChannelKind
    public var date: CivilDate
    public var session: String
    public var message: String
    public var outcome: Outcome
    public var plays: Int
    public var seconds: Double

    public init(
        campaign: String, channel: String, channelKind: ChannelKind, date: CivilDate, session: String, message: String,
        outcome: Outcome, plays: Int, seconds: Double
    ) {
        self.campaign = campaign
        self.channel = channel
        self.channelKind = channelKind
        self.date = date
        self.session = session
        self.message = message
        self.outcome = outcome
        self.plays = plays
        self.seconds = seconds
    }
}

/// What went wrong with a log file, always with its path.
public enum LogError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case notALoaLog(String)
    case noSuchRow(Int64)
    case locked(String)
    /// The disk is full (or the reserve could not be made again): nothing new may go on air.
    case full(String)
    /// The file or its folder cannot be written (read-only mount, permissions).
    case unwritable(String, String)
    /// Opened for reading only.
    case readOnly(String)
    /// The file is damaged: SQLite's own checks fail.
    case damaged(String, String)
    /// Any other SQLite error, with SQLite's words.
    case database(String, String)

    /// Runs `body`, naming any error it throws by the file (a `LogError` passes as it is).
    static func naming<T>(_ path: String, _ body: () throws -> T) throws(LogError) -> T {
        do {
            return try body()
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError(path: path, error)
        }
    }

    /// Names a GRDB or SQLite error by the file it happened to.
    init(path: String, _ error: any Error) {
        guard let error = error as? DatabaseError else {
            self = .database(path, "\(error)")
            return
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .locked(path)
        case .SQLITE_FULL: self = .full(path)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_IOERR: self = .unwritable(path, detail)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .damaged(path, detail)
        default: self = .database(path, detail)
        }
    }

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no broadcast log there"
        case .notALoaLog(let path): "\(path): not a Loa broadcast log (no broadcast table)"
        case .noSuchRow(let id): "no broadcast row \(id)"
        case .locked(let path):
            "\(path): the log is locked by another program (an open sqlite3 session or a copy in progress); close it and try again"
        case .full(let path): "\(path): the disk is full; nothing goes on air until the log can be written again"
        case .unwritable(let path, let detail): "\(path): cannot be written (\(detail))"
        case .readOnly(let path): "\(path): opened read-only"
        case .damaged(let path, let detail): "\(path): the file is damaged (\(detail))"
        case .database(let path, let detail): "\(path): \(detail)"
        }
    }
}
