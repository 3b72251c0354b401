import ArgumentParser
import LoaFrontend
import LoaModel

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a station folder and its audio, reporting every problem.",
        discussion: """
            Each problem is printed as file:line:column: error|warning: message. Exits 1 when there is any error, 0 otherwise (warnings included).
            """)

    @OptionGroup var options: StationOptions

    func run() throws {
        let checked = options.check()
        Terminal.print(checked.diagnostics)
        if let station = checked.station, !checked.diagnostics.hasErrors {
            let plays = checked.audio.count
            print(
                "\(options.station): \(station.name): \(station.channels.count) kênh, \(station.sessions.count) buổi "
                    + "phát, \(station.campaigns.count) chiến dịch, \(plays) tệp âm thanh; "
                    + Terminal.summary(of: checked.diagnostics))
        } else {
            Terminal.printError("\(options.station): " + Terminal.summary(of: checked.diagnostics))
        }
        if checked.diagnostics.hasErrors { throw ExitStatus.configErrors }
    }
}
