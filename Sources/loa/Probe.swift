import ArgumentParser
import Foundation
import LoaAudio

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the format, rate, channels and duration of audio files.")

    @Argument(help: "Audio files (WAV, FLAC, OGG, MP3).", completion: .file())
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let format = try AudioFile.probe(url: URL(fileURLWithPath: file))
                print("\(file): \(format.summary), \(format.frames) frames, \(String(format: "%.3f", format.duration)) s")
            } catch {
                Terminal.printError("error: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
