import Foundation
import LoaModel
import LoaTestSupport

/// A station folder on disk with real audio, for loader and validator tests.
struct StationFolder {
    let folder = TemporaryFolder()

    static let station = """
        station:
          name: Đài xã Thử
          audio-library: audio
          earliest: "05:00"
          latest: "21:00"
          gap: 2
        channels:
          - id: fm
            kind: fm
            name: FM xã
            device: "null"
          - id: loa-1
            kind: loudspeaker
            name: Cụm loa 1
            device: "null"
        sessions:
          - id: sang
            name: Buổi sáng
            start: "05:30"
            end: "05:40"
            channels: all
            opening: mo-dau.wav
          - id: chieu
            name: Buổi chiều
            start: "17:00"
            end: "17:10"
            channels: all

        """

    static let campaign = """
        id: thu
        title: Chiến dịch thử
        window: {first: 2024-11-25, last: 2024-11-30}
        plays-per-day: 2
        messages:
          - tin-1.wav
          - audio: tin-2.mp3
            weight: 2

        """

    init(station: String = Self.station, campaigns: [String: String] = ["thu.yaml": Self.campaign]) {
        folder.write("station.yaml", station)
        for (name, text) in campaigns { folder.write("campaigns/\(name)", text) }
        AudioFixture.tone(folder.file("audio/mo-dau.wav"), seconds: 2)
        AudioFixture.tone(folder.file("audio/tin-1.wav"), seconds: 20)
        AudioFixture.tone(folder.file("audio/tin-2.mp3"), kind: .mp3, seconds: 15)
    }

    var path: String { folder.path }

    /// Check with a probe that only says whether the file exists, with a fixed length: the model's
    /// tests need no decoder (libsndfile's probe is tested through the CLI).
    func check(durations: [String: Double] = [:]) -> CheckedStation {
        CheckedStation.check(folder: path) { url in
            guard FileManager.default.fileExists(atPath: url.path) else { return .unplayable(.missing) }
            let duration = durations[url.lastPathComponent] ?? 10
            return .playable(AudioFacts(duration: duration, format: "test"))
        }
    }
}

extension CheckedStation {
    /// `line:column: severity: message` without the folder, for readable expectations.
    var shortDiagnostics: [String] {
        diagnostics.map { d in
            let file = d.location.file.split(separator: "/").suffix(d.location.file.contains("/campaigns/") ? 2 : 1)
                .joined(separator: "/")
            return "\(file):\(d.location.line):\(d.location.column): \(d.severity.rawValue): \(d.message)"
        }
    }
}
