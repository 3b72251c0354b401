import Foundation
import Hummingbird
import HummingbirdWebSocket
import LoaAudio
import LoaControl
import LoaImport
import LoaLog
import LoaModel
import LoaPlayout
import LoaSystem
import Logging

/// Nói trực tiếp: the operator speaks from a phone or PC and every chosen channel airs it. The
/// browser's frames come over a WebSocket and go to the daemon's live socket as they are,
/// checked one by one; the daemon's answers come back as text. Ghi âm rồi phát: a recording made
/// in the page (or any file) goes to the library, and airs now or waits for a campaign.
extension Console {
    func addLiveRoutes(to router: Router<ConsoleContext>) {
        router.get("/truc-tiep") { _, context in livePage(context: context, message: nil) }
        router.get("/js/{name}") { _, context in
            guard let name = context.parameters.get("name"), let script = LiveScripts.files[name] else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: script)))
        }
        router.ws("/truc-tiep/ws") { request, context in
            // A page of this console, in a session that may go live, with its token: another
            // site cannot open the microphone's way to the loudspeakers (no CSRF over WebSocket).
            guard context.account != nil, let session = context.session, request.uri.queryParameters["csrf"].map(String.init) == session.csrf,
                Self.sameOrigin(request)
            else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let account = context.requestContext.account else { return }
            try await relayLive(inbound, outbound, account: account)
        }
        router.post("/truc-tiep/ghi-am") { request, context in try await recorded(request, context) }
    }

    /// The WebSocket's Origin is a page of this console's host (either of its ports: the plain one
    /// redirects to the secure one), never another site's.
    static func sameOrigin(_ request: Request) -> Bool {
        let origins = request.headers[values: .origin]
        guard let authority = request.head.authority, !origins.isEmpty else { return false }
        let host = URLComponents(string: "https://\(authority)")?.host
        return host != nil && origins.allSatisfy { URLComponents(string: $0)?.host == host }
    }

    /// From the browser's start to the daemon's end, both ways.
    private func relayLive(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, account: Account) async throws {
        let logger = Logger(label: "loa.console")
        func refuse(_ message: String) async throws {
            try await outbound.write(.text(Self.json(LiveStatus(state: .refused, message: message))))
            try await outbound.close(.normalClosure, reason: nil)
        }
        var messages = inbound.messages(maxSize: LiveFrame.Limits.messageBytes).makeAsyncIterator()
        guard case .binary(let first)? = try await messages.next(),
            case .start(let json)? = try? LiveFrame.parse(Data(buffer: first)),
            let asked = try? JSONDecoder().decode(BrowserStart.self, from: json)
        else { return try await refuse("Yêu cầu không hợp lệ: hãy tải lại trang.") }
        guard DaemonState.daemonRuns(logPath: settings.logPath) else {
            return try await refuse("Máy phát ĐÃ DỪNG: không phát trực tiếp được. Hãy khởi động lại máy phát.")
        }
        let link: LiveLink
        do {
            link = try LiveLink.connect(logPath: settings.logPath)
        } catch {
            logger.error("live broadcast by \(account.name): cannot reach the daemon: \(error)")
            return try await refuse("Máy phát không nhận phát trực tiếp (\(error.errno)). Báo kỹ thuật viên.")
        }
        defer { link.close() }
        let start = LiveStart(
            id: "\(Int(settings.now().timeIntervalSince1970 * 1000))-\(ConsoleStore.randomToken().prefix(6))", account: account.name,
            speaker: account.displayName.isEmpty ? account.name : account.displayName, channels: asked.channels, level: asked.level)
        guard start.problem() == nil, link.send(.start((try? JSONEncoder().encode(start)) ?? Data())) else {
            return try await refuse("Yêu cầu không hợp lệ: hãy tải lại trang.")
        }
        logger.notice("live broadcast \(start.id) by \(account.name) started (\(asked.level.rawValue))")
        // The daemon's answers, read on a thread of their own (the read waits), to the browser.
        let answers = Task {
            while let status = await onOwnThread(named: "loa-live-answers", { Self.nextStatus(link) }) {
                try await outbound.write(.text(Self.json(status)))
                guard status.state != .ended, status.state != .refused else {
                    logger.notice("live broadcast \(start.id) by \(account.name): \(status.state.rawValue), \(Int(status.seconds ?? 0)) s")
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                }
            }
        }
        // The browser's frames, each checked, to the daemon; a malformed one is dropped.
        var malformed = 0
        frames: while malformed <= 50, let message = try await messages.next() {
            guard case .binary(let bytes) = message else {
                malformed += 1
                continue
            }
            switch try? LiveFrame.parse(Data(buffer: bytes)) {
            case let frame? where frame != .end && !frame.isStart: link.send(frame)
            case .end?:
                link.send(.end)
                // The daemon fades out and answers; a daemon that does not is let go after 5 s.
                _ = await withTaskGroup(of: Void.self) { group in
                    group.addTask { _ = await answers.result }
                    group.addTask { try? await Task.sleep(for: .seconds(5)) }
                    await group.next()
                    group.cancelAll()
                }
                break frames
            default: malformed += 1
            }
        }
        // A browser gone (or done) closes the link: the daemon ends what it still airs.
        link.close()
        answers.cancel()
    }

    /// The daemon's next answer; nil once the link is closed.
    private static func nextStatus(_ link: LiveLink) -> LiveStatus? {
        while true {
            switch link.receive(timeout: 1) {
            case .frame(.start(let json)):
                if let status = try? JSONDecoder().decode(LiveStatus.self, from: json) { return status }
            case .closed: return nil
            case .frame, .malformed, .nothing: continue
            }
        }
    }

    private static func json(_ status: LiveStatus) -> String {
        (try? JSONEncoder().encode(status)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Ghi âm rồi phát: the recording into the library, then on air now (as Phát khẩn sends it)
    /// or kept for a campaign.
    private func recorded(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let (fields, file) = try await formWithFile(request, context)
        let checked = settings.check()
        guard let station = checked.station else { return configBroken(checked, context: context) }
        guard let file else { return livePage(context: context, message: "Hãy ghi âm hoặc chọn một tệp.", status: .unprocessableContent) }
        let title = fields.text("title") ?? ""
        guard !title.isEmpty, title.count <= 120 else {
            return livePage(context: context, message: "Hãy đặt tên cho bản ghi (tối đa 120 ký tự).", status: .unprocessableContent)
        }
        let sentExtension = (file.name as NSString).pathExtension
        let stored: (name: String, format: AudioFormat, loudness: LoudnessMeasurement?)
        do {
            stored = try AudioLibrary(station: station).store(file.data, sentName: LibraryName.plainStem(of: title) + "." + sentExtension)
        } catch let error as ConsoleError {
            return livePage(context: context, message: error.description, status: .unprocessableContent)
        }
        guard fields["action"] == "air" else {
            return livePage(context: context, notice: "Đã lưu \(stored.name) vào thư viện âm thanh: dùng được trong chiến dịch và Phát khẩn.")
        }
        guard DaemonState.daemonRuns(logPath: settings.logPath) else {
            return livePage(
                context: context, message: "Máy phát ĐÃ DỪNG: bản ghi \(stored.name) đã được lưu nhưng chưa phát. Hãy khởi động lại máy phát.",
                status: .conflict)
        }
        let (channels, level) = Self.announcementChoice(fields, station: station)
        let now = settings.now()
        let announcement = AnnouncementRequest(
            id: AnnouncementRequest.newID(at: now), audio: AudioLibrary(station: station).folder.appendingPathComponent(stored.name).path,
            channels: channels, level: level, repeatCount: 1, everySeconds: 0, requested: now,
            duration: stored.format.duration)
        do {
            try AnnouncementSpool(logPath: settings.logPath).submit(announcement)
        } catch {
            return livePage(context: context, message: "Không gửi được tới máy phát: \(error)", status: .unprocessableContent)
        }
        return livePage(context: context, notice: "Đã gửi \(stored.name) tới máy phát (\(level == .emergency ? "khẩn cấp" : "ưu tiên")).")
    }

    private func livePage(context: ConsoleContext, message: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let checked = settings.check()
        guard let station = checked.station else { return configBroken(checked, context: context) }
        let time = StationTime(zone: station.timeZone), names = StationNames(station)
        let recent = ((try? BroadcastLog(path: settings.logPath).latest(roles: [.liveEmergency, .livePriority], limit: 10)) ?? []).reversed()
        var values: [String: Any] = [
            "channels": station.channels.map { ["id": $0.id, "name": $0.name] },
            "recent": recent.map { row in
                [
                    "time": time.display(logged: row.actualStart) ?? row.scheduledStart, "speaker": row.message,
                    "channel": names.channel(row.channel), "level": row.role == .liveEmergency ? "khẩn cấp" : "ưu tiên",
                    "seconds": Int(row.playedSeconds.rounded()), "outcome": row.outcome.vietnameseName,
                    "why": row.reasonCode?.vietnameseName ?? "", "recording": URL(fileURLWithPath: row.audio).lastPathComponent,
                ]
            },
        ]
        if let message { values["problem"] = message }
        if let notice { values["message"] = notice }
        return page("live", title: "Nói trực tiếp", values, context: context, status: status, mediaFromBlobs: true)
    }
}

/// What the browser asks: channels (nil: all) and level; who speaks is the session's account.
struct BrowserStart: Decodable {
    var channels: [String]?
    var level: AnnouncementRequest.Level
}

enum LiveTemplates {
    static let live = """
        {{<layout}}{{$body}}
        {{#message}}<p class="notice">{{message}}</p>{{/message}}
        {{#problem}}<p class="warning">{{problem}}</p>{{/problem}}
        <section>
        <form id="live">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Kênh (để trống: mọi kênh)</label>
        <div class="choices">{{#channels}}<label><input type="checkbox" name="channels" value="{{id}}"> {{name}}</label>{{/channels}}</div>
        <label>Mức</label>
        <div class="choices"><label><input type="radio" name="level" value="emergency" checked> Khẩn cấp (ngắt bản tin đang phát)</label>
        <label><input type="radio" name="level" value="priority"> Ưu tiên (sau bản tin đang phát)</label></div>
        <p class="needs-js warning">Nói trực tiếp cần JavaScript và micrô. Không có: hãy dùng "Ghi âm rồi phát" bên dưới.</p>
        <p><button type="button" id="live-button" class="big" hidden>Bắt đầu nói</button></p>
        <p id="live-state" role="status"></p>
        </form>
        </section>
        <section>
        <h2>Ghi âm rồi phát</h2>
        <form id="record" method="post" action="/truc-tiep/ghi-am" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><button type="button" id="record-button" class="light" hidden>Ghi âm</button></p>
        <audio id="record-preview" controls hidden></audio>
        <label for="record-file">Tệp ghi âm</label>
        <input type="file" id="record-file" name="audio" accept="audio/*,video/*" capture>
        <label for="record-title">Tên bản ghi</label>
        <input id="record-title" name="title" maxlength="120" required>
        <label>Kênh (để trống: mọi kênh)</label>
        <div class="choices">{{#channels}}<label><input type="checkbox" name="channels" value="{{id}}"> {{name}}</label>{{/channels}}</div>
        <div class="choices"><label><input type="radio" name="level" value="emergency" checked> Khẩn cấp</label>
        <label><input type="radio" name="level" value="priority"> Ưu tiên</label></div>
        <p><button name="action" value="air">Phát ngay</button> <button name="action" value="keep" class="light">Lưu vào thư viện</button></p>
        </form>
        </section>
        <section>
        <h2>Đã nói trực tiếp gần đây</h2>
        <div class="scroll"><table>
        <tr><th>Lúc</th><th>Người nói</th><th>Kênh</th><th>Mức</th><th>Giây</th><th>Kết quả</th><th>Bản ghi</th></tr>
        {{#recent}}<tr><td>{{time}}</td><td>{{speaker}}</td><td>{{channel}}</td><td>{{level}}</td><td>{{seconds}}</td><td>{{outcome}} {{why}}</td><td><a href="/am-thanh/tep/{{recording}}">{{recording}}</a></td></tr>{{/recent}}
        {{^recent}}<tr><td colspan="7" class="muted">Chưa có.</td></tr>{{/recent}}
        </table></div>
        </section>
        <script type="module" src="/js/live.js"></script>
        <script type="module" src="/js/record.js"></script>
        {{/body}}{{/layout}}
        """
}
