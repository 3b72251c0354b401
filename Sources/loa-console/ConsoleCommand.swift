import ArgumentParser
import Foundation
import Hummingbird
import LoaAudio
import LoaConsole
import LoaFrontend
import LoaModel
import Logging
import ServiceLifecycle

/// `loa console`, an executable of its own (`loa console ...` execs `loa-console ...`), so that
/// the daemon's binary carries no web server.
@main
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa console",
        abstract: "The operator's web console, in Vietnamese: status, plan, campaigns, announcements, log, reports, devices.",
        version: LoaVersion.current, subcommands: [Serve.self, AddAccount.self, LoginLink.self], defaultSubcommand: Serve.self)

    /// The console's own file beside the station's log: accounts and login links.
    static func store(_ station: String, _ logOptions: LogOptions) throws -> ConsoleStore {
        try ConsoleStore(logPath: logOptions.path(for: station))
    }

    /// Runs `body` on the station's console store, reporting a refused account or link as a usage
    /// error (exit 64).
    static func withStore<T>(_ station: String, _ logOptions: LogOptions, _ body: (ConsoleStore) throws -> T) throws -> T {
        do {
            return try body(try store(station, logOptions))
        } catch let error as ConsoleError {
            throw ValidationError(error.description)
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the console (a process of its own: nothing it does can stop playout).",
            discussion: """
                Listens on 127.0.0.1:8080 unless --listen says otherwise, and refuses any address but \
                loopback until an account exists. It reads the same station folder and log as `loa run`, \
                hands announcements to the daemon through its spool, and writes campaign edits atomically \
                (drafts in campaigns/drafts/, approved files in campaigns/, old versions in campaigns/.history/).
                """)

        @OptionGroup var options: StationOptions
        @OptionGroup var logOptions: LogOptions
        @Option(help: "Address and port to listen on (plain HTTP).") var listen = "127.0.0.1:8080"
        @Option(
            help: ArgumentHelp(
                "Also serve HTTPS on HOST:PORT (e.g. 0.0.0.0:8443): phones need it for the microphone. Plain HTTP from other machines is then sent there.",
                valueName: "host:port"))
        var https: String?
        @Option(help: "The HTTPS certificate (PEM); without it the console makes its own beside the log.") var tlsCert: String?
        @Option(help: "The HTTPS certificate's private key (PEM).") var tlsKey: String?

        func run() async throws {
            let plain = try Self.address(listen, option: "--listen")
            let secure = try https.map { try Self.address($0, option: "--https") }
            guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
            let logPath = logOptions.path(for: options.station)
            var console = try Console(
                settings: ConsoleSettings(stationFolder: options.station, logPath: logPath, probe: AudioProbing.probe),
                store: try ConsoleCommand.store(options.station, logOptions))
            do {
                var services: [any Service] = []
                if let secure {
                    let tls = try ConsoleCertificate.tls(certificate: tlsCert, key: tlsKey, logPath: logPath)
                    services.append(try console.application(host: secure.host, port: secure.port, tls: tls))
                    console.httpsPort = secure.port
                    print("Loa console: https://\(secure.host):\(secure.port)/ (certificate \(tlsCert ?? ConsoleCertificate.paths(logPath: logPath).certificate))")
                }
                services.append(try console.application(host: plain.host, port: plain.port))
                print("Loa console: http://\(listen)/ (station \(options.station))")
                let group = ServiceGroup(
                    services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: Logger(label: "loa.console"))
                try await group.run()
            } catch let error as ConsoleError {
                Terminal.printError("error: \(error)")
                throw ExitCode.failure
            }
        }

        /// HOST:PORT, the host bare or in brackets.
        static func address(_ text: String, option: String) throws -> (host: String, port: Int) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2, let port = Int(parts.last!), (1...65535).contains(port) else {
                throw ValidationError("\(option) takes HOST:PORT, e.g. 127.0.0.1:8080")
            }
            return (parts.dropLast().joined(separator: ":").trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
        }
    }

    struct AddAccount: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-account",
            abstract: "Create or reset a console account; the password is read from standard input.")

        @OptionGroup var options: StationOptions
        @Argument(help: "Login name: lowercase letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "operator (drafts campaigns, sends announcements) or leader (also approves campaigns).")
        var role: String = "operator"
        @Option(help: "The name shown in the console, e.g. \"Nguyễn Văn An\".") var displayName = ""
        @OptionGroup var logOptions: LogOptions

        func run() throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role is operator or leader") }
            if isatty(STDIN_FILENO) != 0 { FileHandle.standardError.write(Data("Mật khẩu (password): ".utf8)) }
            guard let password = readLine(strippingNewline: true) else { throw ValidationError("no password on standard input") }
            let account = try ConsoleCommand.withStore(options.station, logOptions) {
                try $0.addAccount(name: name, displayName: displayName, role: role, password: password, at: Date())
            }
            print("account \(account.name) (\(account.role.rawValue)) saved")
        }
    }

    struct LoginLink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login-link",
            abstract: "Print a one-time link that logs an account in, valid for 10 minutes.")

        @OptionGroup var options: StationOptions
        @Argument(help: "The account.") var name: String
        @Option(help: "The console's address, as the browser reaches it.") var url = "http://127.0.0.1:8080"
        @Option(help: "The page to open after logging in.") var next = "/"
        @OptionGroup var logOptions: LogOptions

        func run() throws {
            let token = try ConsoleCommand.withStore(options.station, logOptions) {
                try $0.makeLoginLink(for: name, lifetime: 600, at: Date())
            }
            let page = next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&="))) ?? "/"
            print("\(url)/dang-nhap/lien-ket/\(token)?tiep=\(page)")
        }
    }
}
