import ArgumentParser
import Foundation
import LoaFrontend
import LoaLog
import LoaModel

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the broadcast log, or verify its hash chain.",
        subcommands: [Show.self, Verify.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the broadcasts logged in a period.")

        @Argument(help: "The station folder.") var station: String
        @OptionGroup var logOptions: LogOptions
        @Option(help: "First day.", transform: parseDate) var from: CivilDate?
        @Option(help: "Last day.", transform: parseDate) var to: CivilDate?
        @Option(help: "text, json or csv.") var format: LogFormat = .text

        func run() throws {
            let log = try openExisting(logOptions.path(for: station))
            let records = try log.records(from: from, through: to)
            print(format.render(records), terminator: "")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the log file and its hash chain, and name the first row altered or deleted.",
            discussion: """
                Opens the log read-only (nothing is written to it), runs SQLite's integrity check on \
                its pages, then recomputes the chain. Deleting the newest rows leaves a valid shorter \
                chain: pass the head an earlier report printed with --expect-head to learn whether it \
                is still in the chain. Exits 0 and prints the chain head when all is well, 1 otherwise.
                """)

        @Argument(help: "The station folder.") var station: String
        @OptionGroup var logOptions: LogOptions
        @Option(help: "A chain head quoted earlier (64 hex digits); verify fails if it is no longer in the chain.")
        var expectHead: String?

        func validate() throws {
            if let expectHead, expectHead.count != 64 || !expectHead.allSatisfy(\.isHexDigit) {
                throw ValidationError("--expect-head must be 64 hexadecimal digits, as a report prints it")
            }
        }

        func run() throws {
            let path = logOptions.path(for: station)
            let result: FileVerification
            do {
                result = try openExisting(path).verifyFile(expectingHead: expectHead)
            } catch let error as LogError {
                Terminal.printError("error: \(error)")
                throw ExitCode.failure
            }
            for finding in result.damage.prefix(10) {
                print("\(path): KHÔNG HỢP LỆ (damaged file): \(finding)")
            }
            if let problem = result.chain.problem {
                print("\(path): KHÔNG HỢP LỆ (verification failed): \(problem)")
            }
            if let expectHead, let found = result.expectedHead {
                if let found {
                    print("\(path): chain head \(expectHead) is in the chain at row \(found.sequence), \(found.sealedAfter) row(s) sealed after it")
                } else {
                    print("\(path): KHÔNG HỢP LỆ (head missing): \(expectHead) is not in the chain; rows up to it were deleted or altered")
                }
            }
            guard result.isIntact, let head = result.chain.head else { throw ExitCode.failure }
            print("\(path): hợp lệ (intact), \(result.chain.rows) lượt ghi, chain head \(head)")
        }
    }
}

extension LogFormat: ExpressibleByArgument {}
