import Foundation
import LoaLog
import LoaModel
import LoaPlanner
import Logging
import NIOSSL
import PostgresNIO

/// Why the central store refused or could not be reached.
public struct CentralError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Where the central store is: `postgres://ROLE@HOST[:PORT]/DATABASE[?sslmode=...&sslrootcert=FILE]`.
/// The password is never in the URL or station.yaml: it is read from a file only its owner may read.
public struct CentralAddress: Sendable {
    /// As libpq spells them: `disable`; `prefer` (TLS when the server offers it, unverified: the
    /// default, as libpq's); `require` (TLS or nothing, unverified); `verify-full` (TLS with the
    /// server's certificate checked against `sslrootcert` or the system's CAs, and its name).
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var role: String
    public var database: String
    public var tls: TLSMode
    /// The CA certificate (PEM) that signs the store's certificate, for `verify-full`.
    public var rootCertificate: String?

    public init(_ url: String) throws(CentralError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty, let role = components.user, !role.isEmpty
        else { throw CentralError("'\(url)' is not postgres://ROLE@HOST[:PORT]/DATABASE") }
        guard components.password == nil else {
            throw CentralError("'\(url)' holds a password; give it in a file with --password-file instead")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, database.count <= 63, role.count <= 63 else { throw CentralError("'\(url)' names no database") }
        var tls = TLSMode.prefer
        var rootCertificate: String?
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", let value?):
                guard let mode = TLSMode(rawValue: value) else {
                    throw CentralError("sslmode '\(value.prefix(40))' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case ("sslrootcert", let value?) where !value.isEmpty && value.count <= 1_000: rootCertificate = value
            default: throw CentralError("'\(item.name.prefix(40))' is not a setting Loa reads in a store's URL (sslmode, sslrootcert)")
            }
        }
        self.tls = tls
        self.rootCertificate = rootCertificate
        self.host = host
        port = components.port ?? 5432
        self.role = role
        self.database = database
    }

    /// The first line of a file that its owner alone may read (mode 0600 or 0400).
    public static func password(file: String) throws(CentralError) -> String {
        var info = stat()
        guard stat(file, &info) == 0 else { throw CentralError("\(file): cannot read the password file") }
        guard info.st_mode & 0o077 == 0 else {
            throw CentralError("\(file): others may read it (chmod 600 \(file)); a password file is its owner's alone")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), let line = text.split(separator: "\n").first,
            !line.isEmpty, line.count <= 200
        else { throw CentralError("\(file): no password on its first line") }
        return String(line)
    }
}

/// One connection to the central store, as a commune (to sync) or as its owner (to set it up
/// and report).
public final class CentralStore {
    let connection: PostgresConnection
    let logger = Logger(label: "loa.central")
    /// Rows a batch carries: one transaction each.
    public static let batchRows = 1_000

    private init(connection: PostgresConnection) { self.connection = connection }

    public static func connect(_ address: CentralAddress, password: String?) async throws -> CentralStore {
        let configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.role, password: password, database: address.database,
            tls: try tls(address))
        do {
            return CentralStore(connection: try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "loa.central")))
        } catch {
            throw CentralError("cannot connect to \(address.host):\(address.port) as \(address.role): \(Self.reason(error))")
        }
    }

    public func close() async { try? await connection.close() }

    /// Runs `body` on a new connection and closes it after, whatever `body` throws.
    public static func with<T>(_ address: CentralAddress, password: String?, _ body: (CentralStore) async throws -> T) async throws -> T {
        let store = try await connect(address, password: password)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    private static func tls(_ address: CentralAddress) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if address.tls != .verifyFull { configuration.certificateVerification = .none }
        if let file = address.rootCertificate {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
            } catch {
                throw CentralError("sslrootcert \(file): not a PEM certificate Loa can read (\(error))")
            }
        }
        let context = try NIOSSLContext(configuration: configuration)
        switch address.tls {
        case .disable: return .disable
        case .prefer: return .prefer(context)
        case .require, .verifyFull: return .require(context)
        }
    }

    /// Creates the schema, or brings an older one up to date (every statement may run again).
    public func initialize() async throws {
        for statement in CentralSchema.statements { try await run(PostgresQuery(unsafeSQL: statement)) }
        try await run("DELETE FROM loa.version")
        try await run("INSERT INTO loa.version VALUES (\(CentralSchema.version))")
    }

    /// A commune: its row, and a login role that may only call `loa.ingest` and `loa.my_mark`.
    public func addCommune(code: String, name: String, district: String, province: String, role: String, password: String) async throws {
        guard role.range(of: "^[a-z][a-z0-9_]{1,62}$", options: .regularExpression) != nil else {
            throw CentralError("role '\(role)': lower-case letters, digits and '_', starting with a letter")
        }
        guard code.range(of: "^[0-9A-Za-z-]{1,16}$", options: .regularExpression) != nil else {
            throw CentralError("code '\(code)': the commune's official code, digits (up to 16 characters)")
        }
        guard password.count >= 12, !password.contains("\0") else { throw CentralError("a commune's password has at least 12 characters") }
        let quoted = "'" + password.replacingOccurrences(of: "'", with: "''") + "'"
        let exists = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)", logger: logger).collect()
        try await run(PostgresQuery(unsafeSQL: "\(exists.isEmpty ? "CREATE" : "ALTER") ROLE \(role) LOGIN PASSWORD \(quoted)"))
        try await run(PostgresQuery(unsafeSQL: "GRANT USAGE ON SCHEMA loa TO \(role)"))
        try await run(PostgresQuery(unsafeSQL: "GRANT EXECUTE ON FUNCTION \(CentralSchema.communeFunctions) TO \(role)"))
        try await run(
            """
            INSERT INTO loa.commune (code, name, district, province, role_name) VALUES (\(code), \(name), \(district), \(province), \(role))
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, district = excluded.district, province = excluded.province,
                role_name = excluded.role_name
            """)
    }

    /// What a sync did.
    public struct SyncResult: Sendable {
        public var sent: Int
        public var added: Int
        public var batches: Int
        public var mark: Int64
        /// Bytes of JSON the batches carried.
        public var bytes: Int
    }

    /// Ships the log's sealed rows after the store's mark for this commune, in order, a batch per
    /// transaction; the store checks each row's hash and link. Never deletes anything locally.
    public func sync(_ log: BroadcastLog) async throws -> SyncResult {
        var mark: Int64 = 0
        for try await (sequence, hash) in try await connection.query("SELECT seal_sequence, hash FROM loa.my_mark()", logger: logger)
            .decode((Int64, String).self)
        {
            // The store's mark must be a row of this log: a mark this log does not have was forged
            // or belongs to another log, and nothing is sent against it.
            guard try log.sealedHash(at: sequence) == hash else {
                throw CentralError("the store's mark (sequence \(sequence), \(hash.prefix(12))...) is not in this log: refusing to sync")
            }
            mark = sequence
        }
        var result = SyncResult(sent: 0, added: 0, batches: 0, mark: mark, bytes: 0)
        while true {
            let rows = try log.sealedRows(after: result.mark, limit: Self.batchRows)
            guard let last = rows.last else { return result }
            let batch = Self.json(rows)
            do {
                for try await added in try await connection.query("SELECT loa.ingest(\(batch)::jsonb)", logger: logger).decode(Int64.self) {
                    result.added += Int(added)
                }
            } catch {
                throw CentralError("the store refused the batch after sequence \(result.mark): \(Self.reason(error))")
            }
            result.sent += rows.count
            result.batches += 1
            result.bytes += batch.utf8.count
            result.mark = last.sequence
        }
    }

    /// What the commune's planner planned for a campaign: lượt per day and kind of channel.
    public struct PlannedCount: Sendable, Equatable {
        public var date: CivilDate
        public var channelKind: ChannelKind
        public var planned: Int

        public init(date: CivilDate, channelKind: ChannelKind, planned: Int) {
            self.date = date
            self.channelKind = channelKind
            self.planned = planned
        }
    }

    /// The messages a plan holds, per campaign, day and kind of channel.
    public static func plannedCounts(_ plan: Plan, station: Station) -> [String: [PlannedCount]] {
        let kinds = Dictionary(station.channels.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        struct Key: Hashable { var campaign: String, date: CivilDate, kind: ChannelKind }
        var counts: [Key: Int] = [:]
        for entry in plan.entries where entry.role == .message {
            guard let campaign = entry.campaign, let kind = kinds[entry.channel] else { continue }
            counts[Key(campaign: campaign, date: entry.date, kind: kind), default: 0] += 1
        }
        return Dictionary(grouping: counts, by: \.key.campaign).mapValues { pairs in
            pairs.map { PlannedCount(date: $0.key.date, channelKind: $0.key.kind, planned: $0.value) }
                .sorted { ($0.date, $0.channelKind.rawValue) < ($1.date, $1.channelKind.rawValue) }
        }
    }

    /// Replaces the store's copy of this commune's plan for a campaign (one transaction), and
    /// gives it the campaign's title and window.
    @discardableResult
    public func shipPlan(campaign: Campaign, _ counts: [PlannedCount]) async throws -> Int {
        do {
            let first = campaign.window.first.description, last = campaign.window.last.description
            _ = try await connection.query(
                "SELECT loa.ship_campaign(\(campaign.id), \(campaign.title), \(first)::date, \(last)::date)", logger: logger
            ).collect()
        } catch {
            throw CentralError("the store refused campaign \(campaign.id): \(Self.reason(error))")
        }
        let campaign = campaign.id
        let json = String(
            decoding: try JSONSerialization.data(withJSONObject: counts.map {
                ["date": $0.date.description, "channelKind": $0.channelKind.rawValue, "planned": $0.planned] as [String: Any]
            }), as: UTF8.self)
        var shipped = 0
        do {
            for try await added in try await connection.query("SELECT loa.ship_plan(\(campaign), \(json)::jsonb)", logger: logger)
                .decode(Int64.self)
            {
                shipped = Int(added)
            }
        } catch {
            throw CentralError("the store refused the plan of \(campaign): \(Self.reason(error))")
        }
        return shipped
    }

    /// A campaign the province issues, as its file's text, with the audio its messages name.
    public struct Published: Sendable {
        public var id: String
        public var yaml: String
        public var publisher: String
        public var publishedAt: Date
    }

    /// Issues (or issues again, replacing it) a campaign to every commune.
    public func publish(id: String, yaml: String, publisher: String, audio: [(name: String, data: Data)]) async throws {
        do {
            _ = try await connection.query("BEGIN", logger: logger).collect()
            _ = try await connection.query("DELETE FROM loa.published_campaign WHERE id = \(id)", logger: logger).collect()
            _ = try await connection.query(
                "INSERT INTO loa.published_campaign (id, yaml, publisher) VALUES (\(id), \(yaml), \(publisher))", logger: logger
            ).collect()
            for file in audio {
                let bytes = ByteBuffer(data: file.data)
                _ = try await connection.query(
                    "INSERT INTO loa.published_audio (campaign, name, data) VALUES (\(id), \(file.name), \(bytes))", logger: logger
                ).collect()
            }
            _ = try await connection.query("COMMIT", logger: logger).collect()
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger).collect()
            throw CentralError("the store refused campaign \(id): \(Self.reason(error))")
        }
    }

    /// Every campaign the province has issued.
    public func published() async throws -> [Published] {
        var all: [Published] = []
        do {
            for try await (id, yaml, publisher, at) in try await connection.query(
                "SELECT id, yaml, publisher, extract(epoch FROM published_at)::float8 FROM loa.published()", logger: logger
            ).decode((String, String, String, Double).self) {
                all.append(Published(id: id, yaml: yaml, publisher: publisher, publishedAt: Date(timeIntervalSince1970: at)))
            }
        } catch {
            throw CentralError("cannot read the campaigns the province issued: \(Self.reason(error))")
        }
        return all
    }

    /// The audio files of an issued campaign.
    public func publishedAudio(of campaign: String) async throws -> [(name: String, data: Data)] {
        var files: [(name: String, data: Data)] = []
        do {
            for try await (name, bytes) in try await connection.query(
                "SELECT name, data FROM loa.published_audio(\(campaign))", logger: logger
            ).decode((String, ByteBuffer).self) {
                files.append((name, Data(bytes.readableBytesView)))
            }
        } catch {
            throw CentralError("cannot fetch the audio of campaign \(campaign): \(Self.reason(error))")
        }
        return files
    }

    /// A batch as `loa.ingest` reads it: an array of objects of each row's column texts (or null).
    /// Written directly: Foundation's serializer, through its dictionaries, took most of a sync's time.
    static func json(_ rows: [SealedRow]) -> String {
        var out = "["
        out.reserveCapacity(rows.count * 800)
        for (index, row) in rows.enumerated() {
            out += index == 0 ? "{" : ",{"
            var first = true
            for (name, value) in row.fields {
                out += first ? "" : ","
                first = false
                out += "\"\(name)\":"
                out += value.map(JSONDocument.quoted) ?? "null"
            }
            out += "}"
        }
        return out + "]"
    }

    private func run(_ query: PostgresQuery) async throws {
        do {
            _ = try await connection.query(query, logger: logger).collect()
        } catch {
            throw CentralError(Self.reason(error))
        }
    }

    /// PostgreSQL's own message, not the driver's wrapping of it.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            // The driver's own failure (TLS refused or unverified, connection lost), without its wrapping.
            if error.code == .sslUnsupported { return "the server offers no TLS, and the URL's sslmode asks for it" }
            return error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        }
        if let error = error as? CentralError { return error.description }
        return String(describing: error)
    }
}
