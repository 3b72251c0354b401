import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import LoaAudio
import LoaControl
import LoaLog
import LoaModel
import LoaPlanner
import LoaSystem
import Logging
import Synchronization

/// What the console serves: one station folder and its log, the same files `loa run` uses.
public struct ConsoleSettings: Sendable {
    public var stationFolder: String
    public var logPath: String
    public let probe: @Sendable (URL) -> AudioProbe
    public var now: @Sendable () -> Date
    /// Largest audio upload accepted, in bytes.
    public var uploadLimit: Int

    public init(
        stationFolder: String, logPath: String, probe: @escaping @Sendable (URL) -> AudioProbe,
        now: @escaping @Sendable () -> Date = { Date() }, uploadLimit: Int = 50 * 1024 * 1024
    ) {
        self.stationFolder = stationFolder
        self.logPath = logPath
        self.probe = probe
        self.now = now
        self.uploadLimit = uploadLimit
        probes = ProbeCache(probe)
    }

    /// The station as `loa check` sees it now; the console reads it afresh on every page, but
    /// decodes an audio file again only when its size or modification time changed.
    func check(overlay: StationLoader.CampaignOverlay? = nil) -> CheckedStation {
        CheckedStation.check(folder: stationFolder, overlay: overlay, probe: probes.probe)
    }

    private let probes: ProbeCache

    /// Probes remembered by path, size and modification time.
    final class ProbeCache: Sendable {
        private let probe: @Sendable (URL) -> AudioProbe
        private let known = StampCache<AudioProbe>()

        init(_ probe: @escaping @Sendable (URL) -> AudioProbe) { self.probe = probe }

        @Sendable func probe(_ url: URL) -> AudioProbe {
            known.value(for: url.path, always: { _ in probe(url) })
        }
    }
}

/// Per request: the logged-in account and its session, set by `SessionMiddleware`.
public struct ConsoleContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var account: Account?
    public var session: ConsoleSession?
    public let webSocket = WebSocketHandlerReference<ConsoleContext>()
    /// The browser is on this PC (loopback), which browsers count as secure without TLS.
    public let fromLoopback: Bool

    public init(source: Source) {
        coreContext = .init(source: source)
        fromLoopback = source.channel.remoteAddress.map { $0.ipAddress == "127.0.0.1" || $0.ipAddress == "::1" } ?? false
    }

    /// Room for an audio upload; forms are far smaller.
    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}

/// The console: Vietnamese pages over the planner, the log, the reports and the daemon's spool.
/// A process of its own, so nothing done here can stop playout.
public struct Console: Sendable {
    public let settings: ConsoleSettings
    public let store: ConsoleStore
    public let sessions = SessionStore()
    public let throttle = LoginThrottle()
    let pages: Pages
    let audits = AuditCache()
    /// This console answers over TLS: its cookies are `Secure`.
    public var servesTLS = false
    /// The HTTPS port a plain-HTTP console sends browsers off this PC to.
    public var httpsPort: Int?

    public init(settings: ConsoleSettings, store: ConsoleStore) throws {
        self.settings = settings
        self.store = store
        pages = try Pages()
    }

    /// Listens on loopback unless told otherwise, and refuses any other address until at least
    /// one account exists (a console open to the LAN with nobody able to log in is a mistake).
    public func application(host: String = "127.0.0.1", port: Int = 8080, tls: TLSConfiguration? = nil) throws -> some ApplicationProtocol {
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        if !loopback, !store.hasAccounts {
            throw ConsoleError.invalid(
                "refusing to listen on \(host): create an account first (loa console add-account), or listen on 127.0.0.1")
        }
        var console = self
        console.servesTLS = tls != nil
        let router = console.router()
        let http: HTTPServerBuilder = .http1WebSocketUpgrade(webSocketRouter: router, configuration: Self.webSocketConfiguration)
        return Application(
            router: router, server: try tls.map { try .tls(http, tlsConfiguration: $0) } ?? http,
            configuration: .init(address: .hostname(host, port: port), serverName: "Loa"), logger: Logger(label: "loa.console"))
    }

    public func router() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        if let httpsPort { router.add(middleware: HTTPSRedirect(port: httpsPort)) }
        router.add(middleware: SessionMiddleware(console: self))
        addLoginRoutes(to: router)
        addOverviewRoutes(to: router)
        addTodayRoutes(to: router)
        addPlanRoutes(to: router)
        addCampaignRoutes(to: router)
        addAudioRoutes(to: router)
        addAnnounceRoutes(to: router)
        addLiveRoutes(to: router)
        addLogRoutes(to: router)
        addReportRoutes(to: router)
        addDeviceRoutes(to: router)
        return router
    }

    /// The live socket takes a frame of at most 100 ms of audio.
    static let webSocketConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
        ws: WebSocketServerConfiguration(maxFrameSize: LiveFrame.Limits.messageBytes + 64, autoPing: .enabled(timePeriod: .seconds(10))))

    /// A page in the layout, for the logged-in account. `mediaFromBlobs`: the page plays what it
    /// recorded itself.
    func page(
        _ template: String, title: String, _ values: [String: Any], context: ConsoleContext, status: HTTPResponse.Status = .ok,
        mediaFromBlobs: Bool = false
    ) -> Response {
        var all = values
        all["title"] = title
        if let account = context.account { all["account"] = ["name": account.displayName, "role": account.role.vietnameseName] }
        all["csrf"] = context.session?.csrf ?? ""
        all["station"] = settings.stationFolder
        all["nav"] = Pages.navigation.map { ["href": $0.href, "label": $0.label, "current": $0.template == template] }
        if context.account != nil { all["daemon"] = daemonBanner() }
        return Pages.html(pages.render(template, all), status: status, mediaFromBlobs: mediaFromBlobs)
    }

    /// What every page says of the daemon, from the state file it keeps beside the log.
    func daemonBanner() -> [String: Any] {
        let time = StationTime(zone: Station.defaultTimeZone)
        func local(_ instant: Date) -> String { time.display(instant) }
        guard let state = DaemonState.read(logPath: settings.logPath) else { return ["running": false] }
        guard state.isRunning else { return ["running": false, "since": local(state.updatedAt)] }
        var problems: [String] = []
        if state.logProblem != nil {
            // The system's words (an errno, SQLite's) are for the engineer, in `loa status`.
            problems.append("Không ghi được nhật ký phát từ \(state.logProblemSince.map(local) ?? "?"): không phát thêm gì cho đến khi ghi lại được. Báo kỹ thuật viên kiểm tra ổ đĩa.")
        }
        if let problem = state.configProblem { problems.append("Cấu hình đài bị từ chối, máy phát giữ cấu hình cũ: \(problem.vietnamese)") }
        problems += state.setAside.map { "Chiến dịch bị gác lại vì có lỗi, các chiến dịch khác vẫn phát: \($0.vietnamese)" }
        var banner: [String: Any] = ["running": true, "since": local(state.startedAt), "daemonProblems": problems]
        if let live = state.live { banner["live"] = "Đang phát trực tiếp: \(live.speaker), từ \(local(live.since))." }
        // Named apart from any page's own keys: mustache would find a page's `problems` otherwise.
        return banner
    }

    /// Checks the form's CSRF token against the session's; every POST goes through here.
    func form(_ request: Request, _ context: ConsoleContext) async throws -> FormFields {
        let body = try await request.body.collect(upTo: 1024 * 1024)
        return try checkedCSRF(FormFields.parsing(body), context)
    }

    /// A form that may carry a file (multipart/form-data, up to the upload limit) or not
    /// (urlencoded), its CSRF token checked as ``form(_:_:)`` checks it. Nil file: none chosen.
    func formWithFile(_ request: Request, _ context: ConsoleContext) async throws -> (fields: FormFields, file: UploadedFile?) {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("multipart/form-data") else { return (try await form(request, context), nil) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: settings.uploadLimit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "Tệp quá lớn: tối đa \(settings.uploadLimit / 1024 / 1024) MB.")
        }
        let form = try Self.multipartForm(Array(body.readableBytesView), contentType: type)
        return (try checkedCSRF(form.fields, context), form.file)
    }

    /// A multipart/form-data body's text fields and its file; a body that is not such a form is a
    /// 400 that says why, never a trap (a fuzz target).
    public static func multipartForm(_ body: [UInt8], contentType: String) throws(HTTPError) -> (fields: FormFields, file: UploadedFile?) {
        let parts: [MultipartForm.Part]
        do {
            parts = try MultipartForm.parts(of: body, contentType: contentType)
        } catch {
            throw HTTPError(.badRequest, message: "Biểu mẫu không đúng dạng multipart/form-data (\(error.reason)).")
        }
        return (try FormFields.parsing(parts), UploadedFile.first(in: parts))
    }

    private func checkedCSRF(_ fields: FormFields, _ context: ConsoleContext) throws -> FormFields {
        guard let session = context.session, fields["csrf"] == session.csrf else { throw HTTPError(.forbidden, message: "CSRF") }
        return fields
    }
}

/// Finds the session from its cookie; every page but the login page needs one.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let console: Console

    static let open = ["/dang-nhap", "/dang-nhap/lien-ket"]

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let now = console.settings.now()
        if let token = request.cookies[SessionStore.cookie]?.value, let session = console.sessions.session(for: token, at: now),
            let account = console.store.account(named: session.account)
        {
            context.session = session
            context.account = account
        }
        let path = request.uri.path
        if context.account == nil, !Self.open.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            return Response(status: .seeOther, headers: [.location: "/dang-nhap"])
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .forbidden {
            return console.page(
                "error", title: "Không được phép",
                ["message": "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại."], context: context,
                status: .forbidden)
        }
    }
}

/// An `application/x-www-form-urlencoded` body: checkboxes give a name several values.

/// Plain HTTP from another machine goes to the HTTPS console: a phone's browser gives the
/// microphone only to a secure page, and the session cookie is `Secure` there.
struct HTTPSRedirect: RouterMiddleware {
    typealias Context = ConsoleContext
    let port: Int

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws
        -> Response
    {
        guard !context.fromLoopback else { return try await next(request, context) }
        let authority = request.head.authority ?? "localhost"
        // The host without its port: "192.168.1.10:8080", "[fe80::1]:8080".
        let host = authority.hasPrefix("[") ? String(authority.prefix { $0 != "]" }) + "]" : String(authority.prefix { $0 != ":" })
        return Response(status: .permanentRedirect, headers: [.location: "https://\(host):\(port)\(request.uri.string)"])
    }
}
