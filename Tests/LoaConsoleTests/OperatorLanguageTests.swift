import Foundation
import LoaLog
import LoaModel
import LoaTestSupport
import Testing

/// What the operator reads: every page, in the states a station is found in (a channel failing,
/// the daemon stopped, a draft awaiting approval, a refused form), shows no id where the config
/// has a name, no English and no UTC time in its visible text.
@Suite struct OperatorLanguageTests {
    @Test func noOperatorPageShowsAnIdEnglishOrAUTCTime() async throws {
        let fixture = try await ConsoleFixture()
        // A failing channel: a broadcast missed for each reason, with the engineer's English detail.
        let log = try BroadcastLog(path: fixture.logPath)
        try log.appendSettled(ReasonCode.allCases.enumerated().map { index, code in
            var row = BroadcastRecord(
                entryID: "reason/\(index)", date: CivilDate(year: 2024, month: 11, day: 27)!, station: "Kha Sơn", channel: "loa-cum-1",
                channelKind: .loudspeaker, session: "trua", campaign: "lua-dao-truc-tuyen-2024", message: "lua-dao-tong-dai",
                role: .message, audio: "lua-dao-tong-dai.mp3", audioSHA256: nil, scheduledStart: "2024-11-27T04:30:00.000Z",
                timeZone: "Asia/Ho_Chi_Minh", device: "null")
            row.outcome = code == .noTimeLeft ? .skipped : .missed
            row.reasonCode = code
            row.reason = "device failed: Input/output error"
            return row
        })
        let station = try #require(CheckedStation.check(folder: fixture.station, probe: { _ in .playable(AudioFacts(duration: 10, format: "test")) }).station)
        let ids = Self.idsWithNames(station)
        #expect(ids.contains("loa-cum-1") && ids.contains("trua") && ids.contains("lua-dao-tong-dai"))

        try await fixture.test { browser in
            _ = try await browser.login("binh", "mat-khau-binh")
            var pages: [(String, String)] = []
            for (path, _) in ConsolePageTests.pages + [("/lich-phat?ngay=2024-11-27", ""), ("/nhat-ky?trang=2", "")] {
                pages.append((path, try await browser.get(path).text))
            }
            // A refused form (the window ends before it starts), then a draft for the leader.
            let form = try await browser.get("/chien-dich/lua-dao-truc-tuyen-2024/sua")
            var fields = [
                ("csrf", form.csrf ?? ""), ("title", "Phòng, chống lừa đảo trực tuyến"), ("first", "2024-12-15"), ("last", "2024-11-25"),
                ("plays", "3"), ("quota", "day"), ("spacing", "1"), ("audio", "lua-dao-tong-dai.mp3"), ("weight-lua-dao-tong-dai.mp3", "1"),
            ]
            let refused = try await browser.post("/chien-dich/lua-dao-truc-tuyen-2024/sua", fields)
            #expect(refused.status == .unprocessableContent)
            pages.append(("refused form", refused.text))
            fields[0] = ("csrf", refused.csrf ?? "")
            fields[2] = ("first", "2024-11-25")
            fields[3] = ("last", "2024-12-15")
            #expect(try await browser.post("/chien-dich/lua-dao-truc-tuyen-2024/sua", fields).status == .seeOther)
            let approval = try await browser.get("/chien-dich/lua-dao-truc-tuyen-2024")
            #expect(approval.text.contains("Duyệt cho phát"))
            pages.append(("approval page", approval.text))

            for (path, html) in pages {
                let text = Self.visibleText(html)
                let shownIDs = Self.tokens(text).filter(ids.contains)
                #expect(shownIDs.isEmpty, "\(path) shows ids \(Set(shownIDs)) in \(Self.lines(of: text, with: shownIDs))")
                let english = Self.tokens(text.lowercased()).filter(Self.englishWords.contains)
                #expect(english.isEmpty, "\(path) shows English: \(Set(english)) in \(Self.lines(of: text, with: english))")
                for pattern in [#"\b\d{4}-\d{2}-\d{2}\b"#, #"\d{2}:\d{2}(:\d{2})?(\.\d+)?Z"#, #"\bUTC\b"#, #"\bGMT\b"#] {
                    let found = text.range(of: pattern, options: .regularExpression).map { String(text[$0]) }
                    #expect(found == nil, "\(path) shows \(found ?? "") (ISO date or UTC time)")
                }
            }
        }
    }

    /// Ids of channels, sessions, campaigns and messages whose config gives a name that differs.
    static func idsWithNames(_ station: Station) -> Set<String> {
        var ids = Set(station.channels.filter { $0.name != $0.id }.map(\.id))
        ids.formUnion(station.sessions.filter { $0.name != $0.id }.map(\.id))
        ids.formUnion(station.campaigns.filter { $0.title != $0.id }.map(\.id))
        ids.formUnion(station.campaigns.flatMap(\.messages).filter { $0.title != $0.id }.map(\.id))
        return ids
    }

    /// The text a browser shows: no style, no tags (attributes are not read), entities decoded;
    /// `<code>` holds what only the engineer needs (an ALSA device name) and is left out.
    static func visibleText(_ html: String) -> String {
        html.replacingOccurrences(of: #"<style>[\s\S]*?</style>|<code[^>]*>[\s\S]*?</code>"#, with: " ", options: .regularExpression)
            .replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'")
    }

    /// The lines of the text that hold one of the words, for a failure to show where.
    static func lines(of text: String, with words: [String]) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            words.contains { line.lowercased().contains($0.lowercased()) }
        }.prefix(3).map { String($0.prefix(200)) }
    }

    /// Words as a reader splits them; a file name such as `lua-dao.mp3` stays one word.
    static func tokens(_ text: String) -> [String] {
        text.split { $0.isWhitespace || ",;:()[]\"'·→←".contains($0) }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".!?")) }
            .filter { !$0.isEmpty }
    }

    static let englishWords: Set<String> = [
        "the", "and", "of", "to", "is", "must", "not", "error", "warning", "session", "campaign", "channel", "file",
        "missed", "completed", "skipped", "failed", "playing", "device", "due", "late", "grace", "more", "than",
        "before", "after", "at", "line", "unknown", "cannot", "input", "output", "errors", "warnings", "loudspeaker",
    ]
}
