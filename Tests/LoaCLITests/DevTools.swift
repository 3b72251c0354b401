import Foundation
import HummingbirdWSClient
import Logging
import NIOCore

/// Debian's Chromium, headless, driven through its DevTools protocol: the tests click what a
/// user clicks on a page that needs JavaScript (the live page's microphone).
final class HeadlessChromium: @unchecked Sendable {
    let process = Process()
    let profile: String

    /// Opens `url`; `fakeAudio`: the WAV the fake microphone plays, in a loop.
    init(url: String, profile: String, fakeAudio: String? = nil) throws {
        self.profile = profile
        try? FileManager.default.removeItem(atPath: profile + "/DevToolsActivePort")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile)", "--lang=vi",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--ignore-certificate-errors", "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required", "--window-size=390,1200",
            ] + (fakeAudio.map { ["--use-file-for-fake-audio-capture=\($0)"] } ?? []) + [url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The browser's DevTools WebSocket, once Chromium says where it listens.
    func browserSocket() async throws -> String {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: profile + "/DevToolsActivePort", encoding: .utf8) {
                let lines = text.split(separator: "\n")
                if lines.count == 2 { return "ws://127.0.0.1:\(lines[0])\(lines[1])" }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw DevToolsError(reason: "Chromium did not say where its DevTools listen (\(profile)/DevToolsActivePort)")
    }

    /// Runs `body` with the page, attached to over the browser's DevTools socket.
    func withPage(_ body: @escaping @Sendable (DevToolsPage) async throws -> Void) async throws {
        let url = try await browserSocket()
        try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 24), logger: Logger(label: "devtools")) {
            inbound, outbound, _ in
            let page = DevToolsPage(inbound: inbound.messages(maxSize: 1 << 24).makeAsyncIterator(), outbound: outbound)
            let targets = try await page.call("Target.getTargets", [:])["targetInfos"] as? [[String: Any]] ?? []
            guard let target = targets.first(where: { $0["type"] as? String == "page" })?["targetId"] as? String else {
                throw DevToolsError(reason: "no page among \(targets.count) targets")
            }
            page.session = try await page.call("Target.attachToTarget", ["targetId": target, "flatten": true])["sessionId"] as? String
            try await body(page)
            try await outbound.close(.normalClosure, reason: nil)
        }
    }
}

struct DevToolsError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// One page: JavaScript evaluated in it (as a user's gesture), screenshots of it.
final class DevToolsPage: @unchecked Sendable {
    private var inbound: WebSocketInboundMessageStream.AsyncIterator
    private let outbound: WebSocketOutboundWriter
    private var next = 0
    /// The page's session on the browser's socket, once attached.
    var session: String?

    init(inbound: WebSocketInboundMessageStream.AsyncIterator, outbound: WebSocketOutboundWriter) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Calls a DevTools method and returns its result.
    func call(_ method: String, _ parameters: [String: Any]) async throws -> [String: Any] {
        next += 1
        let id = next
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        let request = try JSONSerialization.data(withJSONObject: message)
        try await outbound.write(.text(String(decoding: request, as: UTF8.self)))
        while let message = try await inbound.next() {
            guard case .text(let text) = message, let reply = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                reply["id"] as? Int == id
            else { continue }
            if let error = reply["error"] { throw DevToolsError(reason: "\(method): \(error)") }
            return reply["result"] as? [String: Any] ?? [:]
        }
        throw DevToolsError(reason: "the page closed")
    }

    /// The value of `expression` (awaited when a promise), as text.
    @discardableResult
    func evaluate(_ expression: String) async throws -> String {
        let result = try await call("Runtime.evaluate", ["expression": expression, "userGesture": true, "awaitPromise": true, "returnByValue": true])
        let value = (result["result"] as? [String: Any])?["value"]
        return value.map { "\($0)" } ?? ""
    }

    /// Waits until `expression` is true; the last value of `describe` if it never is.
    func waitUntil(_ expression: String, timeout: Double = 40, describe: String) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let value = try await evaluate("!!(\(expression))")
            if value == "1" || value == "true" { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DevToolsError(reason: "timed out waiting for \(expression): \(try await evaluate(describe))")
    }

    func screenshot(to file: URL) async throws {
        let result = try await call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let data = (result["data"] as? String).flatMap({ Data(base64Encoded: $0) }) else { throw DevToolsError(reason: "no screenshot") }
        try data.write(to: file)
    }
}
