import ArgumentParser
import Dispatch
import Foundation
import LoaFrontend
import LoaPlayout

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play one audio file to an ALSA device now: the operator's sound check.",
        discussion: """
            Ctrl-C fades the file out instead of cutting it. On a machine with no sound card, \
            `--device "file:'/tmp/out.raw',raw"` writes exactly the samples that would be played.
            """)

    @Argument(help: "The audio file (WAV, FLAC, OGG, MP3).", completion: .file())
    var file: String

    @Option(help: "ALSA PCM name, e.g. plughw:CARD=USB,DEV=0, default or null.")
    var device: String

    @Option(parsing: .unconditional, help: "Gain in dB (negative values welcome: --gain-db -3).")
    var gainDB: Double = 0

    @Flag(help: "Normalise to the station loudness target (EBU R128), never clipping.")
    var normalize = false

    @Option(help: "Loudness target in LUFS, with --normalize.")
    var target: Double = PlayoutOptions.stationLoudness

    @Option(help: "Fade-out when interrupted, in seconds.")
    var fade: Double = 0.5

    @Option(help: "Where loudness measurements are cached.")
    var loudnessCache: String = LoudnessCacheLocation.default

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let options = PlayoutOptions(
            gainDB: gainDB, loudnessTarget: normalize ? target : nil, fadeOut: .milliseconds(Int(fade * 1000)))
        do {
            let loudness = normalize
                ? try LoudnessCache(file: URL(fileURLWithPath: loudnessCache)).measurement(for: url) : nil
            let playback = try PreparedPlayback(url: url, device: device, options: options, loudness: loudness)
            let control = PlaybackControl()
            let interrupt = Self.fadeOnInterrupt(control)
            defer { interrupt.cancel() }
            Terminal.printError("\(file): \(playback.format.summary) -> \(device): \(playback.output.negotiated.summary)")
            let total = playback.format.frames
            let rate = playback.format.sampleRate
            let showProgress = isatty(STDERR_FILENO) == 1
            var lastSecond = -1
            let report = try playback.play(control: control) { played in
                guard showProgress, played / rate != lastSecond else { return }
                lastSecond = played / rate
                FileHandle.standardError.write(Data("\r\(clock(played / rate)) / \(clock(total / rate))".utf8))
            }
            if showProgress { Terminal.printError("") }
            let how = report.completed ? "played" : "faded out at \(clock(report.framesPlayed / rate))"
            Terminal.printError(
                "\(how): \(report.framesPlayed) frames, gain \(String(format: "%.2f", 20 * log10(report.gain))) dB, "
                    + "\(report.recoveries) underrun recoveries")
        } catch {
            Terminal.printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// SIGINT asks the player to fade out rather than killing it mid-sample.
    static func fadeOnInterrupt(_ control: PlaybackControl) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { control.requestStop() }
        source.resume()
        return source
    }
}

/// `m:ss`
func clock(_ seconds: Int) -> String { "\(seconds / 60):" + String(format: "%02d", seconds % 60) }
