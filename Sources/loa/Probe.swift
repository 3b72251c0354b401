import ArgumentParser
import Foundation
import LoaAudio
import LoaFrontend
import LoaPlayout

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the format, rate, channels, duration, loudness and peak of audio files.")

    @Argument(help: "Audio files (WAV, FLAC, OGG, MP3).", completion: .file())
    var files: [String]

    @Option(help: "Where loudness measurements are cached.")
    var loudnessCache: String = LoudnessCacheLocation.default

    func run() throws {
        let cache = LoudnessCache(file: URL(fileURLWithPath: loudnessCache))
        var failed = false
        for file in files {
            let url = URL(fileURLWithPath: file)
            do {
                let format = try AudioFile.probe(url: url)
                let loudness = try cache.measurement(for: url)
                let lufs = loudness.integratedLUFS > -70 ? String(format: "%.1f LUFS", loudness.integratedLUFS) : "silent"
                let peak = loudness.samplePeak > 0 ? String(format: "%.1f dBFS", 20 * log10(loudness.samplePeak)) : "-inf dBFS"
                print("\(file): \(format.summary), \(format.frames) frames, "
                    + "\(String(format: "%.3f", format.duration)) s, loudness \(lufs), peak \(peak)")
            } catch {
                Terminal.printError("error: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
