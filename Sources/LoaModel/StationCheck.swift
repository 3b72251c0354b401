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
