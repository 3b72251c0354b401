import Foundation
import LoaTestSupport

/// A throwaway PostgreSQL cluster in a temporary folder: `initdb` (as the `postgres` user when
/// the tests run as root, since PostgreSQL will not run as root), started on a free port on
/// 127.0.0.1 with password (SCRAM) logins, stopped when the test is done; with `tls`, serving
/// TLS with a self-signed certificate for 127.0.0.1 made by `openssl`.
final class PostgresCluster: Sendable {
    /// Debian's server binaries, of the newest version installed (15 on Debian 12).
    static let bin: String = {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted()
        return "/usr/lib/postgresql/\(versions.last ?? 15)/bin"
    }()
    let folder: String
    let port: Int
    let adminPasswordFile: String
    /// The certificate the server presents (and signs itself), when it serves TLS.
    let certificate: String?
    static let admin = "loa_admin"

    var adminURL: String { "postgres://\(Self.admin)@127.0.0.1:\(port)/postgres" }

    private init(tls: Bool) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loa-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        port = 20_000 + Int(getpid() % 5000) + Int.random(in: 0..<400)
        let password = "admin-\(UUID().uuidString)"
        try Data(password.utf8).write(to: URL(fileURLWithPath: folder + "/initdb-password"))
        adminPasswordFile = folder + "/admin-password"
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: adminPasswordFile))
        chmod(adminPasswordFile, 0o600)
        var options = "-k \(folder) -p \(port) -c listen_addresses=127.0.0.1"
        if tls {
            let made = try ExternalTool.run(
                "openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                 "-keyout", folder + "/server.key", "-out", folder + "/server.crt"])
            guard made.status == 0 else { throw Failed(step: "openssl req", output: made.output) }
            chmod(folder + "/server.key", 0o600)
            options += " -c ssl=on -c ssl_cert_file=\(folder)/server.crt -c ssl_key_file=\(folder)/server.key"
            certificate = folder + "/server.crt"
        } else {
            certificate = nil
        }
        if getuid() == 0 {
            chmod(folder, 0o755)
            _ = try ExternalTool.run("/usr/bin/chown", ["-R", "postgres:postgres", folder])
        }
        let initdb = try asPostgres(
            "initdb", ["-D", folder + "/data", "-U", Self.admin, "--pwfile=\(folder)/initdb-password", "--auth-local=trust",
                       "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])
        guard initdb.status == 0 else { throw Failed(step: "initdb", output: initdb.output) }
        let start = try asPostgres(
            "pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-o", options, "start"])
        guard start.status == 0 else {
            throw Failed(step: "pg_ctl start", output: start.output + ((try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""))
        }
    }

    /// Stops the server without a subprocess (deinit may run anywhere): SIGQUIT to the postmaster
    /// is PostgreSQL's immediate shutdown.
    deinit {
        if let pid = (try? String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first
            .flatMap({ Int32($0) })
        {
            kill(pid, SIGQUIT)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Started off the test's cooperative threads, whose waits on a child process can stall.
    static func start(tls: Bool = false) async throws -> PostgresCluster { try await offThePool { try PostgresCluster(tls: tls) } }

    /// `psql` off the test's cooperative threads.
    func query(_ sql: String, role: String = PostgresCluster.admin, password: String? = nil) async throws -> (ok: Bool, output: String) {
        try await offThePool { try self.psql(sql, role: role, password: password) }
    }

    /// SQL run by `psql` as `role` with its password; the output, and whether it succeeded.
    func psql(_ sql: String, role: String = PostgresCluster.admin, password: String? = nil) throws -> (ok: Bool, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.bin + "/psql")
        let secret = try password ?? String(contentsOfFile: adminPasswordFile, encoding: .utf8).trimmingCharacters(in: .newlines)
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "-U", role, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql]
        process.environment = ["PGPASSWORD": secret, "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus == 0, String(decoding: data, as: UTF8.self))
    }

    /// Spawned and waited for with posix_spawn and waitpid, output to a file: Foundation's
    /// Process did not see `pg_ctl start`'s runuser exit (the server it leaves behind keeps the
    /// session), and a pipe would be held open by that server.
    private func asPostgres(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let path = Self.bin + "/" + tool
        let argv = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        let output = folder + "/\(tool).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        guard posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ) == 0 else { throw Failed(step: tool, output: "cannot spawn") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exitStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    struct Failed: Error, CustomStringConvertible {
        var step: String
        var output: String
        var description: String { "\(step): \(output)" }
    }
}
