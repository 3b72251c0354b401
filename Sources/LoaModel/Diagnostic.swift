/// Where in a config file something was written. Lines and columns count from 1.
public struct SourceLocation: Hashable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// One problem found in a station's config or audio, in the compiler's
/// `file:line:column: error: message` form so editors can jump to it.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var location: SourceLocation
    public var severity: Severity
    public var problem: ConfigProblem

    public init(_ severity: Severity, _ problem: ConfigProblem, at location: SourceLocation) {
        self.severity = severity
        self.problem = problem
        self.location = location
    }

    /// The English text, for `loa check` and journald.
    public var message: String { problem.english }
    /// The operator's text, for the console.
    public var vietnamese: String { problem.vietnamese }

    /// "campaigns/a.yaml, dòng 4: …": where and what, for the operator.
    public var vietnameseDescription: String {
        "\(location.file), dòng \(location.line): \(vietnamese)"
    }

    public var description: String {
        "\(location.file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

extension [Diagnostic] {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// File order, then line and column, so a person reads them top to bottom.
    public func sortedForReading() -> [Diagnostic] {
        sorted {
            ($0.location.file, $0.location.line, $0.location.column, $0.message)
                < ($1.location.file, $1.location.line, $1.location.column, $1.message)
        }
    }
}
