import Foundation
import Hummingbird
import LoaAudio
import LoaModel
import LoaPlayout
import LoaSystem

/// Thiết bị: each channel and its ALSA device, with a sound-check button that plays a short
/// tone through the same playout code the daemon uses.
extension Console {
    func addDeviceRoutes(to router: Router<ConsoleContext>) {
        router.get("/thiet-bi") { _, context in
            devicesPage(context: context, message: nil)
        }
        router.post("/thiet-bi/{channel}/thu") { request, context in
            _ = try await form(request, context)
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let id = try context.parameters.require("channel")
            guard let channel = station.channels.first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
            let result = await Self.soundCheck(device: channel.device)
            return devicesPage(
                context: context,
                message: result.map { "\(channel.name): không phát được (\($0))." } ?? "\(channel.name): đã phát tiếng thử 1,5 giây.",
                failed: result != nil)
        }
    }

    /// Plays 1.5 s of 440 Hz to a device; the error in words, or nil when it played.
    static func soundCheck(device: String) async -> String? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loa-thu-loa-\(ConsoleStore.randomToken()).wav")
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            try Tone.write(url, seconds: 1.5, rate: 48_000, channels: 2)
        } catch {
            return error.description
        }
        return await onOwnThread(named: "loa-sound-check") {
            do {
                let playback = try PreparedPlayback(url: url, device: device, options: PlayoutOptions())
                _ = try playback.play()
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    private func devicesPage(context: ConsoleContext, message: String?, failed: Bool = false) -> Response {
        let checked = settings.check()
        guard let station = checked.station else { return configBroken(checked, context: context) }
        var values: [String: Any] = [
            "channels": station.channels.map {
                ["id": $0.id, "name": $0.name, "kind": $0.kind.vietnameseName, "device": $0.device, "gain": $0.gainDB, "area": $0.area]
            },
            "failed": failed,
        ]
        if let message { values["message"] = message }
        return page("devices", title: "Thiết bị", values, context: context, status: failed ? .serviceUnavailable : .ok)
    }
}

enum DeviceTemplates {
    static let devices = """
        {{<layout}}{{$body}}
        {{#message}}<p class="{{#failed}}warning{{/failed}}{{^failed}}notice{{/failed}}">{{message}}</p>{{/message}}
        <div class="cards">
        {{#channels}}<section>
        <h2>{{name}}</h2>
        <p>{{kind}}{{#area}} · {{area}}{{/area}}</p>
        <p class="muted">Thiết bị ALSA: <code class="wrap">{{device}}</code> · độ lợi {{gain}} dB</p>
        <form method="post" action="/thiet-bi/{{id}}/thu"><input type="hidden" name="csrf" value="{{csrf}}"><button class="light">Thử loa</button></form>
        </section>{{/channels}}
        </div>
        <p class="muted">Nếu máy phát đang dùng thiết bị, tiếng thử có thể không phát được: hãy thử ngoài giờ phát.</p>
        {{/body}}{{/layout}}
        """
}
