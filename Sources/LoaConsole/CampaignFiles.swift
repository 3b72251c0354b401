import Foundation
import LoaModel
import LoaSystem

/// A campaign as the console's form holds it, and the YAML file it becomes.
struct CampaignForm {
    var id = ""
    var title = ""
    var directive = ""
    var first = ""
    var last = ""
    var priority = Priority.normal
    /// Empty means all.
    var channels: [String] = []
    var sessions: [String] = []
    /// Weekdays it airs; empty means every day.
    var days: [Weekday] = []
    var perSession = false
    /// Directives ask for two or more a day.
    var plays = 2
    var spacing = 1
    /// Audio file (in the library), its weight (0 leaves the file out), its title (nil: the
    /// loader's readable form of the file name) and its id (nil: the file's name; the log and
    /// tallies know a message by it, so one written by hand is kept).
    var messages: [(audio: String, weight: Int, title: String?, id: String?)] = []
    /// One-off relays as the operator wrote them: the relay source's id, date, from and to.
    var relays: [(source: String, date: String, from: String, to: String)] = []

    init() {}

    /// "Phòng, chống lừa đảo xóm 2026" gives `phong-chong-lua-dao-xom-2026`: the id an operator
    /// who leaves it empty gets, letters without their marks (đ as d), words joined by '-'.
    static func id(from title: String) -> String {
        let plain = title.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let words = plain.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return String(words.joined(separator: "-").prefix(64))
    }

    init(_ campaign: Campaign, station: Station) {
        id = campaign.id
        title = campaign.title
        directive = campaign.directive
        first = campaign.window.first.vietnamese
        last = campaign.window.last.vietnamese
        priority = campaign.priority
        channels = Set(campaign.channels) == Set(station.channels.map(\.id)) ? [] : campaign.channels
        sessions = Set(campaign.sessions) == Set(station.sessions.map(\.id)) ? [] : campaign.sessions
        days = campaign.days == .daily ? [] : campaign.days.weekdays
        switch campaign.quota {
        case .perDay(let count): plays = count
        case .perSession(let count):
            perSession = true
            plays = count
        }
        spacing = campaign.spacing
        messages = campaign.messages.map { message in
            (
                message.audio.path, message.weight, message.title == Message.readableTitle(of: message.id) ? nil : message.title,
                message.id == message.audio.stem ? nil : message.id
            )
        }
        relays = campaign.relays.map { ($0.source, $0.date.vietnamese, $0.from.description, $0.to.description) }
    }

    init(_ fields: FormFields, id fixed: String?) {
        title = fields.text("title") ?? ""
        id = fixed ?? fields.text("id") ?? Self.id(from: title)
        directive = fields.text("directive") ?? ""
        first = fields.text("first") ?? ""
        last = fields.text("last") ?? ""
        priority = fields["priority"].flatMap(Priority.init(rawValue:)) ?? .normal
        channels = fields.all("channels")
        sessions = fields.all("sessions")
        days = fields.all("days").compactMap { Weekday.names[$0] }
        perSession = fields["quota"] == "session"
        plays = fields.text("plays").flatMap { Int($0) } ?? 0
        spacing = fields.text("spacing").flatMap { Int($0) } ?? 1
        messages = fields.all("audio").compactMap { audio in
            let weight = fields.text("weight-\(audio)").flatMap { Int($0) } ?? 0
            return weight > 0 ? (audio, weight, fields.text("title-\(audio)"), fields.text("id-\(audio)")) : nil
        }
        // A row left blank is no relay; one half filled is checked, so the operator hears what is missing.
        let sources = fields.all("relay-source"), dates = fields.all("relay-date"), froms = fields.all("relay-from"), tos = fields.all("relay-to")
        func value(_ list: [String], _ row: Int) -> String { row < list.count ? list[row].trimmingCharacters(in: .whitespaces) : "" }
        relays = (0..<sources.count).map { (value(sources, $0), value(dates, $0), value(froms, $0), value(tos, $0)) }
            .filter { !($0.source + $0.date + $0.from + $0.to).isEmpty }
    }

    /// The campaign file, and the line each field is written on, so that `loa check`'s
    /// diagnostics can be shown beside the field they are about. Strings are written as JSON
    /// strings, which YAML reads as quoted scalars whatever they hold.
    func yaml(approval: Approval) -> (text: String, lines: [Int: String]) {
        var out: [String] = ["# Soạn trên bàn điều khiển Loa."]
        var lines: [Int: String] = [:]
        func add(_ line: String, field: String? = nil) {
            out.append(line)
            if let field { lines[out.count] = field }
        }
        add("id: \(quoted(id))", field: "id")
        add("title: \(quoted(title))", field: "title")
        add("directive: \(quoted(directive))", field: "directive")
        add("window:", field: "first")
        add("  first: \(quoted(first))", field: "first")
        add("  last: \(quoted(last))", field: "last")
        add("priority: \(priority.rawValue)", field: "priority")
        add("channels: " + (channels.isEmpty ? "all" : "[" + channels.map(quoted).joined(separator: ", ") + "]"), field: "channels")
        add("sessions: " + (sessions.isEmpty ? "all" : "[" + sessions.map(quoted).joined(separator: ", ") + "]"), field: "sessions")
        if !days.isEmpty { add("days: [" + days.map(\.configName).joined(separator: ", ") + "]", field: "days") }
        add("\(perSession ? "plays-per-session" : "plays-per-day"): \(plays)", field: "plays")
        add("spacing: \(spacing)", field: "spacing")
        // A campaign that is a one-off relay alone has no messages.
        if !messages.isEmpty || relays.isEmpty { add("messages:", field: "messages") }
        for message in messages {
            add("  - audio: \(quoted(message.audio))", field: "messages")
            if let id = message.id { add("    id: \(quoted(id))", field: "messages") }
            if let title = message.title { add("    title: \(quoted(title))", field: "messages") }
            add("    weight: \(message.weight)", field: "messages")
        }
        if !relays.isEmpty { add("relay:", field: "relay") }
        for relay in relays {
            add("  - source: \(quoted(relay.source))", field: "relay")
            add("    date: \(quoted(relay.date))", field: "relay")
            add("    from: \(quoted(relay.from))", field: "relay")
            add("    to: \(quoted(relay.to))", field: "relay")
        }
        for line in approval.yaml { add(line) }
        return (out.joined(separator: "\n") + "\n", lines)
    }

    private func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The campaign files the console writes: drafts in `campaigns/drafts/` (never loaded, so never
/// aired), approved ones in `campaigns/`, and every replaced version kept in `campaigns/.history/`.
struct CampaignFiles {
    let folder: URL

    init(stationFolder: String) {
        folder = URL(fileURLWithPath: stationFolder).appendingPathComponent(StationLoader.campaignsFolder)
    }

    var drafts: URL { folder.appendingPathComponent("drafts") }
    var history: URL { folder.appendingPathComponent(".history") }

    func approved(_ id: String) -> URL { folder.appendingPathComponent("\(id).yaml") }
    func draft(_ id: String) -> URL { drafts.appendingPathComponent("\(id).yaml") }

    var draftIDs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: drafts.path)) ?? []).filter { $0.hasSuffix(".yaml") }.map {
            String($0.dropLast(5))
        }.sorted()
    }

    /// Written durably (a power cut leaves the old file or the new one, never half of one),
    /// the old one kept in the history first.
    func write(_ text: String, to url: URL, at now: Date) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if manager.fileExists(atPath: url.path) { try keep(url, at: now) }
        do {
            try DurableFile.write(Data(text.utf8), to: url.path)
        } catch {
            throw ConsoleError.invalid("Không ghi được tệp: \(error)")
        }
    }

    /// Moves a file into the history (an approved draft leaves `drafts/` this way).
    func retire(_ url: URL, at now: Date) throws {
        try keep(url, at: now)
        try FileManager.default.removeItem(at: url)
        try? DurableFile.syncFolder(url.deletingLastPathComponent().path)
    }

    private func keep(_ url: URL, at now: Date) throws {
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        let stamp = Int(now.timeIntervalSince1970 * 1000)
        let kind = url.deletingLastPathComponent().lastPathComponent == "drafts" ? "draft" : "approved"
        let name = url.deletingPathExtension().lastPathComponent + ".\(kind).\(stamp).yaml"
        try FileManager.default.copyItem(at: url, to: history.appendingPathComponent(name))
    }
}
