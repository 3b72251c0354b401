import CSndFile
import Foundation
import LoaAudio

/// Writes test audio through libsndfile, so fixtures in every format come from one known encoder.
public enum AudioFixture {
    public enum Kind: Sendable {
        case wav8, wav16, wav24, wav32, wavFloat, wavDouble, aiff16, flac, flac24, ogg, mp3

        public static let all: [Kind] = [.wav8, .wav16, .wav24, .wav32, .wavFloat, .wavDouble, .aiff16, .flac, .flac24, .ogg, .mp3]

        var format: Int32 {
            switch self {
            case .wav8: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_U8)
            case .wav16: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
            case .wav24: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
            case .wav32: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_32)
            case .wavFloat: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
            case .wavDouble: Int32(SF_FORMAT_WAV | SF_FORMAT_DOUBLE)
            case .aiff16: Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16)
            case .flac: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
            case .flac24: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
            case .ogg: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
            case .mp3: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
            }
        }
    }

    /// A sine tone of `seconds`, written to `url`.
    @discardableResult
    public static func tone(
        _ url: URL, kind: Kind = .wav16, seconds: Double, rate: Int = 16_000, channels: Int = 1,
        frequency: Double = 440
    ) -> URL {
        do {
            try Tone.write(url, format: kind.format, seconds: seconds, rate: rate, channels: channels, frequency: frequency)
        } catch {
            fatalError("libsndfile cannot write \(url.path): \(error)")
        }
        return url
    }
}
