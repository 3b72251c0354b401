import Foundation

/// How Loa writes a JSON document (a report, log rows): Codable values through one encoder,
/// keys sorted and output pretty, so the same input gives the same bytes. The plan alone is
/// written by hand (`PlanJSON`), streamed, since a district's year holds a million entries.
public enum JSONDocument {
    public static func data(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Every value Loa writes is finite and encodable; an empty document would say so loudly.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    public static func text(_ value: some Encodable) -> String { String(decoding: data(value), as: UTF8.self) + "\n" }

    /// A JSON string literal, for the plan's streamed writer.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
