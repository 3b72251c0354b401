/// A thing in the config that a problem is about: named by its id for the engineer (English,
/// `loa check`) and by its name for the operator (Vietnamese, the console).
public struct ConfigThing: Hashable, Sendable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// Where in a file a problem sits, in words: the part of the file it is in.
public enum ConfigPart: Hashable, Sendable {
    case stationFile, station, channel, session, campaign, message, approval, window, relaySource
    /// A key's value, such as the list under `channels`.
    case key(String)

    var english: String {
        switch self {
        case .stationFile: "the station file"
        case .station: "'station'"
        case .channel: "a channel"
        case .session: "a session"
        case .campaign: "a campaign"
        case .message: "a message"
        case .approval: "'approval'"
        case .window: "'window'"
        case .relaySource: "a relay source"
        case .key(let key): "'\(key)'"
        }
    }

    var vietnamese: String {
        switch self {
        case .stationFile: "tệp cấu hình đài"
        case .station: "phần thông tin đài (station)"
        case .channel: "một kênh"
        case .session: "một buổi phát"
        case .campaign: "chiến dịch"
        case .message: "một bản tin"
        case .approval: "phần phê duyệt (approval)"
        case .window: "thời gian phát (window)"
        case .relaySource: "một nguồn tiếp sóng"
        case .key(let key): ConfigKey.vietnamese(key)
        }
    }
}

/// What kind of id a reference or a duplicate is about.
public enum ConfigKind: String, Hashable, Sendable {
    case channel, session, message
    case relaySource = "relay source"

    var vietnamese: String {
        switch self {
        case .channel: "kênh"
        case .session: "buổi phát"
        case .message: "bản tin"
        case .relaySource: "nguồn tiếp sóng"
        }
    }
}

/// The operator's words for the keys of the config, used where a problem names a field.
public enum ConfigKey {
    static let names: [String: String] = [
        "id": "mã", "title": "tên", "directive": "văn bản chỉ đạo", "window": "thời gian phát",
        "first": "ngày bắt đầu", "last": "ngày kết thúc", "days": "các ngày trong tuần", "priority": "mức ưu tiên",
        "channels": "kênh", "sessions": "buổi phát", "messages": "bản tin", "audio": "tệp âm thanh",
        "weight": "tỉ trọng", "plays-per-day": "số lượt mỗi ngày", "plays-per-session": "số lượt mỗi buổi",
        "spacing": "giãn cách", "approval": "phê duyệt", "name": "tên", "kind": "loại kênh", "device": "thiết bị",
        "area": "khu vực", "gain-db": "mức tăng âm (dB)", "start": "giờ bắt đầu", "end": "giờ kết thúc",
        "opening": "nhạc hiệu mở đầu", "closing": "nhạc hiệu kết thúc", "dates-off": "ngày nghỉ",
        "timezone": "múi giờ", "earliest": "giờ sớm nhất", "latest": "giờ muộn nhất", "gap": "khoảng nghỉ",
        "commune": "xã", "district": "huyện", "province": "tỉnh", "audio-library": "thư mục âm thanh",
        "drafted-by": "người soạn", "drafted-at": "lúc soạn", "approved-by": "người duyệt",
        "approved-at": "lúc duyệt", "report": "báo cáo", "issuer": "cơ quan ban hành", "number-suffix": "ký hiệu số văn bản",
        "place": "địa danh", "recipients": "nơi gửi (kính gửi)", "signer-capacity": "thẩm quyền ký",
        "signer-title": "chức vụ người ký", "signer-name": "họ tên người ký", "copies-to": "nơi nhận", "filing": "nơi lưu",
        "relay": "tiếp sóng", "relay-sources": "nguồn tiếp sóng", "source": "nguồn", "from": "từ giờ", "to": "đến giờ", "date": "ngày",
        "url": "địa chỉ luồng", "line-in": "đầu vào âm thanh", "fallback": "âm thanh dự phòng",
        "stall-seconds": "số giây mất tín hiệu", "silence-db": "ngưỡng im lặng", "silence-seconds": "số giây im lặng",
        "sync": "đồng bộ", "store": "kho dữ liệu tập trung", "password-file": "tệp mật khẩu", "every-minutes": "số phút giữa hai lần đồng bộ",
    ]

    /// "số lượt mỗi ngày (plays-per-day)": the operator's word, with the key an engineer would grep.
    static func vietnamese(_ key: String) -> String {
        names[key].map { "\($0) (\(key))" } ?? "'\(key)'"
    }
}

/// Every problem `loa check` can find in a station's config: the one catalogue of its messages,
/// in English for the CLI and journald and in Vietnamese for the console.
public enum ConfigProblem: Hashable, Sendable {
    // The file and its YAML.
    case emptyFile
    case tooManyYAMLValues(limit: Int)
    case invalidYAML(detail: String)
    case duplicateKey([String])
    case fileTooLarge(bytes: Int, limit: Int)
    case unreadableFile
    case notUTF8
    case tooManyCampaignFiles(count: Int, limit: Int, folder: String)
    // Shapes and values.
    case notMapping(ConfigPart)
    case keyNotText(ConfigPart)
    case unknownKey(String, in: ConfigPart, suggestion: String?)
    case missingKey(String, in: ConfigPart)
    case notSingleValue(key: String)
    case tooLong(key: String, limit: Int)
    case empty(key: String)
    case notWholeNumber(key: String, range: ClosedRange<Int>, text: String)
    case notNumber(key: String, range: ClosedRange<Double>, text: String)
    case notTime(key: String, text: String)
    case notDate(key: String, text: String?)
    case dateOutOfYears(key: String, years: ClosedRange<Int>, text: String)
    case notOneOf(key: String, names: [String], text: String, suggestion: String?)
    case notDays(key: String)
    case notWeekday(String)
    case notReferenceList(key: String)
    case referenceNotID(key: String)
    case referenceNotText(key: String)
    case notList(ConfigPart)
    case tooManyEntries(ConfigPart, count: Int, limit: Int)
    case idTooLong(limit: Int)
    case idCharacters(String)
    case unknownReference(ConfigKind, id: String, suggestion: String?)
    case duplicateID(ConfigKind, id: String, firstLine: Int)
    case unknownTimeZone(String, vietnam: String)
    case latestBeforeEarliest(latest: TimeOfDay, earliest: TimeOfDay)
    case bothQuotas
    case noMessages
    case windowEndsBeforeStart(first: CivilDate, last: CivilDate)
    case windowTooLong(first: CivilDate, last: CivilDate, limit: Int)
    case relayInput(id: String)
    case relayURL(String)
    case syncURL(String)
    // Rules over the whole station and its audio.
    case unplayableAudio(path: String, problem: AudioProblem, lookedFor: String)
    case sessionWithoutChannel(ConfigThing)
    case sessionFrameTooLong(ConfigThing, airtime: Int, frame: Int)
    case duplicateCampaign(id: String, firstFile: String)
    case sessionEndsBeforeStart(ConfigThing, start: TimeOfDay, end: TimeOfDay)
    case sessionBeforeEarliest(ConfigThing, start: TimeOfDay, earliest: TimeOfDay)
    case sessionAfterLatest(ConfigThing, end: TimeOfDay, latest: TimeOfDay)
    case sessionsOverlap(ConfigThing, TimeOfDay, TimeOfDay, with: ConfigThing, TimeOfDay, TimeOfDay, channels: [ConfigThing])
    case campaignWithoutSession(ConfigThing)
    case messageTooLong(ConfigThing, seconds: Int, room: Int)
    case noSessionOnSomeDays(ConfigThing, channel: ConfigThing, days: Int, first: CivilDate)
    case quotaTooLarge(
        ConfigThing, required: Int, slot: Int, channel: ConfigThing, capacity: Int, days: Int, first: CivilDate)
    case relayOutsideSession(ConfigThing, from: TimeOfDay, to: TimeOfDay)
    case relayInMiddle(ConfigThing, from: TimeOfDay, to: TimeOfDay)
    case relaysOverlap(ConfigThing)
    case campaignRelayEndsBeforeStart(ConfigThing, from: TimeOfDay, to: TimeOfDay)
    case campaignRelayOutsideWindow(ConfigThing, date: CivilDate, first: CivilDate, last: CivilDate)
    case campaignRelayOutsideHours(ConfigThing, from: TimeOfDay, to: TimeOfDay, earliest: TimeOfDay, latest: TimeOfDay)
    case campaignRelayOverlapsSession(
        ConfigThing, date: CivilDate, from: TimeOfDay, to: TimeOfDay, session: ConfigThing, TimeOfDay, TimeOfDay, channels: [ConfigThing])
    case campaignRelaysOverlap(ConfigThing, date: CivilDate, from: TimeOfDay, to: TimeOfDay, with: ConfigThing, channels: [ConfigThing])

    public var english: String {
        func hint(_ suggestion: String?) -> String { suggestion.map { "; did you mean '\($0)'?" } ?? "" }
        switch self {
        case .emptyFile: return "the file is empty"
        case .tooManyYAMLValues(let limit):
            return "the file has more than \(limit) YAML values (counting aliases); a station or campaign needs far fewer"
        case .invalidYAML(let detail): return "invalid YAML: \(detail)"
        case .duplicateKey(let keys): return "key '\(keys.joined(separator: "', '"))' is written twice in one mapping"
        case .fileTooLarge(let bytes, let limit): return "the file is \(bytes) bytes; a config file may have at most \(limit)"
        case .unreadableFile: return "cannot read the file (missing or not readable)"
        case .notUTF8: return "the file is not UTF-8 text"
        case .tooManyCampaignFiles(let count, let limit, let folder):
            return "\(count) campaign files; at most \(limit) are read (move ended campaigns out of \(folder)/)"
        case .notMapping(let part): return "\(part.english) must be a mapping of keys to values"
        case .keyNotText(let part): return "\(part.english) has a key that is not text"
        case .unknownKey(let key, let part, let suggestion): return "unknown key '\(key)' in \(part.english)\(hint(suggestion))"
        case .missingKey(let key, let part): return "\(part.english) is missing required key '\(key)'"
        case .notSingleValue(let key): return "'\(key)' must be a single value"
        case .tooLong(let key, let limit): return "'\(key)' is longer than \(limit) characters"
        case .empty(let key): return "'\(key)' must not be empty"
        case .notWholeNumber(let key, let range, let text):
            return "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
        case .notNumber(let key, let range, let text):
            return "'\(key)' must be a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
        case .notTime(let key, let text): return "'\(key)' must be a time as HH:MM (24-hour), not '\(text)'"
        case .notDate(let key, let text):
            return "'\(key)' must be a date as YYYY-MM-DD or DD/MM/YYYY, not '\(text ?? "a list")'"
        case .dateOutOfYears(let key, let years, let text):
            return "'\(key)' must be a date in the years \(years.lowerBound)-\(years.upperBound), not '\(text)'"
        case .notOneOf(let key, let names, let text, let suggestion):
            return "'\(key)' must be one of \(names.joined(separator: ", ")), not '\(text)'\(hint(suggestion))"
        case .notDays(let key): return "'\(key)' must be 'daily' or a list of weekdays such as [mon, tue] or [t2, t3]"
        case .notWeekday(let text): return "'\(text)' is not a weekday; use mon..sun or t2..t7, cn"
        case .notReferenceList(let key): return "'\(key)' must be 'all' or a list of ids"
        case .referenceNotID(let key): return "each entry of '\(key)' must be an id"
        case .referenceNotText(let key):
            return "each entry of '\(key)' must be a line of text of at most \(ConfigLimits.textLength) characters"
        case .notList(let part): return "\(part.english) must be a list"
        case .tooManyEntries(let part, let count, let limit):
            return "\(part.english) has \(count) entries; at most \(limit) are allowed"
        case .idTooLong(let limit): return "id is longer than \(limit) characters"
        case .idCharacters(let id): return "id '\(id)' must not contain spaces, commas or '/'"
        case .unknownReference(let kind, let id, let suggestion): return "unknown \(kind.rawValue) '\(id)'\(hint(suggestion))"
        case .duplicateID(let kind, let id, let line): return "duplicate \(kind.rawValue) id '\(id)' (first defined at line \(line))"
        case .unknownTimeZone(let name, let vietnam): return "unknown time zone '\(name)'; Vietnam is '\(vietnam)'"
        case .latestBeforeEarliest(let latest, let earliest): return "'latest' (\(latest)) must be after 'earliest' (\(earliest))"
        case .bothQuotas: return "give either 'plays-per-day' or 'plays-per-session', not both"
        case .noMessages: return "a campaign needs at least one message"
        case .windowEndsBeforeStart(let first, let last):
            return "the window ends (\(last.vietnamese)) before it starts (\(first.vietnamese))"
        case .windowTooLong(let first, let last, let limit):
            return "the window \(first.vietnamese)-\(last.vietnamese) is longer than \(limit) days; "
                + "split a standing campaign into yearly ones"
        case .relayInput(let id): return "relay source '\(id)' needs either 'url' or 'line-in', not both"
        case .relayURL(let url): return "'url' must be an http:// or https:// address without spaces, not '\(url.prefix(80))'"
        case .syncURL(let url):
            return "'store' must be postgres://ROLE@HOST[:PORT]/DATABASE with no password in it (that goes in 'password-file'), "
                + "not '\(url.prefix(80))'"
        case .relayOutsideSession(let session, let from, let to):
            return "the relay \(from)-\(to) of session '\(session.id)' is not inside the session, or ends before it starts"
        case .relayInMiddle(let session, let from, let to):
            return "the relay \(from)-\(to) of session '\(session.id)' must start at the session's start or run to its end; "
                + "split the session in two around it"
        case .relaysOverlap(let session): return "the relay blocks of session '\(session.id)' overlap"
        case .campaignRelayEndsBeforeStart(let campaign, let from, let to):
            return "the relay \(from)-\(to) of campaign '\(campaign.id)' ends before it starts"
        case .campaignRelayOutsideWindow(let campaign, let date, let first, let last):
            return "the relay on \(date.vietnamese) of campaign '\(campaign.id)' is outside its window \(first.vietnamese)-\(last.vietnamese)"
        case .campaignRelayOutsideHours(let campaign, let from, let to, let earliest, let latest):
            return "the relay \(from)-\(to) of campaign '\(campaign.id)' is outside the station's allowed hours \(earliest)-\(latest)"
        case .campaignRelayOverlapsSession(let campaign, let date, let from, let to, let session, let start, let end, let channels):
            return "the relay \(from)-\(to) on \(date.vietnamese) of campaign '\(campaign.id)' overlaps session '\(session.id)' "
                + "(\(start)-\(end)) on channel '\(channels.map(\.id).joined(separator: "', '"))'; move the relay, "
                + "or put it in the session as a relay block"
        case .campaignRelaysOverlap(let campaign, let date, let from, let to, let other, let channels):
            return "the relay \(from)-\(to) on \(date.vietnamese) of campaign '\(campaign.id)' overlaps a relay of campaign "
                + "'\(other.id)' on channel '\(channels.map(\.id).joined(separator: "', '"))'"
        case .unplayableAudio(let path, let problem, let lookedFor): return "audio '\(path)': \(problem) (looked for \(lookedFor))"
        case .sessionWithoutChannel(let session): return "session '\(session.id)' plays on no channel"
        case .sessionFrameTooLong(let session, let airtime, let frame):
            return "session '\(session.id)' has \(airtime) s of airtime but its opening and closing audio take \(frame) s"
        case .duplicateCampaign(let id, let file): return "duplicate campaign id '\(id)' (first defined in \(file))"
        case .sessionEndsBeforeStart(let session, let start, let end):
            return "session '\(session.id)' ends (\(end)) before it starts (\(start))"
        case .sessionBeforeEarliest(let session, let start, let earliest):
            return "session '\(session.id)' starts at \(start), before the station's earliest allowed time \(earliest)"
        case .sessionAfterLatest(let session, let end, let latest):
            return "session '\(session.id)' ends at \(end), after the station's latest allowed time \(latest)"
        case .sessionsOverlap(let b, let bStart, let bEnd, let a, let aStart, let aEnd, let channels):
            return "session '\(b.id)' (\(bStart)-\(bEnd)) overlaps session '\(a.id)' (\(aStart)-\(aEnd)) "
                + "on channel '\(channels.map(\.id).joined(separator: "', '"))'"
        case .campaignWithoutSession(let campaign):
            return "campaign '\(campaign.id)' can air in no session: none of its sessions plays on its channels"
        case .messageTooLong(let message, let seconds, let room):
            return "message '\(message.id)' lasts \(seconds) s, longer than every session it could go in "
                + "(at most \(room) s free)"
        case .noSessionOnSomeDays(let campaign, let channel, let days, let first):
            return "campaign '\(campaign.id)' has no session on channel '\(channel.id)' on \(days) day(s) of its window "
                + "(first \(first.vietnamese)): those plays cannot be planned"
        case .quotaTooLarge(let campaign, let required, let slot, let channel, let capacity, let days, let first):
            return "campaign '\(campaign.id)' needs \(required) play(s) of about \(slot) s on channel '\(channel.id)' "
                + "but its sessions there hold only \(capacity) on \(days) day(s) (first \(first.vietnamese)), "
                + "even before other campaigns take their share"
        }
    }

    public var vietnamese: String {
        func hint(_ suggestion: String?) -> String { suggestion.map { "; có phải là '\($0)'?" } ?? "" }
        func key(_ key: String) -> String { ConfigKey.vietnamese(key) }
        func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
        switch self {
        case .emptyFile: return "Tệp trống"
        case .tooManyYAMLValues(let limit): return "Tệp có hơn \(limit) giá trị YAML; cấu hình một đài hay một chiến dịch cần ít hơn nhiều"
        // libyaml's detail is English; the line and column say where.
        case .invalidYAML: return "Tệp không đúng cú pháp YAML"
        case .duplicateKey(let keys): return "Mục \(keys.map(key).joined(separator: ", ")) được ghi hai lần"
        case .fileTooLarge(let bytes, let limit): return "Tệp dài \(bytes) byte; tệp cấu hình chỉ được tối đa \(limit) byte"
        case .unreadableFile: return "Không đọc được tệp (không có hoặc không có quyền đọc)"
        case .notUTF8: return "Tệp không phải văn bản UTF-8"
        case .tooManyCampaignFiles(let count, let limit, let folder):
            return "Có \(count) tệp chiến dịch; chỉ đọc tối đa \(limit) (chuyển các chiến dịch đã kết thúc ra khỏi \(folder)/)"
        case .notMapping(let part): return "\(capitalized(part.vietnamese)) phải gồm các mục dạng khóa: giá trị"
        case .keyNotText(let part): return "\(capitalized(part.vietnamese)) có một khóa không phải chữ"
        case .unknownKey(let name, let part, let suggestion):
            return "Mục '\(name)' không có trong \(part.vietnamese)\(hint(suggestion))"
        case .missingKey(let name, let part): return "\(capitalized(part.vietnamese)) thiếu mục bắt buộc \(key(name))"
        case .notSingleValue(let name): return "\(capitalized(key(name))) phải là một giá trị"
        case .tooLong(let name, let limit): return "\(capitalized(key(name))) dài quá \(limit) ký tự"
        case .empty(let name): return "Chưa điền \(key(name))"
        case .notWholeNumber(let name, let range, let text):
            return "\(capitalized(key(name))) phải là số nguyên từ \(range.lowerBound) đến \(range.upperBound), không phải '\(text)'"
        case .notNumber(let name, let range, let text):
            return "\(capitalized(key(name))) phải là số từ \(Self.decimal(range.lowerBound)) đến \(Self.decimal(range.upperBound)), "
                + "không phải '\(text)'"
        case .notTime(let name, let text): return "\(capitalized(key(name))) phải là giờ dạng GG:PP (24 giờ), không phải '\(text)'"
        case .notDate(let name, let text):
            return "\(capitalized(key(name))) phải là ngày dạng dd/mm/yyyy, không phải '\(text ?? "một danh sách")'"
        case .dateOutOfYears(let name, let years, let text):
            return "\(capitalized(key(name))) phải là ngày trong các năm \(years.lowerBound)-\(years.upperBound), không phải '\(text)'"
        case .notOneOf(let name, let names, let text, let suggestion):
            return "\(capitalized(key(name))) phải là một trong \(names.joined(separator: ", ")), không phải '\(text)'\(hint(suggestion))"
        case .notDays(let name):
            return "\(capitalized(key(name))) phải là 'daily' (hằng ngày) hoặc danh sách thứ như [t2, t4]"
        case .notWeekday(let text): return "Không có thứ '\(text)' trong tuần; dùng t2..t7, cn"
        case .notReferenceList(let name): return "\(capitalized(key(name))) phải là 'all' (tất cả) hoặc một danh sách"
        case .referenceNotID(let name): return "Mỗi mục của \(key(name)) phải là một mã"
        case .referenceNotText(let name): return "Mỗi mục của \(key(name)) phải là một dòng chữ, tối đa \(ConfigLimits.textLength) ký tự"
        case .notList(let part): return "\(capitalized(part.vietnamese)) phải là một danh sách"
        case .tooManyEntries(let part, let count, let limit):
            return "\(capitalized(part.vietnamese)) có \(count) mục; tối đa \(limit)"
        case .idTooLong(let limit): return "Mã dài quá \(limit) ký tự"
        case .idCharacters(let id): return "Mã '\(id)' không được chứa dấu cách, dấu phẩy hay '/'"
        case .unknownReference(let kind, let id, let suggestion): return "Không có \(kind.vietnamese) '\(id)'\(hint(suggestion))"
        case .duplicateID(let kind, let id, let line): return "Mã \(kind.vietnamese) '\(id)' bị trùng (đã có ở dòng \(line))"
        case .unknownTimeZone(let name, let vietnam): return "Không có múi giờ '\(name)'; Việt Nam là '\(vietnam)'"
        case .latestBeforeEarliest(let latest, let earliest):
            return "Giờ muộn nhất (\(latest)) phải sau giờ sớm nhất (\(earliest))"
        case .bothQuotas: return "Chỉ điền số lượt mỗi ngày hoặc số lượt mỗi buổi, không điền cả hai"
        case .noMessages: return "Chiến dịch cần ít nhất một bản tin"
        case .windowEndsBeforeStart(let first, let last):
            return "Ngày kết thúc (\(last.vietnamese)) trước ngày bắt đầu (\(first.vietnamese))"
        case .windowTooLong(let first, let last, let limit):
            return "Thời gian phát \(first.vietnamese)-\(last.vietnamese) dài hơn \(limit) ngày; hãy chia chiến dịch thường xuyên theo từng năm"
        case .relayInput(let id):
            return "Nguồn tiếp sóng '\(id)' cần điền địa chỉ luồng (url) hoặc đầu vào âm thanh (line-in), chỉ một trong hai"
        case .relayURL(let url): return "Địa chỉ luồng phải bắt đầu bằng http:// hoặc https:// và không có dấu cách, không phải '\(url.prefix(80))'"
        case .syncURL:
            return "Địa chỉ kho dữ liệu tập trung phải có dạng postgres://TÊN@MÁY/CƠ-SỞ-DỮ-LIỆU, không kèm mật khẩu"
        case .relayOutsideSession(let session, let from, let to):
            return "Giờ tiếp sóng \(from)-\(to) của buổi phát \(session.name) nằm ngoài buổi phát hoặc kết thúc trước khi bắt đầu"
        case .relayInMiddle(let session, let from, let to):
            return "Giờ tiếp sóng \(from)-\(to) của buổi phát \(session.name) phải bắt đầu từ đầu buổi hoặc kéo dài đến cuối buổi; "
                + "hãy tách buổi phát làm hai"
        case .relaysOverlap(let session): return "Các giờ tiếp sóng của buổi phát \(session.name) trùng nhau"
        case .campaignRelayEndsBeforeStart(let campaign, let from, let to):
            return "Giờ tiếp sóng \(from)-\(to) của chiến dịch \(campaign.name) kết thúc trước khi bắt đầu"
        case .campaignRelayOutsideWindow(let campaign, let date, let first, let last):
            return "Ngày tiếp sóng \(date.vietnamese) của chiến dịch \(campaign.name) nằm ngoài thời gian phát "
                + "\(first.vietnamese)-\(last.vietnamese)"
        case .campaignRelayOutsideHours(let campaign, let from, let to, let earliest, let latest):
            return "Giờ tiếp sóng \(from)-\(to) của chiến dịch \(campaign.name) nằm ngoài giờ được phát của đài (\(earliest)-\(latest))"
        case .campaignRelayOverlapsSession(let campaign, let date, let from, let to, let session, let start, let end, let channels):
            return "Giờ tiếp sóng \(from)-\(to) ngày \(date.vietnamese) của chiến dịch \(campaign.name) trùng với buổi phát "
                + "\(session.name) (\(start)-\(end)) trên \(channels.map(\.name).joined(separator: ", ")); hãy dời giờ tiếp sóng "
                + "hoặc ghi nó vào buổi phát"
        case .campaignRelaysOverlap(let campaign, let date, let from, let to, let other, let channels):
            return "Giờ tiếp sóng \(from)-\(to) ngày \(date.vietnamese) của chiến dịch \(campaign.name) trùng với giờ tiếp sóng "
                + "của chiến dịch \(other.name) trên \(channels.map(\.name).joined(separator: ", "))"
        case .unplayableAudio(let path, let problem, _): return "Tệp âm thanh '\(path)': \(problem.vietnamese)"
        case .sessionWithoutChannel(let session): return "Buổi phát \(session.name) không phát trên kênh nào"
        case .sessionFrameTooLong(let session, let airtime, let frame):
            return "Buổi phát \(session.name) dài \(airtime) giây nhưng nhạc hiệu mở đầu và kết thúc đã chiếm \(frame) giây"
        case .duplicateCampaign(let id, let file): return "Mã chiến dịch '\(id)' bị trùng (đã có trong \(file))"
        case .sessionEndsBeforeStart(let session, let start, let end):
            return "Buổi phát \(session.name) kết thúc (\(end)) trước khi bắt đầu (\(start))"
        case .sessionBeforeEarliest(let session, let start, let earliest):
            return "Buổi phát \(session.name) bắt đầu lúc \(start), sớm hơn giờ được phát sớm nhất của đài (\(earliest))"
        case .sessionAfterLatest(let session, let end, let latest):
            return "Buổi phát \(session.name) kết thúc lúc \(end), muộn hơn giờ được phát muộn nhất của đài (\(latest))"
        case .sessionsOverlap(let b, let bStart, let bEnd, let a, let aStart, let aEnd, let channels):
            return "Buổi phát \(b.name) (\(bStart)-\(bEnd)) trùng giờ với buổi \(a.name) (\(aStart)-\(aEnd)) "
                + "trên \(channels.map(\.name).joined(separator: ", "))"
        case .campaignWithoutSession(let campaign):
            return "Chiến dịch \(campaign.name) không phát được trong buổi nào: các buổi đã chọn không phát trên các kênh đã chọn"
        case .messageTooLong(let message, let seconds, let room):
            return "Bản tin \(message.name) dài \(seconds) giây, dài hơn mọi buổi phát có thể xếp (còn trống nhiều nhất \(room) giây)"
        case .noSessionOnSomeDays(let campaign, let channel, let days, let first):
            return "Chiến dịch \(campaign.name) không có buổi phát nào trên \(channel.name) trong \(days) ngày "
                + "(đầu tiên \(first.vietnamese)): các lượt những ngày đó không xếp được"
        case .quotaTooLarge(let campaign, let required, let slot, let channel, let capacity, let days, let first):
            return "Chiến dịch \(campaign.name) cần \(required) lượt khoảng \(slot) giây trên \(channel.name) "
                + "nhưng các buổi phát ở đó chỉ chứa được \(capacity) lượt trong \(days) ngày (đầu tiên \(first.vietnamese)), "
                + "chưa kể các chiến dịch khác"
        }
    }

    /// 0,5 rather than 0.5, and no ".0" on whole numbers.
    private static func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value).replacingOccurrences(of: ".", with: ",")
    }
}
