import Foundation
import LoaModel

/// A plan written out for people (`text`, in Vietnamese), for programs (`json`) and for Excel (`csv`).
/// Pure functions from a plan to text; the CLI and the console print what they return.
public enum PlanFormat: String, CaseIterable, Sendable {
    case text, json, csv

    public func render(_ plan: Plan, station: Station) -> String {
        switch self {
        case .text: PlanText(plan: plan, station: station).render()
        case .json: PlanJSON(plan: plan, clock: LocalClock(zone: station.timeZone)).render()
        case .csv: PlanCSV(plan: plan, clock: LocalClock(zone: station.timeZone)).render()
        }
    }
}

/// Turns a day and seconds since local midnight into ISO 8601 with the zone's offset.
struct LocalClock {
    let time: StationTime
    private var offsets: [Int: String] = [:]

    init(zone identifier: String) { time = StationTime(zone: identifier) }

    /// `2024-11-25T05:30:00+07:00`; 24:00 is written as the next day's 00:00.
    mutating func iso(_ date: CivilDate, _ seconds: Int) -> String {
        let day = date.adding(days: seconds / 86_400)
        let clock = TimeOfDay(seconds: seconds % 86_400).withSeconds
        if offsets[day.dayNumber] == nil { offsets[day.dayNumber] = time.offset(on: day) }
        return "\(day)T\(clock)\(offsets[day.dayNumber]!)"
    }
}

/// Seconds as a decimal with millisecond precision: `42.125`.
func decimalSeconds(_ value: Double) -> String { String(format: "%.3f", value) }

struct PlanJSON {
    let plan: Plan
    var clock: LocalClock

    func render() -> String {
        var clock = clock
        var out = "{\n  \"station\": \(JSONDocument.quoted(plan.station)),\n  \"from\": \"\(plan.from)\",\n"
        out += "  \"to\": \"\(plan.through)\",\n  \"entries\": ["
        for (i, entry) in plan.entries.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += "    {\"id\": \(JSONDocument.quoted(entry.id)), \"date\": \"\(entry.date)\", "
            out += "\"channel\": \(JSONDocument.quoted(entry.channel)), \"session\": \(JSONDocument.quoted(entry.session)), "
            out += "\"role\": \"\(entry.role.rawValue)\", "
            out += "\"start\": \"\(clock.iso(entry.date, entry.start))\", \"end\": \"\(clock.iso(entry.date, entry.end))\", "
            out += "\"campaign\": \(entry.campaign.map(JSONDocument.quoted) ?? "null"), \"message\": \(JSONDocument.quoted(entry.message)), "
            out += "\"audio\": \(JSONDocument.quoted(entry.audio)), \"duration\": \(decimalSeconds(entry.duration))}"
        }
        out += plan.entries.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"shortfalls\": ["
        for (i, shortfall) in plan.shortfalls.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += "    {\"campaign\": \(JSONDocument.quoted(shortfall.campaign)), \"channel\": \(JSONDocument.quoted(shortfall.channel)), "
            out += "\"date\": \"\(shortfall.date)\", \"required\": \(shortfall.required), "
            out += "\"planned\": \(shortfall.planned), \"reason\": \"\(shortfall.reason.rawValue)\", "
            out += "\"explanation\": \(JSONDocument.quoted(shortfall.explanation(channelName: shortfall.channel)))}"
        }
        out += plan.shortfalls.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }
}

struct PlanCSV {
    let plan: Plan
    var clock: LocalClock

    func render() -> String {
        var clock = clock
        var out = "id,date,channel,session,role,start,end,campaign,message,audio,duration\n"
        for entry in plan.entries {
            let fields = [
                entry.id, entry.date.description, entry.channel, entry.session, entry.role.rawValue,
                clock.iso(entry.date, entry.start), clock.iso(entry.date, entry.end), entry.campaign ?? "",
                entry.message, entry.audio, decimalSeconds(entry.duration),
            ]
            out += fields.map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }
}

/// The timetable an operator reads: per day, per session, per channel.
struct PlanText {
    let plan: Plan
    let station: Station

    func render() -> String {
        let sessionNames = Dictionary(station.sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let channelOrder = Dictionary(
            station.channels.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let names = StationNames(station)

        let plays = plan.entries.filter { $0.role == .message }.count
        let missing = plan.shortfalls.map(\.missing).reduce(0, +)
        var out = "LỊCH PHÁT: \(station.name)\n"
        out += "Từ \(plan.from.vietnamese) đến \(plan.through.vietnamese): \(plays) lượt phát bản tin"
        out += missing == 0 ? ", xếp đủ.\n" : ", còn \(missing) lượt chưa xếp được (xem cuối).\n"

        let byDay = Dictionary(grouping: plan.entries, by: \.date)
        for date in byDay.keys.sorted() {
            out += "\n\(date.weekday.vietnameseName), \(date.vietnamese)\n"
            let bySession = Dictionary(grouping: byDay[date]!, by: \.session)
            let sessionOrder = bySession.keys.sorted {
                (bySession[$0]!.map(\.start).min()!, $0) < (bySession[$1]!.map(\.start).min()!, $1)
            }
            for sessionID in sessionOrder {
                // A campaign's one-off relay is no session: its campaign's title and its own hours.
                let entries = bySession[sessionID]!
                let (start, end) = sessionNames[sessionID].map { ($0.start, $0.end) }
                    ?? (TimeOfDay(seconds: entries.map(\.start).min()!), TimeOfDay(seconds: min(86_400, entries.map(\.end).max()!)))
                out += "  \(names.session(sessionID)) \(start)-\(end)\n"
                let byChannel = Dictionary(grouping: entries, by: \.channel)
                for channelID in byChannel.keys.sorted(by: { channelOrder[$0, default: 0] < channelOrder[$1, default: 0] }) {
                    out += "    \(names.channel(channelID)) [\(channelID)]\n"
                    for entry in byChannel[channelID]! {
                        let what: String
                        switch entry.role {
                        case .opening: what = "Nhạc hiệu mở đầu: \(names.message(entry.message, of: nil))"
                        case .closing: what = "Nhạc hiệu kết thúc: \(names.message(entry.message, of: nil))"
                        case .message: what = "\(names.campaign(entry.campaign)): \(names.message(entry.message, of: entry.campaign))"
                        case .relay: what = "\(names.relay(entry.message)): \(entry.audio)"
                        }
                        let clock = TimeOfDay(seconds: entry.start).withSeconds
                        out += "      \(clock)  \(minutesSeconds(entry.duration))  \(what)\n"
                    }
                }
            }
        }
        if !plan.shortfalls.isEmpty {
            out += "\nCHƯA XẾP ĐƯỢC\n"
            for shortfall in plan.shortfalls {
                out += "  \(shortfall.date.vietnamese)  \(shortfall.channel)  \(shortfall.campaign): thiếu "
                out += "\(shortfall.missing) lượt [\(shortfall.reason.rawValue)] \(shortfall.explanation(channelName: names.channel(shortfall.channel)))\n"
            }
        }
        return out
    }

    /// `0:42`, `12:05`
    private func minutesSeconds(_ duration: Double) -> String {
        let seconds = slotSeconds(for: duration)
        return "\(seconds / 60):" + CivilDate.padded(seconds % 60)
    }
}
