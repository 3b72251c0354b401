import Crypto
import Foundation
import GRDB
import GRDBSQLite
import LoaModel

/// The log's hash chain: what a row's SHA-256 covers, sealing a row, and verifying the chain.
///
/// A hash is always computed from the row as SQLite stores it, read column by column as bytes,
/// both when sealing and when verifying: one definition of the content, and no Swift strings per
/// row, so a report can verify a million rows in well under a second.
enum HashChain {
    /// The columns a hash covers, in order, then the chain's own three: the one list that the
    /// statements, the column positions below and the hashed content are all taken from (a test
    /// holds it to the table the migrator makes).
    static let columnNames = [
        "id", "entryID", "date", "station", "channel", "channelKind", "session", "campaign", "message", "role", "audio",
        "audioSHA256", "scheduledStart", "actualStart", "actualEnd", "timeZone", "playedSeconds", "outcome", "reasonCode",
        "reason", "device", "sealSequence", "previousHash", "hash",
    ]
    static let columns = columnNames.joined(separator: ", ")

    /// The position of a column in `columns`, as SQLite numbers a statement's result columns.
    static func position(_ name: String) -> Int32 { Int32(columnNames.firstIndex(of: name)!) }

    static let idColumn = position("id")
    static let entryIDColumn = position("entryID")
    static let previousHashColumn = position("previousHash")
    static let hashColumn = position("hash")
    static let sealSequenceColumn = position("sealSequence")
    static let playedSecondsColumn = position("playedSeconds")
    static let campaignColumn = position("campaign")
    /// What reports count by, in `OutcomeCount`'s order.
    static let tallyColumns = ["campaign", "channel", "channelKind", "date", "session", "message", "outcome"].map(position)
    /// The content is every column before the chain's links (the seal's sequence included).
    private static let contentCount = previousHashColumn

    /// The hash of the statement's current row (selected with `columns`): SHA-256 over the
    /// previous hash, a newline, and the content fields joined by the unit separator (0x1F; one
    /// inside a field is written as a space), as 64 lowercase hex digits.
    static func hash(of statement: SQLiteStatement, into scratch: RowBytes) -> [UInt8] {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest(of: statement, into: scratch) {
            hex.append(Hex.digit(byte >> 4))
            hex.append(Hex.digit(byte & 0x0F))
        }
        return hex
    }

    /// Whether the row's stored hash is the one its content gives, without writing out the hex.
    static func storedHashMatches(_ statement: SQLiteStatement, scratch: RowBytes) -> Bool {
        guard let stored = sqlite3_column_text(statement, hashColumn), sqlite3_column_bytes(statement, hashColumn) == 64
        else { return false }
        var index = 0
        for byte in digest(of: statement, into: scratch) {
            guard stored[index] == Hex.digit(byte >> 4), stored[index + 1] == Hex.digit(byte & 0x0F) else { return false }
            index += 2
        }
        return true
    }

    private static func digest(of statement: SQLiteStatement, into scratch: RowBytes) -> SHA256.Digest {
        scratch.removeAll()
        scratch.appendText(statement, previousHashColumn)
        scratch.append(0x0A)
        for column in 0..<contentCount {
            if column > 0 { scratch.append(0x1F) }
            appendField(statement, column, into: scratch)
        }
        var hasher = SHA256()
        hasher.update(bufferPointer: scratch.bytes)
        return hasher.finalize()
    }

    /// One column as the hash reads it: the local id and the seal's sequence in decimal, seconds
    /// played to the millisecond, anything else as its text.
    static func appendField(_ statement: SQLiteStatement, _ column: Int32, into scratch: RowBytes) {
        switch column {
        case idColumn, sealSequenceColumn: scratch.appendDecimal(sqlite3_column_int64(statement, column))
        case playedSecondsColumn: scratch.appendMilliseconds(sqlite3_column_double(statement, column))
        default: scratch.appendText(statement, column)
        }
    }

    /// Whether the text in `column` is exactly these bytes.
    static func text(_ statement: SQLiteStatement, _ column: Int32, equals bytes: RowBytes) -> Bool {
        guard let text = sqlite3_column_text(statement, column) else { return false }
        let count = Int(sqlite3_column_bytes(statement, column))
        return count == bytes.count && memcmp(bytes.bytes.baseAddress!, text, count) == 0
    }
}

/// A reusable byte buffer that rows are written into: one allocation for a whole pass, where an
/// array's appends and uniqueness checks cost more than the hashing.
final class RowBytes {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func removeAll() { count = 0 }

    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// The column's text (nothing for NULL), a unit separator inside it written as a space.
    func appendText(_ statement: SQLiteStatement, _ column: Int32) {
        guard let text = sqlite3_column_text(statement, column) else { return }
        let length = Int(sqlite3_column_bytes(statement, column))
        reserve(length)
        (base + count).update(from: text, count: length)
        // A unit separator inside a field is rare: look for one before rewriting anything.
        if memchr(text, 0x1F, length) != nil {
            for index in count..<count + length where base[index] == 0x1F { base[index] = 0x20 }
        }
        count += length
    }

    func appendDecimal(_ value: Int64) {
        if value < 0 { append(0x2D) }
        var magnitude = value.magnitude
        let start = count
        repeat {
            append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        var digits = UnsafeMutableBufferPointer(start: base + start, count: count - start)
        digits.reverse()
    }

    /// `12.345`: seconds to the millisecond.
    func appendMilliseconds(_ seconds: Double) {
        let total = Int64((seconds * 1000).rounded())
        if total < 0 { append(0x2D) }
        appendDecimal(Int64(total.magnitude / 1000))
        append(0x2E)
        let fraction = total.magnitude % 1000
        append(0x30 + UInt8(fraction / 100))
        append(0x30 + UInt8(fraction / 10 % 10))
        append(0x30 + UInt8(fraction % 10))
    }

    /// Replaces the contents with the column's text.
    func copy(_ statement: SQLiteStatement, _ column: Int32) {
        removeAll()
        appendText(statement, column)
    }

    var array: [UInt8] { Array(bytes) }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        capacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
    }
}

/// The last sealed row's sequence and hash: what the next seal chains onto.
struct ChainHead {
    var sequence: Int64
    var hash: String

    static func fetch(_ db: Database) throws -> ChainHead {
        let last = try Row.fetchOne(
            db, sql: "SELECT sealSequence, hash FROM broadcast WHERE sealSequence IS NOT NULL ORDER BY sealSequence DESC LIMIT 1")
        return ChainHead(sequence: last?["sealSequence"] ?? 0, hash: last?["hash"] ?? ChainVerification.genesis)
    }

    /// Gives the record the next sequence and links it to the head; `write` stores it (insert or
    /// update), then the hash is computed from the stored row and written beside it.
    mutating func seal(_ record: inout BroadcastRecord, _ db: Database, write: (inout BroadcastRecord) throws -> Void)
        throws
    {
        record.sealSequence = sequence + 1
        record.previousHash = hash
        record.hash = nil
        try write(&record)
        let statement = try db.cachedStatement(sql: "SELECT \(HashChain.columns) FROM broadcast WHERE id = ?")
        let cursor = try Row.fetchCursor(statement, arguments: [record.id])
        guard try cursor.next() != nil else { throw LogError.noSuchRow(record.id ?? 0) }
        let sealed = String(decoding: HashChain.hash(of: statement.sqliteStatement, into: RowBytes()), as: UTF8.self)
        try db.execute(sql: "UPDATE broadcast SET hash = ? WHERE id = ?", arguments: [sealed, record.id])
        record.hash = sealed
        sequence += 1
        hash = sealed
    }
}
