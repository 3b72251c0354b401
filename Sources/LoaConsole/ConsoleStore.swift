import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt
import LoaModel

/// Who may use the console: an operator (cán bộ phụ trách đài) drafts campaigns and sends
/// announcements; the commune leader (lãnh đạo xã) also approves campaigns so they can air.
public enum Role: String, Codable, Sendable, CaseIterable {
    case `operator`
    case leader

    public var vietnameseName: String {
        switch self {
        case .operator: "Cán bộ phụ trách đài"
        case .leader: "Lãnh đạo xã"
        }
    }
}

public struct Account: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"
    public var name: String
    public var displayName: String
    public var role: Role
    /// bcrypt, never the password.
    var passwordHash: String
    public var created: Date
}

extension Role: DatabaseValueConvertible {}

/// The console's own SQLite file beside the broadcast log: accounts and login links.
public final class ConsoleStore: Sendable {
    private let database: DatabaseQueue

    public init(path: String) throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        database = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts") { db in
            try db.create(table: Account.databaseTableName) { t in
                t.primaryKey("name", .text)
                t.column("displayName", .text).notNull()
                t.column("role", .text).notNull()
                t.column("passwordHash", .text).notNull()
                t.column("created", .datetime).notNull()
            }
            try db.create(table: "loginLink") { t in
                t.primaryKey("tokenHash", .text)
                t.column("account", .text).notNull().references(Account.databaseTableName, onDelete: .cascade)
                t.column("expires", .datetime).notNull()
            }
        }
        try migrator.migrate(database)
    }

    /// Beside the log: `kha-son.sqlite` has `kha-son.console.sqlite`.
    public convenience init(logPath: String) throws {
        let log = URL(fileURLWithPath: logPath)
        try self.init(path: log.deletingPathExtension().appendingPathExtension("console.sqlite").path)
    }

    public var hasAccounts: Bool { (try? database.read { try Account.fetchCount($0) }) ?? 0 > 0 }

    public func addAccount(name: String, displayName: String, role: Role, password: String, at now: Date) throws -> Account {
        guard name.range(of: #"^[a-z0-9._-]{2,32}$"#, options: .regularExpression) != nil else {
            throw ConsoleError.invalid("account name '\(name)': 2-32 lowercase letters, digits, '.', '_' or '-'")
        }
        guard password.count >= 8 else { throw ConsoleError.invalid("the password must have at least 8 characters") }
        let account = Account(
            name: name, displayName: displayName.isEmpty ? name : displayName, role: role,
            passwordHash: Bcrypt.hash(password), created: now)
        try database.write { try account.upsert($0) }
        return account
    }

    /// The account, if the password is right; bcrypt runs even for an unknown name, so the time
    /// taken does not tell which names exist.
    public func authenticate(name: String, password: String) -> Account? {
        let account = try? database.read { try Account.fetchOne($0, key: name) }
        let verified = Bcrypt.verify(password, hash: account?.passwordHash ?? Self.decoyHash)
        return verified ? account : nil
    }

    private static let decoyHash = Bcrypt.hash("không có tài khoản này", cost: 12)

    public func account(named name: String) -> Account? { try? database.read { try Account.fetchOne($0, key: name) } }

    /// A link that logs the account in once without its password, for the engineer at the PC
    /// (and the browser tests): only its hash is stored, and it lapses after `lifetime`.
    public func makeLoginLink(for name: String, lifetime: TimeInterval, at now: Date) throws -> String {
        guard account(named: name) != nil else { throw ConsoleError.invalid("no account '\(name)'") }
        let token = Self.randomToken()
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO loginLink (tokenHash, account, expires) VALUES (?, ?, ?)",
                arguments: [Self.digest(token), name, now.addingTimeInterval(lifetime)])
        }
        return token
    }

    public func redeemLoginLink(_ token: String, at now: Date) -> Account? {
        // Once only: the link is gone as soon as it is used.
        let name = try? database.write { db in
            let hash = Self.digest(token)
            defer { try? db.execute(sql: "DELETE FROM loginLink WHERE tokenHash = ? OR expires <= ?", arguments: [hash, now]) }
            return try String.fetchOne(
                db, sql: "SELECT account FROM loginLink WHERE tokenHash = ? AND expires > ?", arguments: [hash, now])
        }
        return (name ?? nil).flatMap { account(named: $0) }
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.string((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    private static func digest(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }
}

public enum ConsoleError: Error, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let text): text
        }
    }
}
