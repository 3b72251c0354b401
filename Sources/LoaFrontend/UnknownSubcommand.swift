import ArgumentParser

/// A word where a subcommand belongs that names none: ArgumentParser takes `loa NOSUCH --help`
/// for a request of the main help and exits 0, so a typo looked like success. Found before
/// parsing, and said with the nearest names.
public struct UnknownSubcommand: Sendable {
    public var word: String
    public var command: String
    public var suggestions: [String]

    public var message: String {
        var text = "Error: '\(word)' is not a subcommand of \(command)."
        if !suggestions.isEmpty { text += " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?" }
        return text + "\nSee '\(command) --help'."
    }

    /// Walks `arguments` down the subcommand tree from `root` while words name subcommands; the
    /// first word that should and does not.
    public static func find(in arguments: [String], under root: any ParsableCommand.Type) -> UnknownSubcommand? {
        var command = root, path = [root._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            // A command with a default subcommand takes its arguments here too (`loa log STATION`).
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil, !word.hasPrefix("-") else { return nil }
            let names = subcommands.flatMap { [$0._commandName] + $0.configuration.aliases } + ["help"]
            if word == "help" { return nil }
            guard let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) else {
                let near = names.filter { $0.hasPrefix(word) || word.hasPrefix($0) || distance(word, $0) <= 2 }
                return UnknownSubcommand(word: word, command: path.joined(separator: " "), suggestions: near)
            }
            command = next
            path.append(next._commandName)
        }
        return nil
    }

    /// Edits (insert, delete, replace) from one word to the other.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() { current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))) }
            previous = current
        }
        return previous[b.count]
    }
}
