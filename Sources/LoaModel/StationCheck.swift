import Foundation

/// A station folder loaded, its audio probed and the whole validated: what `check`, `plan`
/// and the daemon start from.
public struct CheckedStation: Sendable {
    public var station: Station?
    public var audio: [String: AudioProbe]
    public var diagnostics: [Diagnostic]

    /// Durations of the audio that can be played, for the planner.
    public var durations: AudioDurations { audio.playableDurations }

    /// Loads and validates a station folder. `probe` reads one audio file (the CLI passes
    /// libsndfile's); it is called once per distinct file.
    public static func check(
        folder: String, overlay: StationLoader.CampaignOverlay? = nil, probe: (URL) -> AudioProbe
    ) -> CheckedStation {
        let loaded = StationLoader.load(folder: folder, overlay: overlay)
        guard let station = loaded.station else {
            return CheckedStation(station: nil, audio: [:], diagnostics: loaded.diagnostics.sortedForReading())
        }
        var audio: [String: AudioProbe] = [:]
        for reference in station.audioReferences {
            audio[reference.path] = probe(reference.url)
        }
        let diagnostics = loaded.diagnostics + StationValidator.validate(station, audio: audio)
        return CheckedStation(station: station, audio: audio, diagnostics: diagnostics.sortedForReading())
    }
}

/// A campaign file left out of what airs because it has errors, with them.
public struct SetAsideCampaign: Sendable, Equatable {
    /// The file as the diagnostics name it.
    public var file: String
    public var errors: [Diagnostic]
}

/// What the daemon airs from a checked folder: one bad campaign must not silence the others, so
/// every campaign whose file has an error is set aside and the rest air. Errors anywhere else
/// (`station.yaml`: channels, sessions, their audio) leave nothing runnable.
public struct RunnableStation: Sendable {
    public var station: Station
    public var durations: AudioDurations
    public var audio: [String: AudioProbe]
    public var setAside: [SetAsideCampaign]
}

extension CheckedStation {
    /// The station without its failing campaigns; nil when the station itself has errors.
    public var runnable: RunnableStation? {
        guard var station else { return nil }
        let errors = diagnostics.filter { $0.severity == .error }
        let inCampaigns = Dictionary(grouping: errors.filter { Self.isCampaignFile($0.location.file) }, by: \.location.file)
        guard errors.count == inCampaigns.values.reduce(0, { $0 + $1.count }) else { return nil }
        station.campaigns.removeAll { inCampaigns[$0.origin.file] != nil }
        let setAside = inCampaigns.sorted { $0.key < $1.key }.map { SetAsideCampaign(file: $0.key, errors: $0.value) }
        return RunnableStation(station: station, durations: durations, audio: audio, setAside: setAside)
    }

    private static func isCampaignFile(_ file: String) -> Bool {
        file.contains("/\(StationLoader.campaignsFolder)/") || file.hasPrefix("\(StationLoader.campaignsFolder)/")
    }
}
