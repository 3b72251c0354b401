import Foundation
import LoaModel
import Testing

/// Every problem `loa check` finds has an operator's text in Vietnamese beside the engineer's
/// English, found through real broken configs rather than a list of cases kept by hand.
@Suite struct ConfigProblemTests {
    /// One edit of a good file each: a wrong value, a wrong shape, a missing or unknown key.
    static let breakages: [(file: String, from: String, to: String)] = [
        ("station.yaml", "earliest: \"05:00\"", "earliest: \"5 giờ\""),
        ("station.yaml", "latest: \"21:00\"", "latest: \"04:00\""),
        ("station.yaml", "gap: 2", "gap: 9999"),
        ("station.yaml", "gap: 2", "gap: [1]"),
        ("station.yaml", "name: Đài xã Thử", "name: \"\"\n  timezone: Asia/Hanoi"),
        ("station.yaml", "kind: fm", "kind: radio"),
        ("station.yaml", "id: loa-1", "id: fm"),
        ("station.yaml", "id: loa-1", "id: loa 1"),
        ("station.yaml", "end: \"05:40\"", "end: \"05:20\""),
        ("station.yaml", "start: \"17:00\"", "start: \"05:35\""),
        ("station.yaml", "channels: all\n    opening", "channels: [fn]\n    opening"),
        ("station.yaml", "channels: all\n    opening", "channels: fm\n    opening"),
        ("station.yaml", "opening: mo-dau.wav", "opening: khong-co.wav\n    dates-off: [30/02/2024]"),
        ("station.yaml", "end: \"17:10\"", "end: \"21:30\"\n    days: [t2, thu-hai]"),
        ("station.yaml", "end: \"17:10\"", "end: \"17:10\"\n    day: daily"),
        ("station.yaml", "sessions:", "sessions: {}\nextra:"),
        ("station.yaml", "device: \"null\"\n  - id: loa-1", "device: \"null\"\n    gain-db: 99\n  - id: loa-1"),
        ("campaigns/thu.yaml", "plays-per-day: 2", "plays-per-day: 2\nplays-per-session: 1"),
        ("campaigns/thu.yaml", "plays-per-day: 2", "plays-per-day: hai"),
        ("campaigns/thu.yaml", "plays-per-day: 2", "plays-per-day: 90"),
        ("campaigns/thu.yaml", "last: 2024-11-30", "last: 2024-11-20"),
        ("campaigns/thu.yaml", "last: 2024-11-30", "last: 2031-11-30"),
        ("campaigns/thu.yaml", "last: 2024-11-30", "last: 1800-01-01"),
        ("campaigns/thu.yaml", "first: 2024-11-25", "first: ngày mai"),
        ("campaigns/thu.yaml", "id: thu", "id: \"\""),
        ("campaigns/thu.yaml", "title: Chiến dịch thử", "title: Chiến dịch thử\npriority: cao"),
        ("campaigns/thu.yaml", "title: Chiến dịch thử", "title: Chiến dịch thử\nsessions: [sang, toi]"),
        ("campaigns/thu.yaml", "title: Chiến dịch thử", "title: Chiến dịch thử\nchannels: [loa-1]\nsessions: []"),
        ("campaigns/thu.yaml", "- tin-1.wav", "- tin-1.wav\n  - tin-1.wav"),
        ("campaigns/thu.yaml", "- tin-1.wav", "- {audio: mo-dau.wav, title: \"\"}\n  - tin-1.wav"),
        ("campaigns/thu.yaml", "- tin-1.wav", "- {audio: tin-3.wav, weight: 0, volume: 2}"),
        ("campaigns/thu.yaml", "messages:\n  - tin-1.wav\n  - audio: tin-2.mp3\n    weight: 2", "messages: []"),
        ("campaigns/thu.yaml", "id: thu", "id: thu\nid: thu"),
        ("campaigns/thu.yaml", "window: {", "window: [{"),
    ]

    @Test func everyProblemFoundHasAVietnameseText() throws {
        var seen: Set<String> = []
        var texts: [String] = []
        for breakage in Self.breakages {
            let folder = StationFolder()
            let text = breakage.file == "station.yaml" ? StationFolder.station : StationFolder.campaign
            #expect(text.contains(breakage.from), "\(breakage.from) is in the good file")
            folder.folder.write(breakage.file, text.replacingOccurrences(of: breakage.from, with: breakage.to))
            // Long messages, so that quotas and lengths meet the sessions' limits.
            let diagnostics = folder.check(durations: ["tin-1.wav": 300, "tin-2.mp3": 300]).diagnostics
            #expect(!diagnostics.isEmpty, "\(breakage.to) is found")
            for diagnostic in diagnostics {
                seen.insert(String(String(describing: diagnostic.problem).prefix { $0 != "(" }))
                texts.append(diagnostic.vietnamese)
                #expect(Self.englishWords(in: diagnostic.vietnamese).isEmpty, "\(diagnostic.message) → \(diagnostic.vietnamese)")
                #expect(diagnostic.vietnamese.first?.isUppercase == true, "\(diagnostic.vietnamese)")
            }
        }
        // The breakages reach most of the catalogue; the catalogue's switch covers every case.
        #expect(seen.count >= 28, "\(seen.sorted())")
        #expect(texts.contains("Ngày kết thúc (20/11/2024) trước ngày bắt đầu (25/11/2024)"))
        #expect(texts.contains { $0.hasPrefix("Số lượt mỗi ngày (plays-per-day) phải là số nguyên từ 1 đến 96") })
    }

    @Test func namesAreTheConfigsNamesForTheOperatorAndIdsForTheEngineer() throws {
        let folder = StationFolder()
        folder.folder.write(
            "station.yaml", StationFolder.station.replacingOccurrences(of: "start: \"17:00\"", with: "start: \"05:35\""))
        let overlap = try #require(folder.check().diagnostics.first { $0.message.contains("overlaps") })
        #expect(overlap.message == "session 'chieu' (05:35-17:10) overlaps session 'sang' (05:30-05:40) on channel 'fm', 'loa-1'")
        #expect(overlap.vietnamese == "Buổi phát Buổi chiều (05:35-17:10) trùng giờ với buổi Buổi sáng (05:30-05:40) trên FM xã, Cụm loa 1")
    }

    /// English words a Vietnamese sentence would not hold, outside quotes and the parenthesised
    /// key an engineer greps for.
    static func englishWords(in text: String) -> [String] {
        let stripped = text.replacingOccurrences(of: #"'[^']*'|\([a-z-]+\)|\[[^\]]*\]"#, with: " ", options: .regularExpression)
        let words = stripped.lowercased().split { !$0.isLetter }.map(String.init)
        let english: Set<String> = [
            "the", "must", "is", "not", "unknown", "session", "campaign", "channel", "file", "cannot", "before", "after",
            "than", "only", "needs", "key", "value", "error", "warning", "and", "or", "of", "at", "line", "invalid",
        ]
        return words.filter(english.contains)
    }
}
