import Foundation
import LoaModel

/// libsndfile's view of an audio file, in the model's terms: what `loa check`, the daemon and
/// the console pass to `CheckedStation.check`.
public enum AudioProbing {
    @Sendable public static func probe(_ url: URL) -> AudioProbe {
        do {
            let format = try AudioFile.probe(url: url)
            return .playable(AudioFacts(duration: format.duration, format: format.summary, peak: format.peak))
        } catch {
            return .unplayable(error.problem)
        }
    }
}
