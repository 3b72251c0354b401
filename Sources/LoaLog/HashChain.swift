import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// The log's hash chain: what a row's SHA-256 covers, sealing a row, and verifying the chain.
///
/// A hash is always computed from the row as SQLite stores it, read column by column as bytes,
/// both when sealing and when verifying: one definition of the content, and no Swift strings per
/// row, so a report can verify a million rows in well under a second.
enum HashChain {
    /// The columns a hash covers, in order, then the chain's own two.
    static let columns = """
        id, entryID, date, station, channel, channelKind, session, campaign, message, role, audio, audioSHA256, \
        scheduledStart, actualStart, actualEnd, timeZone, playedSeconds, outcome, reasonCode, reason, device, \
        sealSequence, previousHash, hash
        """
    private static let contentCount: Int32 = 22
    private static let previousHashColumn: Int32 = 22
    private static let hashColumn: Int32 = 23
    private static let playedSecondsColumn: Int32 = 16
    private static let integerColumns: Set<Int32> = [0, 21]

    /// The hash of the statement's current row (selected with `columns`): SHA-256 over the
    /// previous hash, a newline, and the content fields joined by the unit separator (0x1F; one
    /// inside a field is written as a space), as 64 lowercase hex digits.
    static func hash(of statement: SQLiteStatement, scratch: inout [UInt8]) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        appendText(statement, previousHashColumn, to: &scratch)
        scratch.append(0x0A)
        for column in 0..<contentCount {
            if column > 0 { scratch.append(0x1F) }
            if integerColumns.contains(column) {
                appendDecimal(sqlite3_column_int64(statement, column), to: &scratch)
            } else if column == playedSecondsColumn {
                appendMilliseconds(sqlite3_column_double(statement, column), to: &scratch)
            } else {
                appendText(statement, column, to: &scratch)
            }
        }
        var hasher = SHA256()
        scratch.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    /// Whether the text in `column` is exactly these bytes.
    static func text(_ statement: SQLiteStatement, _ column: Int32, equals bytes: [UInt8]) -> Bool {
        guard let text = sqlite3_column_text(statement, column) else { return false }
        let count = Int(sqlite3_column_bytes(statement, column))
        return count == bytes.count && bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, text, count) == 0 }
    }

    static func bytes(_ statement: SQLiteStatement, _ column: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        appendText(statement, column, to: &bytes)
        return bytes
    }

    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return out
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendText(_ statement: SQLiteStatement, _ column: Int32, to out: inout [UInt8]) {
        guard let text = sqlite3_column_text(statement, column) else { return }
        let start = out.count
        out.append(contentsOf: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))))
        for index in start..<out.count where out[index] == 0x1F { out[index] = 0x20 }
    }

    private static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        var magnitude = value.magnitude
        let start = out.count
        repeat {
            out.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    /// `12.345`: seconds to the millisecond.
    private static func appendMilliseconds(_ seconds: Double, to out: inout [UInt8]) {
        let total = Int64((seconds * 1000).rounded())
        if total < 0 { out.append(0x2D) }
        appendDecimal(Int64(total.magnitude / 1000), to: &out)
        out.append(0x2E)
        let fraction = total.magnitude % 1000
        out.append(contentsOf: [0x30 + UInt8(fraction / 100), 0x30 + UInt8(fraction / 10 % 10), 0x30 + UInt8(fraction % 10)])
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
        var scratch: [UInt8] = []
        let sealed = String(decoding: HashChain.hash(of: statement.sqliteStatement, scratch: &scratch), as: UTF8.self)
        try db.execute(sql: "UPDATE broadcast SET hash = ? WHERE id = ?", arguments: [sealed, record.id])
        record.hash = sealed
        sequence += 1
        hash = sealed
    }
}
