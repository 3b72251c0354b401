import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoaAudio
import LoaConsole
import LoaLog
import LoaModel
import LoaRunner
import LoaTestSupport
import NIOCore

/// A copy of the Kha Sơn example (station, campaigns and audio) in a temporary folder, with a
/// log of its first week simulated, an operator and a leader, and the console over it all.
struct ConsoleFixture: @unchecked Sendable {
    let folder = TemporaryFolder()
    let console: Console
    var station: String { folder.path + "/schedules/kha-son" }
    var logPath: String { folder.path + "/kha-son.sqlite" }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `withoutAntiFraud` leaves out the anti-fraud campaign, for the operator to create it.
    init(withoutAntiFraud: Bool = false, accounts: Bool = true) async throws {
        let manager = FileManager.default
        try manager.createDirectory(at: folder.url.appendingPathComponent("schedules"), withIntermediateDirectories: true)
        try manager.copyItem(
            at: Self.repository.appendingPathComponent("schedules/kha-son"), to: folder.url.appendingPathComponent("schedules/kha-son"))
        try manager.copyItem(at: Self.repository.appendingPathComponent("audio"), to: folder.url.appendingPathComponent("audio"))
        // The FM channel plays into a file through ALSA's `file` PCM, so a sound check can be heard.
        let stationFile = URL(fileURLWithPath: folder.path + "/schedules/kha-son/station.yaml")
        let text = try String(contentsOf: stationFile, encoding: .utf8)
            .replacingOccurrences(of: "\"plughw:CARD=USB,DEV=0\"", with: "\"file:'\(folder.path)/fm.raw',raw\"")
        try text.write(to: stationFile, atomically: true, encoding: .utf8)
        if withoutAntiFraud {
            try manager.removeItem(atPath: folder.path + "/schedules/kha-son/campaigns/lua-dao-truc-tuyen-2024.yaml")
        }
        let checked = CheckedStation.check(folder: folder.path + "/schedules/kha-son", probe: AudioProbing.probe)
        let log = try BroadcastLog(path: folder.path + "/kha-son.sqlite")
        _ = await Simulation.run(
            station: checked.station!, durations: checked.durations, from: CivilDate(year: 2024, month: 11, day: 25)!,
            through: CivilDate(year: 2024, month: 12, day: 1)!, log: log)
        let store = try ConsoleStore(logPath: folder.path + "/kha-son.sqlite")
        if accounts {
            _ = try store.addAccount(name: "an", displayName: "Nguyễn Văn An", role: .operator, password: "mat-khau-an", at: Date())
            _ = try store.addAccount(name: "binh", displayName: "Trần Thị Bình", role: .leader, password: "mat-khau-binh", at: Date())
        }
        console = try Console(
            settings: ConsoleSettings(
                stationFolder: folder.path + "/schedules/kha-son", logPath: folder.path + "/kha-son.sqlite", probe: AudioProbing.probe,
                now: { ISO8601DateFormatter().date(from: "2024-11-27T03:00:00Z")! }, uploadLimit: 2 * 1024 * 1024),
            store: store)
    }

    /// Runs `body` against the console's router, as HummingbirdTesting does without a socket.
    func test(_ body: @escaping @Sendable (Browser) async throws -> Void) async throws {
        let application = Application(router: console.router())
        try await application.test(.router) { client in try await body(Browser(client: client)) }
    }
}

/// A browser over the test client: keeps cookies, and finds each page's CSRF token.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(client: any TestClientProtocol) { self.client = client }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var csrf: String? {
            text.range(of: #"name="csrf" value="[0-9a-f]{64}""#, options: .regularExpression).map {
                String(text[$0].dropFirst(19).dropLast())
            }
        }
        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page { try await send(uri, method: .get, body: nil, type: nil) }

    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> Page {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(uri, method: .post, body: ByteBuffer(string: body), type: "application/x-www-form-urlencoded")
    }

    /// A body sent as it is, however malformed.
    @discardableResult
    func post(_ uri: String, raw: [UInt8], type: String) async throws -> Page {
        try await send(uri, method: .post, body: ByteBuffer(bytes: raw), type: type)
    }

    /// A multipart form with one file, as a browser sends a form with a file input.
    @discardableResult
    func upload(_ uri: String, _ fields: [(String, String)] = [], name: String, data: Data) async throws -> Page {
        let boundary = "loa-test-boundary"
        var body = ByteBuffer()
        for (field, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(data)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await send(uri, method: .post, body: body, type: "multipart/form-data; boundary=\(boundary)")
    }

    func login(_ name: String, _ password: String) async throws -> Page {
        let form = try await get("/dang-nhap")
        return try await post("/dang-nhap", [("csrf", form.csrf ?? ""), ("ten", name), ("mat-khau", password)])
    }

    private func send(_ uri: String, method: HTTPRequest.Method, body: ByteBuffer?, type: String?) async throws -> Page {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let type { headers[.contentType] = type }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            cookies[String(pair[0])] = pair[1].isEmpty ? nil : String(pair[1])
        }
        return Page(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
