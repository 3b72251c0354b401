import Foundation
import HTTPTypes
import HummingbirdWSClient
import NIOCore
import LoaControl
import Logging
import NIOSSL
import Synchronization

/// `loa-bench live URL COOKIE SECONDS`: speaks into a running console's live socket as the
/// page does (20 ms frames of 16-bit PCM, each stamped with its capture time, sent in real time)
/// a tone that says its second, ends, and prints the daemon's reading of the delay from capture
/// to the ALSA device over every frame it aired (scripts/bench-live-delay.sh runs it).
enum LiveDelayBenchmark {
    static func run(url: String, cookie: String, seconds: Double) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        // The console's own certificate, made for this PC.
        tls.certificateVerification = .none
        var headers = HTTPFields()
        headers[.cookie] = cookie
        let ended = Mutex<LiveStatus?>(nil)
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: headers)
        // A phone reaches the console by its address; TLS sends no address as the server's name.
        configuration.sniHostname = "localhost"
        try await WebSocketClient.connect(
            url: url, configuration: configuration, tlsConfiguration: tls,
            logger: Logger(label: "loa-bench")
        ) { inbound, outbound, _ in
            let start = try JSONEncoder().encode(["level": "emergency"])
            try await outbound.write(.binary(ByteBuffer(bytes: LiveFrame.start(start).encoded)))
            let sender = Task {
                let began = Date()
                var phase = 0.0
                for n in 0..<Int(seconds * 50) {
                    let frequency = 400 + 100 * Double((n / 50) % 20)
                    let samples = (0..<960).map { _ -> Int16 in
                        phase += 2 * .pi * frequency / 48_000
                        return Int16(sin(phase) * 16_000)
                    }
                    let frame = LiveFrame.audio(sequence: UInt32(n), captured: Date().timeIntervalSince1970 * 1000, samples: samples)
                    try await outbound.write(.binary(ByteBuffer(bytes: frame.encoded)))
                    let due = began.addingTimeInterval(Double(n + 1) * 0.02)
                    try await Task.sleep(for: .seconds(max(0, due.timeIntervalSinceNow)))
                }
                try await outbound.write(.binary(ByteBuffer(bytes: LiveFrame.end.encoded)))
            }
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message, let status = try? JSONDecoder().decode(LiveStatus.self, from: Data(text.utf8)) else { continue }
                if status.state == .ended || status.state == .refused {
                    ended.withLock { $0 = status }
                    break
                }
            }
            sender.cancel()
        }
        guard let status = ended.withLock({ $0 }), status.state == .ended, let p50 = status.delayP50, let p95 = status.delayP95 else {
            print("live: no delay reading: \(String(describing: ended.withLock { $0 }))")
            return
        }
        print(String(format: "live (browser frames over the console's WebSocket): %.0f s aired, delay p50 %.1f ms, p95 %.1f ms", status.seconds ?? 0, p50, p95))
    }
}
