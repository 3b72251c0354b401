import ArgumentParser
import Foundation
import LoaFrontend
import LoaModel
import LoaPlayout
import LoaRelay

struct Relay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Relay one of a station's relay sources to an ALSA device now: the engineer's check of a stream or a receiver.",
        discussion: """
            Plays the source for --seconds with its fallback and thresholds from station.yaml, \
            then says how much of it was the source and each outage with its reason. Ctrl-C fades out.
            """)

    @Argument(help: "The station folder.", completion: .directory)
    var station: String

    @Argument(help: "The relay source's id (relay-sources: in station.yaml).")
    var source: String

    @Option(help: "ALSA PCM name, e.g. plughw:CARD=USB,DEV=0, default or null.")
    var device: String

    @Option(help: "How long to relay, in seconds (1 to 86400).")
    var seconds: Int = 30

    func validate() throws {
        guard (1...86_400).contains(seconds) else { throw ValidationError("--seconds must be from 1 to 86400") }
    }

    func run() throws {
        let loaded = StationLoader.load(folder: station)
        guard let station = loaded.station, let relay = station.relaySource(source) else {
            let known = loaded.station?.relaySources.map(\.id).joined(separator: ", ") ?? ""
            Terminal.printError("error: \(self.station): no relay source '\(source)'" + (known.isEmpty ? "" : " (the station has \(known))"))
            throw ExitCode.failure
        }
        do {
            let prepared = try PreparedRelay(relay.input, fallback: relay.fallback.map(\.url), device: device, options: RelayOptions(relay))
            defer { prepared.close() }
            let control = PlaybackControl()
            let interrupt = Play.fadeOnInterrupt(control)
            defer { interrupt.cancel() }
            Terminal.printError("\(relay.id): \(relay.input.address) -> \(device): \(prepared.output.negotiated.summary)")
            // Connected and buffered first, as the daemon prepares a block ahead of its second.
            Thread.sleep(forTimeInterval: 2)
            let report = try prepared.play(frames: seconds * PreparedRelay.format.rate, control: control)
            let rate = Double(report.rate)
            print("\(report.completed ? "relayed" : "faded out"): \(clock(report.framesPlayed / report.rate)), "
                + "the source for \(String(format: "%.1f", report.secondsRelayed)) s, \(report.outages.count) outage(s)")
            for outage in report.outages {
                print("  at \(String(format: "%.1f", Double(outage.startFrame) / rate)) s for "
                    + "\(String(format: "%.1f", Double(outage.frames) / rate)) s: \(outage.fault.rawValue): \(outage.detail)")
            }
        } catch {
            Terminal.printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
