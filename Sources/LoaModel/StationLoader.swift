import Foundation
import Yams

/// A station folder read from disk: the station if it could be built, and every problem found.
public struct LoadedStation: Sendable {
    public var station: Station?
    public var diagnostics: [Diagnostic]
}

/// Reads a station folder: `station.yaml` (the station, its channels and sessions) and one file
/// per campaign in `campaigns/`, so a new directive means a new file.
///
/// Structure and references are checked here, where the YAML marks are at hand; rules that need
/// the whole station or the audio are in ``StationValidator``.
public enum StationLoader {
    public static let stationFile = "station.yaml"
    public static let campaignsFolder = "campaigns"

    /// A campaign file's name in `campaigns/` and the text to read for it instead of the disk's:
    /// how the console checks an edit before writing anything.
    public typealias CampaignOverlay = (name: String, text: String)

    public static func load(folder: String, overlay: CampaignOverlay? = nil) -> LoadedStation {
        let display = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        let folderURL = URL(fileURLWithPath: folder).standardizedFileURL
        let stationPath = display + "/" + stationFile
        let reader = ConfigReader(file: stationPath)
        guard let text = readText(folderURL.appendingPathComponent(stationFile), reader: reader),
            let root = reader.parse(text),
            var station = readStation(root, folder: folderURL, reader: reader)
        else { return LoadedStation(station: nil, diagnostics: reader.diagnostics) }

        var diagnostics = reader.diagnostics
        let campaignsURL = folderURL.appendingPathComponent(campaignsFolder)
        var names = Set(
            ((try? FileManager.default.contentsOfDirectory(atPath: campaignsURL.path)) ?? []).filter {
                $0.hasSuffix(".yaml") || $0.hasSuffix(".yml")
            })
        if let overlay { names.insert(overlay.name) }
        if names.count > ConfigLimits.campaignFiles {
            diagnostics.append(
                Diagnostic(
                    .warning, .tooManyCampaignFiles(count: names.count, limit: ConfigLimits.campaignFiles, folder: campaignsFolder),
                    at: SourceLocation(file: "\(display)/\(campaignsFolder)", line: 1, column: 1)))
        }
        for name in names.sorted().prefix(ConfigLimits.campaignFiles) {
            let campaignReader = ConfigReader(file: "\(display)/\(campaignsFolder)/\(name)")
            let text = overlay?.name == name ? overlay?.text : readText(campaignsURL.appendingPathComponent(name), reader: campaignReader)
            if let text,
                let root = campaignReader.parse(text),
                let campaign = readCampaign(root, station: station, reader: campaignReader)
            {
                station.campaigns.append(campaign)
            }
            diagnostics += campaignReader.diagnostics
        }
        return LoadedStation(station: station, diagnostics: diagnostics)
    }

    private static func readText(_ url: URL, reader: ConfigReader) -> String? {
        let start = SourceLocation(file: reader.file, line: 1, column: 1)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= ConfigLimits.fileBytes else {
            reader.error(.fileTooLarge(bytes: size, limit: ConfigLimits.fileBytes), at: start)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            reader.error(.unreadableFile, at: start)
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            reader.error(.notUTF8, at: start)
            return nil
        }
        return text
    }

    // MARK: station.yaml

    private static func readStation(_ root: Node, folder: URL, reader: ConfigReader) -> Station? {
        guard let top = reader.fields(
            of: root, what: .stationFile, allowed: ["station", "channels", "relay-sources", "sessions", "report", "sync"],
            required: ["station", "channels", "sessions"]),
            let stationNode = top["station"],
            let info = reader.fields(
                of: stationNode, what: .station,
                allowed: ["name", "commune", "district", "province", "timezone", "audio-library",
                          "earliest", "latest", "gap"],
                required: ["name"])
        else { return nil }

        let timeZone = reader.string(info, "timezone") ?? Station.defaultTimeZone
        if TimeZone(identifier: timeZone) == nil, let node = info["timezone"] {
            reader.error(.unknownTimeZone(timeZone, vietnam: Station.defaultTimeZone), at: node)
        }
        let library = reader.string(info, "audio-library").map {
            URL(fileURLWithPath: $0, relativeTo: folder).standardizedFileURL
        } ?? defaultAudioLibrary(for: folder)

        var station = Station(
            name: reader.nonEmptyString(info, "name") ?? "",
            commune: reader.string(info, "commune") ?? "",
            district: reader.string(info, "district") ?? "",
            province: reader.string(info, "province") ?? "",
            timeZone: timeZone,
            audioLibrary: library,
            earliest: reader.time(info, "earliest") ?? TimeOfDay(seconds: 0),
            latest: reader.time(info, "latest") ?? TimeOfDay(seconds: 86_400),
            gapSeconds: reader.int(info, "gap", in: 0...600) ?? 0,
            channels: [], sessions: [], campaigns: [],
            origin: reader.location(stationNode))
        if let node = top["report"] { station.heading = readHeading(node, defaults: station.heading, reader: reader) }
        if let node = top["sync"] { station.sync = readSync(node, reader: reader) }
        if station.latest <= station.earliest, let node = info["latest"] {
            reader.error(.latestBeforeEarliest(latest: station.latest, earliest: station.earliest), at: node)
        }

        var channelIDs = IDRegistry(kind: .channel, reader: reader)
        for node in list(top["channels"], what: .key("channels"), limit: ConfigLimits.channels, reader: reader) {
            if let channel = readChannel(node, reader: reader), channelIDs.register(channel.id, at: node) {
                station.channels.append(channel)
            }
        }
        var sourceIDs = IDRegistry(kind: .relaySource, reader: reader)
        for node in list(top["relay-sources"], what: .key("relay-sources"), limit: ConfigLimits.relaySources, reader: reader) {
            if let source = readRelaySource(node, library: library, reader: reader), sourceIDs.register(source.id, at: node) {
                station.relaySources.append(source)
            }
        }
        var sessionIDs = IDRegistry(kind: .session, reader: reader)
        for node in list(top["sessions"], what: .key("sessions"), limit: ConfigLimits.sessions, reader: reader) {
            if let session = readSession(node, station: station, reader: reader),
                sessionIDs.register(session.id, at: node)
            {
                station.sessions.append(session)
            }
        }
        return station
    }

    /// The `audio/` folder of the nearest enclosing folder that has one (the repository's, for the
    /// bundled examples), so paths resolve the same from any working directory.
    private static func defaultAudioLibrary(for folder: URL) -> URL {
        var candidate = folder
        while candidate.path != "/" {
            let audio = candidate.appendingPathComponent("audio")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: audio.path, isDirectory: &isFolder), isFolder.boolValue {
                return audio
            }
            candidate.deleteLastPathComponent()
        }
        return folder
    }

    private static func readChannel(_ node: Node, reader: ConfigReader) -> Channel? {
        guard let fields = reader.fields(
            of: node, what: .channel, allowed: ["id", "kind", "name", "area", "device", "gain-db"],
            required: ["id", "kind", "name", "device"]),
            let id = readID(fields, reader: reader),
            let kind = reader.choice(fields, "kind", from: ["fm": ChannelKind.fm, "loudspeaker": .loudspeaker]),
            let device = reader.nonEmptyString(fields, "device")
        else { return nil }
        return Channel(
            id: id, kind: kind, name: reader.nonEmptyString(fields, "name") ?? id,
            area: reader.string(fields, "area") ?? "", device: device,
            gainDB: reader.double(fields, "gain-db", in: -60...20) ?? 0, origin: reader.location(node))
    }

    private static func readSession(_ node: Node, station: Station, reader: ConfigReader) -> Session? {
        guard let fields = reader.fields(
            of: node, what: .session,
            allowed: ["id", "name", "days", "start", "end", "channels", "opening", "closing", "dates-off", "relay"],
            required: ["id", "name", "start", "end"]),
            let id = readID(fields, reader: reader),
            let start = reader.time(fields, "start"),
            let end = reader.time(fields, "end")
        else { return nil }
        let channels = resolve(
            reader.references(fields, "channels"), known: station.channels.map(\.id), kind: .channel,
            reader: reader)
        let datesOff = list(fields["dates-off"], what: .key("dates-off"), limit: ConfigLimits.datesOff, reader: reader).compactMap {
            reader.date($0, field: "dates-off")
        }
        return Session(
            id: id, name: reader.nonEmptyString(fields, "name") ?? id,
            days: reader.days(fields, "days") ?? .daily, start: start, end: end, channels: channels,
            opening: audio(fields, "opening", library: station.audioLibrary, reader: reader),
            closing: audio(fields, "closing", library: station.audioLibrary, reader: reader),
            datesOff: Set(datesOff), relays: readRelays(fields["relay"], station: station, reader: reader),
            origin: reader.location(node), fieldLocations: locations(fields, reader))
    }

    /// One `relay-sources:` entry: a stream URL or a line input, and what airs while it fails.
    private static func readRelaySource(_ node: Node, library: URL, reader: ConfigReader) -> RelaySource? {
        guard let fields = reader.fields(
            of: node, what: .relaySource,
            allowed: ["id", "name", "url", "line-in", "fallback", "stall-seconds", "silence-db", "silence-seconds"],
            required: ["id"]),
            let id = readID(fields, reader: reader)
        else { return nil }
        let input: RelayInput
        switch (reader.nonEmptyString(fields, "url"), reader.nonEmptyString(fields, "line-in")) {
        case (let url?, nil):
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), !url.contains(where: \.isWhitespace) else {
                reader.error(.relayURL(url), at: fields.node("url"))
                return nil
            }
            input = .url(url)
        case (nil, let pcm?): input = .lineIn(pcm)
        default:
            reader.error(.relayInput(id: id), at: node)
            return nil
        }
        return RelaySource(
            id: id, name: reader.nonEmptyString(fields, "name") ?? id, input: input,
            fallback: fallback(fields, library: library, reader: reader),
            stallSeconds: reader.int(fields, "stall-seconds", in: 1...60) ?? RelaySource.defaultStall,
            silenceDB: reader.double(fields, "silence-db", in: -70 ... -10) ?? RelaySource.defaultSilenceDB,
            silenceSeconds: reader.int(fields, "silence-seconds", in: 2...120) ?? RelaySource.defaultSilenceSeconds,
            origin: reader.location(node))
    }

    /// A relay source's `fallback:`, one file or a playlist of them.
    private static func fallback(_ fields: Fields, library: URL, reader: ConfigReader) -> [AudioReference] {
        (textLines(fields, "fallback", limit: ConfigLimits.fallbackFiles, reader: reader) ?? []).map { path, node in
            AudioReference(path: path, url: AudioPath.resolve(path, in: library), location: reader.location(node))
        }
    }

    /// A session's `relay:`, one block or a list of them.
    private static func readRelays(_ node: Node?, station: Station, reader: ConfigReader) -> [RelayBlock] {
        relayBlocks(node, limit: ConfigLimits.relaysPerSession, reader: reader).compactMap { item in
            guard let fields = reader.fields(of: item, what: .key("relay"), allowed: ["source", "from", "to"], required: ["source"]),
                let source = relaySource(fields, station: station, reader: reader)
            else { return nil }
            return RelayBlock(
                source: source, from: reader.time(fields, "from"), to: reader.time(fields, "to"), location: reader.location(item))
        }
    }

    /// A campaign's `relay:`, one-off relays each with its date and hours.
    private static func readCampaignRelays(_ node: Node?, station: Station, reader: ConfigReader) -> [CampaignRelay] {
        relayBlocks(node, limit: ConfigLimits.relaysPerCampaign, reader: reader).compactMap { item in
            guard let fields = reader.fields(
                of: item, what: .key("relay"), allowed: ["source", "date", "from", "to"], required: ["source", "date", "from", "to"]),
                let source = relaySource(fields, station: station, reader: reader),
                let date = reader.date(fields, "date"), let from = reader.time(fields, "from"), let to = reader.time(fields, "to")
            else { return nil }
            return CampaignRelay(source: source, date: date, from: from, to: to, location: reader.location(item))
        }
    }

    /// A `relay:` value: one block (a mapping) or a list of at most `limit`.
    private static func relayBlocks(_ node: Node?, limit: Int, reader: ConfigReader) -> [Node] {
        guard let node else { return [] }
        if case .mapping = node { return [node] }
        return list(node, what: .key("relay"), limit: limit, reader: reader)
    }

    /// A relay block's `source:`, which must be one of the station's `relay-sources:`.
    private static func relaySource(_ fields: Fields, station: Station, reader: ConfigReader) -> String? {
        guard let source = reader.nonEmptyString(fields, "source") else { return nil }
        let known = station.relaySources.map(\.id)
        guard known.contains(source) else {
            reader.error(
                .unknownReference(.relaySource, id: source, suggestion: Suggestion.closest(to: source, among: known)),
                at: fields.node("source"))
            return nil
        }
        return source
    }

    /// `sync:`: the central store's URL (no password in it), the password's file, how often.
    private static func readSync(_ node: Node, reader: ConfigReader) -> CentralSync? {
        guard let fields = reader.fields(
            of: node, what: .key("sync"), allowed: ["store", "password-file", "every-minutes"], required: ["store", "password-file"]),
            let url = reader.nonEmptyString(fields, "store"), let passwordFile = reader.nonEmptyString(fields, "password-file")
        else { return nil }
        let lowered = url.lowercased()
        let userinfo = url.split(separator: "@", maxSplits: 1).first.map { $0.split(separator: "/").last ?? "" } ?? ""
        guard lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://"), url.contains("@"), !userinfo.contains(":") else {
            reader.error(.syncURL(url), at: fields.node("store"))
            return nil
        }
        return CentralSync(
            url: url, passwordFile: passwordFile,
            everyMinutes: reader.int(fields, "every-minutes", in: CentralSync.minutes) ?? CentralSync.defaultMinutes)
    }

    /// `report:`: what the official báo cáo says of who issues, receives and signs it; each key
    /// left out keeps its default from the commune, district and province.
    private static func readHeading(_ node: Node, defaults: OfficialHeading, reader: ConfigReader) -> OfficialHeading {
        guard let fields = reader.fields(
            of: node, what: .key("report"),
            allowed: ["issuer", "number-suffix", "place", "recipients", "signer-capacity", "signer-title", "signer-name",
                      "copies-to", "filing"])
        else { return defaults }
        func lines(_ key: String) -> [String]? { textLines(fields, key, limit: ConfigLimits.headingLines, reader: reader)?.map(\.text) }
        var heading = defaults
        heading.issuer = lines("issuer") ?? heading.issuer
        heading.numberSuffix = reader.nonEmptyString(fields, "number-suffix") ?? heading.numberSuffix
        heading.place = reader.nonEmptyString(fields, "place") ?? heading.place
        heading.recipients = lines("recipients") ?? heading.recipients
        heading.signerCapacity = reader.nonEmptyString(fields, "signer-capacity") ?? heading.signerCapacity
        heading.signerTitle = reader.nonEmptyString(fields, "signer-title") ?? heading.signerTitle
        heading.signerName = reader.string(fields, "signer-name") ?? heading.signerName
        heading.copiesTo = lines("copies-to") ?? heading.copiesTo
        heading.filing = reader.nonEmptyString(fields, "filing") ?? heading.filing
        return heading
    }

    // MARK: campaign files

    private static func readCampaign(_ root: Node, station: Station, reader: ConfigReader) -> Campaign? {
        guard let fields = reader.fields(
            of: root, what: .campaign,
            allowed: ["id", "title", "directive", "window", "days", "priority", "channels", "sessions",
                      "messages", "relay", "plays-per-day", "plays-per-session", "spacing", "approval"],
            required: ["id", "title", "window"])
        else { return nil }
        // Messages, unless the campaign is a one-off relay alone.
        if fields["messages"] == nil, fields["relay"] == nil {
            reader.error(.missingKey("messages", in: .campaign), at: root)
        }
        guard let id = readID(fields, reader: reader),
            let windowNode = fields["window"],
            let window = readWindow(windowNode, reader: reader)
        else { return nil }

        var quota = Quota.perDay(1)
        switch (reader.int(fields, "plays-per-day", in: 1...96), reader.int(fields, "plays-per-session", in: 1...24)) {
        case (let perDay?, nil): quota = .perDay(perDay)
        case (nil, let perSession?): quota = .perSession(perSession)
        case (.some, .some):
            reader.error(.bothQuotas, at: fields.node("plays-per-session"))
        case (nil, nil): break
        }

        var messageIDs = IDRegistry(kind: .message, reader: reader)
        var messages: [Message] = []
        let messageNodes = list(
            fields["messages"], what: .key("messages"), limit: ConfigLimits.messagesPerCampaign, reader: reader)
        if messageNodes.isEmpty, fields["messages"] != nil, fields["relay"] == nil {
            reader.error(.noMessages, at: fields.node("messages"))
        }
        for node in messageNodes {
            if let message = readMessage(node, library: station.audioLibrary, reader: reader),
                messageIDs.register(message.id, at: node)
            {
                messages.append(message)
            }
        }
        return Campaign(
            id: id, title: reader.nonEmptyString(fields, "title") ?? id,
            directive: reader.string(fields, "directive") ?? "", window: window,
            days: reader.days(fields, "days") ?? .daily,
            priority: reader.choice(
                fields, "priority",
                from: Dictionary(uniqueKeysWithValues: Priority.allCases.map { ($0.rawValue, $0) })) ?? .normal,
            channels: resolve(
                reader.references(fields, "channels"), known: station.channels.map(\.id), kind: .channel,
                reader: reader),
            sessions: resolve(
                reader.references(fields, "sessions"), known: station.sessions.map(\.id), kind: .session,
                reader: reader),
            messages: messages, relays: readCampaignRelays(fields["relay"], station: station, reader: reader),
            quota: quota, spacing: reader.int(fields, "spacing", in: 0...20) ?? 1,
            approval: fields["approval"].flatMap { readApproval($0, reader: reader) },
            origin: reader.location(root), fieldLocations: locations(fields, reader))
    }

    private static func readApproval(_ node: Node, reader: ConfigReader) -> Approval? {
        guard let fields = reader.fields(
            of: node, what: .approval, allowed: ["drafted-by", "drafted-at", "approved-by", "approved-at"],
            required: ["drafted-by", "drafted-at"]),
            let draftedBy = reader.nonEmptyString(fields, "drafted-by"),
            let draftedAt = reader.nonEmptyString(fields, "drafted-at")
        else { return nil }
        return Approval(
            draftedBy: draftedBy, draftedAt: draftedAt, approvedBy: reader.string(fields, "approved-by"),
            approvedAt: reader.string(fields, "approved-at"))
    }

    private static func readWindow(_ node: Node, reader: ConfigReader) -> DateWindow? {
        guard let fields = reader.fields(
            of: node, what: .window, allowed: ["first", "last"], required: ["first", "last"]),
            let first = reader.date(fields, "first"), let last = reader.date(fields, "last")
        else { return nil }
        if last < first {
            reader.error(.windowEndsBeforeStart(first: first, last: last), at: fields.node("last"))
        }
        if last.dayNumber - first.dayNumber >= ConfigLimits.windowDays {
            reader.error(
                .windowTooLong(first: first, last: last, limit: ConfigLimits.windowDays), at: fields.node("last"))
            // Kept within the bound, so that checking the rest of the campaign stays quick.
            return DateWindow(first: first, last: first.adding(days: ConfigLimits.windowDays - 1))
        }
        return DateWindow(first: first, last: last)
    }

    private static func readMessage(_ node: Node, library: URL, reader: ConfigReader) -> Message? {
        if let path = node.string {
            // A bare file name is a message of weight 1 named after the file.
            let audio = AudioReference(
                path: path, url: AudioPath.resolve(path, in: library), location: reader.location(node))
            return Message(id: audio.stem, audio: audio, origin: reader.location(node))
        }
        guard let fields = reader.fields(
            of: node, what: .message, allowed: ["id", "title", "audio", "weight"], required: ["audio"])
        else { return nil }
        guard let audio = audio(fields, "audio", library: library, reader: reader) else { return nil }
        let id = fields["id"] == nil ? audio.stem : readID(fields, reader: reader)
        guard let id else { return nil }
        return Message(
            id: id, title: reader.nonEmptyString(fields, "title"), audio: audio,
            weight: reader.int(fields, "weight", in: 1...100) ?? 1,
            origin: reader.location(node))
    }

    // MARK: helpers

    private static func readID(_ fields: Fields, reader: ConfigReader) -> String? {
        guard let id = reader.nonEmptyString(fields, "id") else { return nil }
        if id.count > ConfigLimits.idLength {
            reader.error(.idTooLong(limit: ConfigLimits.idLength), at: fields.node("id"))
            return nil
        }
        if id.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "," }) {
            reader.error(.idCharacters(id), at: fields.node("id"))
            return nil
        }
        return id
    }

    /// A file name, or (for a nhạc hiệu) `{audio: FILE, title: TEXT}`: a file's name has no
    /// diacritics, so it is no title for the operator's pages.
    private static func audio(_ fields: Fields, _ key: String, library: URL, reader: ConfigReader) -> AudioReference? {
        if let node = fields[key], case .mapping = node {
            guard let titled = reader.fields(of: node, what: .key(key), allowed: ["audio", "title"], required: ["audio"]),
                var reference = audio(titled, "audio", library: library, reader: reader)
            else { return nil }
            reference.title = reader.nonEmptyString(titled, "title")
            return reference
        }
        guard let path = reader.nonEmptyString(fields, key) else { return nil }
        return AudioReference(
            path: path, url: AudioPath.resolve(path, in: library), location: reader.location(fields.node(key)))
    }

    /// A key holding one line of text, or a list of at most `limit` of them, each non-empty and of
    /// bounded length; nil when the key is left out.
    private static func textLines(_ fields: Fields, _ key: String, limit: Int, reader: ConfigReader) -> [(text: String, node: Node)]? {
        guard let node = fields[key] else { return nil }
        if node.string != nil { return reader.nonEmptyString(fields, key).map { [($0, node)] } }
        return list(node, what: .key(key), limit: limit, reader: reader).compactMap { item in
            guard let text = item.string, !text.trimmingCharacters(in: .whitespaces).isEmpty, text.count <= ConfigLimits.textLength else {
                reader.error(.referenceNotText(key: key), at: item)
                return nil
            }
            return (text, item)
        }
    }

    private static func list(_ node: Node?, what: ConfigPart, limit: Int, reader: ConfigReader) -> [Node] {
        guard let node else { return [] }
        guard case .sequence(let items) = node else {
            reader.error(.notList(what), at: node)
            return []
        }
        if items.count > limit {
            reader.error(.tooManyEntries(what, count: items.count, limit: limit), at: node)
        }
        return Array(items.prefix(limit))
    }

    /// Expands `all` (nil) into every known id and reports references to unknown ones.
    private static func resolve(
        _ references: [(id: String, node: Node)]?, known: [String], kind: ConfigKind, reader: ConfigReader
    ) -> [String] {
        guard let references else { return known }
        return references.compactMap { reference in
            if known.contains(reference.id) { return reference.id }
            reader.error(
                .unknownReference(kind, id: reference.id, suggestion: Suggestion.closest(to: reference.id, among: known)),
                at: reference.node)
            return nil
        }
    }

    private static func locations(_ fields: Fields, _ reader: ConfigReader) -> [String: SourceLocation] {
        fields.values.mapValues(reader.location)
    }
}

/// Catches ids written twice among the channels, the sessions, or one campaign's messages.
private struct IDRegistry {
    let kind: ConfigKind
    let reader: ConfigReader
    private var seen: [String: SourceLocation] = [:]

    init(kind: ConfigKind, reader: ConfigReader) {
        self.kind = kind
        self.reader = reader
    }

    mutating func register(_ id: String, at node: Node) -> Bool {
        if let first = seen[id] {
            reader.error(.duplicateID(kind, id: id, firstLine: first.line), at: node)
            return false
        }
        seen[id] = reader.location(node)
        return true
    }
}
