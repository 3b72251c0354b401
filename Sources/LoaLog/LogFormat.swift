import Foundation
import LoaModel

/// The log's rows as `loa log` prints them: text for the engineer (local times, Vietnamese
/// outcomes), JSON and CSV with every stored field.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, json, csv

    public func render(_ records: [BroadcastRecord]) -> String {
        switch self {
        case .json: return JSONDocument.text(records)
        case .csv:
            var out = "id,entry,date,channel,channel_kind,session,campaign,message,audio,scheduled_start,actual_start,actual_end,played_seconds,outcome,reason_code,reason,device\n"
            for r in records {
                let fields: [String] = [
                    String(r.id ?? 0), r.entryID, r.date.description, r.channel, r.channelKind.rawValue, r.session, r.campaign ?? "", r.message,
                    r.audio, r.scheduledStart, r.actualStart ?? "", r.actualEnd ?? "", String(format: "%.3f", r.playedSeconds),
                    r.outcome.rawValue, r.reasonCode?.rawValue ?? "", r.reason ?? "", r.device,
                ]
                out += fields.map(csvField).joined(separator: ",") + "\n"
            }
            return out
        case .text:
            var out = ""
            var times: [String: StationTime] = [:]
            for r in records {
                let time = times[r.timeZone] ?? StationTime(zone: r.timeZone)
                times[r.timeZone] = time
                let scheduled = time.clock(logged: r.scheduledStart) ?? r.scheduledStart
                out += "\(r.date)  \(scheduled)  \(r.channel)  \(r.session)  \(r.campaign ?? "-")  \(r.message)  "
                out += "\(r.outcome.vietnameseName)"
                if let code = r.reasonCode { out += " (\(code.rawValue))" }
                out += "\n"
            }
            return out.isEmpty ? "Không có lượt phát nào trong khoảng này.\n" : out
        }
    }
}
