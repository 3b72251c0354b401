import Foundation
import Yams

/// Reads one YAML config file into values, collecting a diagnostic for every problem
/// instead of stopping at the first, so `loa check` can report them all in one run.
final class ConfigReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    /// The document's root node, or nil (with a diagnostic) when the YAML does not parse.
    func parse(_ text: String) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                error(.emptyFile, at: SourceLocation(file: file, line: 1, column: 1))
                return nil
            }
            var budget = ConfigLimits.yamlNodes
            guard Self.fits(root, budget: &budget) else {
                error(.tooManyYAMLValues(limit: ConfigLimits.yamlNodes), at: location(root))
                return nil
            }
            return root
        } catch let yamlError as YamlError {
            report(yamlError)
            return nil
        } catch {
            self.error(.invalidYAML(detail: "\(error)"), at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
    }

    /// Walks the tree as reading it would, aliases expanded, and stops once `budget` runs out.
    private static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        if budget < 0 { return false }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let items): return items.allSatisfy { fits($0, budget: &budget) }
        case .mapping(let mapping):
            return mapping.allSatisfy { fits($0.key, budget: &budget) && fits($0.value, budget: &budget) }
        }
    }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func error(_ problem: ConfigProblem, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, problem, at: location))
    }

    func error(_ problem: ConfigProblem, at node: Node) { error(problem, at: location(node)) }

    /// The keys of a mapping. Unknown keys are reported with a suggestion; missing required
    /// ones are reported at the mapping. Returns nil when the node is not a mapping at all.
    func fields(of node: Node, what: ConfigPart, allowed: [String], required: [String] = []) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(.notMapping(what), at: node)
            return nil
        }
        var fields = Fields(owner: node)
        for (key, value) in mapping {
            guard let name = key.string else {
                error(.keyNotText(what), at: key)
                continue
            }
            if allowed.contains(name) {
                fields.values[name] = value
                fields.keys[name] = key
            } else {
                error(.unknownKey(name, in: what, suggestion: Suggestion.closest(to: name, among: allowed)), at: key)
            }
        }
        for name in required where fields.values[name] == nil {
            error(.missingKey(name, in: what), at: node)
        }
        return fields
    }

    func string(_ fields: Fields, _ key: String) -> String? {
        guard let node = fields.values[key] else { return nil }
        guard case .scalar(let scalar) = node else {
            error(.notSingleValue(key: key), at: node)
            return nil
        }
        guard scalar.string.count <= ConfigLimits.textLength else {
            error(.tooLong(key: key, limit: ConfigLimits.textLength), at: node)
            return nil
        }
        return scalar.string
    }

    func nonEmptyString(_ fields: Fields, _ key: String) -> String? {
        guard let value = string(fields, key) else { return nil }
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            error(.empty(key: key), at: fields.node(key))
            return nil
        }
        return value
    }

    func int(_ fields: Fields, _ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = string(fields, key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            error(.notWholeNumber(key: key, range: range, text: text), at: fields.node(key))
            return nil
        }
        return value
    }

    func double(_ fields: Fields, _ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let text = string(fields, key) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            error(.notNumber(key: key, range: range, text: text), at: fields.node(key))
            return nil
        }
        return value
    }

    func time(_ fields: Fields, _ key: String) -> TimeOfDay? {
        guard let text = string(fields, key) else { return nil }
        guard let value = TimeOfDay(parsing: text) else {
            error(.notTime(key: key, text: text), at: fields.node(key))
            return nil
        }
        return value
    }

    func date(_ node: Node, field: String) -> CivilDate? {
        guard let text = node.string, let date = CivilDate(parsing: text) else {
            error(.notDate(key: field, text: node.string.map { String($0.prefix(40)) }), at: node)
            return nil
        }
        guard ConfigLimits.years.contains(date.year) else {
            error(.dateOutOfYears(key: field, years: ConfigLimits.years, text: text), at: node)
            return nil
        }
        return date
    }

    func date(_ fields: Fields, _ key: String) -> CivilDate? {
        fields.values[key].flatMap { date($0, field: key) }
    }

    func choice<Value>(_ fields: Fields, _ key: String, from options: [String: Value]) -> Value? {
        guard let text = string(fields, key) else { return nil }
        if let value = options[text] { return value }
        let names = options.keys.sorted()
        error(
            .notOneOf(key: key, names: names, text: text, suggestion: Suggestion.closest(to: text, among: names)),
            at: fields.node(key))
        return nil
    }

    /// `daily`, or a list of weekdays (`[mon, wed]` or `[t2, t4]`).
    func days(_ fields: Fields, _ key: String) -> DaySet? {
        guard let node = fields.values[key] else { return nil }
        if node.string == "daily" { return .daily }
        guard case .sequence(let items) = node else {
            error(.notDays(key: key), at: node)
            return nil
        }
        var days: [Weekday] = []
        for item in items {
            if let name = item.string?.lowercased(), let day = Weekday.names[name] {
                days.append(day)
            } else {
                error(.notWeekday(item.string ?? "?"), at: item)
            }
        }
        return DaySet(days)
    }

    /// `all`, or a list of ids. Returns the ids with where each was written.
    func references(_ fields: Fields, _ key: String) -> [(id: String, node: Node)]? {
        guard let node = fields.values[key] else { return nil }
        if node.string == "all" { return nil }
        guard case .sequence(let items) = node else {
            error(.notReferenceList(key: key), at: node)
            return []
        }
        return items.compactMap { item in
            guard let id = item.string else {
                error(.referenceNotID(key: key), at: item)
                return nil
            }
            return (id, item)
        }
    }

    private func report(_ yamlError: YamlError) {
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            error(.invalidYAML(detail: detail), at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            error(
                .duplicateKey(duplicates),
                at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        default:
            error(.invalidYAML(detail: "\(yamlError)"), at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// The keys of one YAML mapping, with the node of each key and of each value.
struct Fields {
    let owner: Node
    var values: [String: Node] = [:]
    var keys: [String: Node] = [:]

    init(owner: Node) { self.owner = owner }

    subscript(key: String) -> Node? { values[key] }

    /// Where to point a diagnostic about `key`: its value, or the mapping when the key is absent.
    func node(_ key: String) -> Node { values[key] ?? owner }
}

enum Suggestion {
    /// The allowed word closest to a misspelt one, if any is close enough to be what was meant.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let word = word.lowercased()
        if let extended = candidates.first(where: { $0.hasPrefix(word) || word.hasPrefix($0) }) { return extended }
        let scored = candidates.map { ($0, distance(word, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    /// Levenshtein edit distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
