import CSndFile
import Foundation

/// A sine tone written through libsndfile: the console's sound check plays one, and the tests'
/// audio fixtures are made this way in every format.
public enum Tone {
    /// `format` is libsndfile's (`SF_FORMAT_WAV | SF_FORMAT_PCM_16` by default).
    public static func write(
        _ url: URL, format: Int32 = Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), seconds: Double, rate: Int = 16_000,
        channels: Int = 1, frequency: Double = 440
    ) throws(AudioFileError) {
        var info = SF_INFO()
        info.samplerate = Int32(rate)
        info.channels = Int32(channels)
        info.format = format
        guard let file = sf_open(url.path, Int32(SFM_WRITE), &info) else {
            throw AudioFileError(kind: .unreadable, path: url.path, detail: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(file) }
        let frames = Int(seconds * Double(rate))
        var samples = [Float](repeating: 0, count: frames * channels)
        for frame in 0..<frames {
            let value = Float(0.5 * sin(2 * .pi * frequency * Double(frame) / Double(rate)))
            for channel in 0..<channels { samples[frame * channels + channel] = value }
        }
        guard sf_writef_float(file, samples, sf_count_t(frames)) == frames else {
            throw AudioFileError(kind: .unreadable, path: url.path, detail: "short write")
        }
    }
}
