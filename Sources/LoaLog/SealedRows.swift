import GRDB
import GRDBSQLite

/// A sealed row as the chain hashes it: each column's text as the hash reads it (the local id
/// and the seal's sequence in decimal, seconds played to the millisecond), keyed by the column's
/// name, so a store elsewhere can recompute the hash and check the link itself.
public struct SealedRow: Sendable {
    public var fields: [String: String?]
    public var sequence: Int64
    public var hash: String

    /// The columns a row's hash covers, in order: SHA-256 over the previous hash, a newline, and
    /// these fields' texts joined by the unit separator (0x1F; one inside a field is a space).
    public static let contentColumnNames = Array(HashChain.columnNames[..<Int(HashChain.previousHashColumn)])
}

extension BroadcastLog {
    /// The sealed rows after `sequence`, in the chain's order, at most `limit`.
    public func sealedRows(after sequence: Int64, limit: Int) throws(LogError) -> [SealedRow] {
        try reading { db in
            let statement = try db.makeStatement(
                sql: "SELECT \(HashChain.columns) FROM broadcast WHERE sealSequence > ? ORDER BY sealSequence LIMIT ?")
            let cursor = try Row.fetchCursor(statement, arguments: [sequence, limit])
            let scratch = RowBytes()
            var rows: [SealedRow] = []
            while try cursor.next() != nil {
                let fields = HashChain.texts(of: statement.sqliteStatement, into: scratch)
                guard let sequence = fields["sealSequence"].flatMap({ $0 }).flatMap(Int64.init), let hash = fields["hash"] ?? nil
                else { continue }
                rows.append(SealedRow(fields: fields, sequence: sequence, hash: hash))
            }
            return rows
        }
    }

    /// The hash the chain has at this sequence, if the log holds it.
    public func sealedHash(at sequence: Int64) throws(LogError) -> String? {
        try reading { db in try String.fetchOne(db, sql: "SELECT hash FROM broadcast WHERE sealSequence = ?", arguments: [sequence]) }
    }
}

extension HashChain {
    /// Every column of the statement's current row as the hash reads it (``appendField``); nil for NULL.
    static func texts(of statement: SQLiteStatement, into scratch: RowBytes) -> [String: String?] {
        var fields: [String: String?] = [:]
        for (index, name) in columnNames.enumerated() {
            let column = Int32(index)
            guard sqlite3_column_type(statement, column) != SQLITE_NULL else {
                fields[name] = .some(nil)
                continue
            }
            scratch.removeAll()
            appendField(statement, column, into: scratch)
            fields[name] = String(decoding: scratch.bytes, as: UTF8.self)
        }
        return fields
    }
}
