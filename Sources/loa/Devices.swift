import ArgumentParser
import LoaFrontend
import LoaModel
import LoaPlayout

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List ALSA sound cards and playback PCM names, and which channels use them.")

    @Option(help: "A station folder: show which of its channels play to each device.", completion: .directory)
    var station: String?

    func run() throws {
        let cards = ALSADevices.cards()
        print("Sound cards:")
        if cards.isEmpty { print("  (none: this machine has no sound hardware the kernel knows)") }
        for card in cards { print("  \(card.name)  \(card.description)") }

        print("Playback PCM names:")
        for pcm in ALSADevices.playbackPCMs() {
            print("  \(pcm.name)" + (pcm.description.isEmpty ? "" : "  \(pcm.description)"))
        }
        guard let station else { return }
        let checked = StationOptions(station: station).check()
        Terminal.print(checked.diagnostics.filter { $0.severity == .error })
        guard let loaded = checked.station else { throw ExitStatus.configErrors }
        print("Channels of \(loaded.name):")
        for channel in loaded.channels {
            print("  \(channel.id)  \(channel.device)  \(channel.name) (\(channel.kind.vietnameseName)), gain \(channel.gainDB) dB")
        }
    }
}
