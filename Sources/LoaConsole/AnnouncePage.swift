import Foundation
import Hummingbird
import LoaAudio
import LoaControl
import LoaLog
import LoaModel

/// Phát khẩn: hands an emergency or priority announcement to the running daemon through its
/// spool, exactly as `loa announce` does.
extension Console {
    func addAnnounceRoutes(to router: Router<ConsoleContext>) {
        router.get("/phat-khan") { _, context in
            announcePage(context: context, message: nil)
        }
        router.post("/phat-khan") { request, context in
            let fields = try await form(request, context)
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            guard let name = fields["audio"], let url = AudioLibrary(station: station).file(named: name) else {
                return announcePage(context: context, message: "Hãy chọn một tệp âm thanh trong thư viện.", status: .unprocessableContent)
            }
            let (channels, level) = Self.announcementChoice(fields, station: station)
            guard let repeatCount = Int(fields.text("repeat") ?? "1"), AnnouncementRequest.Limits.repeats.contains(repeatCount),
                let minutes = Double(fields.text("every") ?? "0"), minutes.isFinite, minutes >= 0
            else {
                return announcePage(
                    context: context, message: "Số lần phát là từ 1 đến 48, khoảng cách là số phút.", status: .unprocessableContent)
            }
            let every = minutes * 60
            if repeatCount > 1, every <= 0 {
                return announcePage(context: context, message: "Phát lại nhiều lần cần khoảng cách giữa các lần (phút).", status: .unprocessableContent)
            }
            let format: AudioFormat
            do {
                format = try AudioFile.probe(url: url)
            } catch {
                return announcePage(context: context, message: "Không đọc được \(name): \(error)", status: .unprocessableContent)
            }
            let running = DaemonState.daemonRuns(logPath: settings.logPath)
            if !running, fields["queue"] != "1" {
                return announcePage(
                    context: context,
                    message: "Máy phát ĐÃ DỪNG: thông báo chưa được gửi. Hãy khởi động lại máy phát, hoặc chọn \"Vẫn gửi\" để thông báo phát khi máy phát chạy lại.",
                    status: .conflict)
            }
            let now = settings.now()
            let request = AnnouncementRequest(
                id: AnnouncementRequest.newID(at: now), audio: url.path, channels: channels, level: level,
                repeatCount: repeatCount, everySeconds: every, requested: now, duration: format.duration)
            do {
                try AnnouncementSpool(logPath: settings.logPath).submit(request)
            } catch let refused as AnnouncementRefused {
                return announcePage(
                    context: context, message: "Không gửi được: các lần phát phải cách nhau 1 phút đến 24 giờ và xong trong 24 giờ (\(refused.reason)).",
                    status: .unprocessableContent)
            }
            let names = channels?.map(StationNames(station).channel).joined(separator: ", ") ?? "mọi kênh"
            let sent = running ? "đã gửi tới máy phát" : "đã xếp hàng; máy phát đang dừng, thông báo sẽ phát khi máy phát chạy lại"
            return announcePage(
                context: context, message: "\(level == .emergency ? "Phát khẩn" : "Phát ưu tiên") \(name) trên \(names), \(repeatCount) lần: \(sent).")
        }
    }

    /// The channels and level a form chose: the station's channel ids ticked (none: every
    /// channel, nil), khẩn cấp unless ưu tiên; Phát khẩn and Ghi âm rồi phát read them alike.
    static func announcementChoice(_ fields: FormFields, station: Station) -> (channels: [String]?, level: AnnouncementRequest.Level) {
        let known = station.channels.map(\.id)
        let chosen = fields.all("channels").filter(known.contains)
        return (chosen.isEmpty ? nil : chosen, fields["level"].flatMap(AnnouncementRequest.Level.init(rawValue:)) ?? .emergency)
    }

    private func announcePage(context: ConsoleContext, message: String?, status: HTTPResponse.Status = .ok) -> Response {
        let checked = settings.check()
        guard let station = checked.station else { return configBroken(checked, context: context) }
        let time = StationTime(zone: station.timeZone)
        let names = StationNames(station)
        let recent = ((try? BroadcastLog(path: settings.logPath).latest(roles: [.announcementEmergency, .announcementPriority], limit: 10)) ?? [])
            .reversed()
        var values: [String: Any] = [
            "audio": AudioLibrary(station: station).files.map { ["name": $0] },
            "channels": station.channels.map { ["id": $0.id, "name": $0.name] },
            "recent": recent.map { row in
                [
                    "time": time.display(logged: row.scheduledStart) ?? row.scheduledStart,
                    // When it really went out: an announcement sent while the daemon was stopped airs later.
                    "aired": time.display(logged: row.actualStart) ?? "chưa phát",
                    "channel": names.channel(row.channel), "audio": row.audio, "level": row.role == .announcementEmergency ? "khẩn cấp" : "ưu tiên",
                    "outcome": row.outcome.vietnameseName,
                ]
            },
        ]
        // A refusal is shown as a warning, a request sent as a notice.
        if let message { values[status == .ok ? "message" : "problem"] = message }
        return page("announce", title: "Phát khẩn", values, context: context, status: status)
    }
}

enum AnnounceTemplates {
    static let announce = """
        {{<layout}}{{$body}}
        {{#message}}<p class="notice">{{message}}</p>{{/message}}
        {{#problem}}<p class="warning">{{problem}}</p>{{/problem}}
        <section>
        <form method="post" action="/phat-khan">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="audio">Bản tin</label>
        <select id="audio" name="audio" required><option value="">- chọn tệp -</option>{{#audio}}<option value="{{name}}">{{name}}</option>{{/audio}}</select>
        <label>Kênh (để trống: mọi kênh)</label>
        <div class="choices">{{#channels}}<label><input type="checkbox" name="channels" value="{{id}}"> {{name}}</label>{{/channels}}</div>
        <label>Mức</label>
        <div class="choices"><label><input type="radio" name="level" value="emergency" checked> Khẩn cấp (ngắt bản tin đang phát)</label>
        <label><input type="radio" name="level" value="priority"> Ưu tiên (sau bản tin đang phát)</label></div>
        <label for="repeat">Số lần phát</label><input type="number" id="repeat" name="repeat" value="1" min="1" max="20">
        <label for="every">Cách nhau (phút)</label><input type="number" id="every" name="every" value="0" min="0">
        {{^daemon.running}}<p class="warning">Máy phát đang dừng: thông báo chỉ phát khi máy phát chạy lại.</p>
        <div class="choices"><label><input type="checkbox" name="queue" value="1"> Vẫn gửi (phát khi máy phát chạy lại)</label></div>{{/daemon.running}}
        <p><button>Phát ngay</button></p>
        </form>
        </section>
        <section>
        <h2>Đã phát gần đây</h2>
        <div class="scroll"><table>
        <tr><th>Yêu cầu lúc</th><th>Phát lúc</th><th>Kênh</th><th>Tệp</th><th>Mức</th><th>Kết quả</th></tr>
        {{#recent}}<tr><td>{{time}}</td><td>{{aired}}</td><td>{{channel}}</td><td>{{audio}}</td><td>{{level}}</td><td>{{outcome}}</td></tr>{{/recent}}
        {{^recent}}<tr><td colspan="6" class="muted">Chưa có.</td></tr>{{/recent}}
        </table></div>
        </section>
        {{/body}}{{/layout}}
        """
}
