import Foundation

/// A `multipart/form-data` body (RFC 7578 over RFC 2046) split into its parts, for the console's
/// campaign form, which carries its audio. Written here rather than taken from MultipartKit,
/// whose 4.7 parser traps on
/// attacker bytes (an empty boundary; a header name byte of 0x80 or more, found by fuzzing),
/// which would let any request stop the console.
enum MultipartForm {
    struct Part {
        /// Header names in lower case.
        var headers: [String: String]
        var body: ArraySlice<UInt8>
    }

    struct Malformed: Error {
        var reason: String
    }

    /// Bounds: the campaign form has one file and a few fields per audio file of the library.
    static let maximumParts = FormFields.Limits.fields
    static let maximumHeaderBytes = 8 * 1024

    static func parts(of body: [UInt8], contentType: String) throws(Malformed) -> [Part] {
        let delimiter = Array("--".utf8) + Array(try boundary(of: contentType).utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter opens the body or follows the preamble's line break.
        guard var position = find(delimiter, in: body, from: 0, atLineStart: true) else {
            throw Malformed(reason: "no boundary in the body")
        }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            if body[position...].starts(with: [45, 45]) { return parts }  // "--": the closing delimiter
            while position < body.count, body[position] == 32 || body[position] == 9 { position += 1 }  // transport padding
            guard body[position...].starts(with: crlf) else { throw Malformed(reason: "a boundary line does not end") }
            position += 2
            guard let headersEnd = find(crlf + crlf, in: body, from: position, limit: maximumHeaderBytes) else {
                // A part with no headers starts its body at once.
                guard body[position...].starts(with: crlf) else { throw Malformed(reason: "a part's headers do not end") }
                throw Malformed(reason: "a part has no headers")
            }
            let headers = try parseHeaders(body[position..<headersEnd])
            let start = headersEnd + 4
            guard let next = find(crlf + delimiter, in: body, from: start) else { throw Malformed(reason: "a part does not end") }
            parts.append(Part(headers: headers, body: body[start..<next]))
            guard parts.count <= maximumParts else { throw Malformed(reason: "more than \(maximumParts) parts") }
            position = next + 2
        }
    }

    /// The `boundary` parameter of a Content-Type: 1 to 70 characters of RFC 2046's set.
    static func boundary(of contentType: String) throws(Malformed) -> String {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { throw Malformed(reason: "not multipart/form-data") }
        guard let value = fields.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst(9) else {
            throw Malformed(reason: "no boundary")
        }
        let boundary = value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : String(value)
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
        guard (1...70).contains(boundary.count), boundary.allSatisfy(allowed.contains), boundary.last != " " else {
            throw Malformed(reason: "the boundary is not 1 to 70 of the allowed characters")
        }
        return boundary
    }

    /// A parameter of a header value, as `filename="a.wav"` in Content-Disposition.
    static func parameter(_ name: String, in value: String) -> String? {
        for field in value.split(separator: ";").dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            let text = pair[1].trimmingCharacters(in: .whitespaces)
            return text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
        }
        return nil
    }

    private static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> [String: String] {
        var headers: [String: String] = [:]
        for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
            let line = line.last == 13 ? line.dropLast() : line
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw Malformed(reason: "a header line has no ':'") }
            let name = line[..<colon]
            guard !name.isEmpty, name.allSatisfy({ $0 > 32 && $0 < 127 }) else { throw Malformed(reason: "a header name is not a token") }
            guard let value = String(validating: line[line.index(after: colon)...], as: UTF8.self) else {
                throw Malformed(reason: "a header value is not UTF-8")
            }
            headers[String(decoding: name, as: UTF8.self).lowercased()] = value.trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// Where `needle` next occurs in `haystack` from `start` (within `limit` bytes when given);
    /// `atLineStart` also accepts it only at the very start or right after a CRLF.
    private static func find(
        _ needle: [UInt8], in haystack: [UInt8], from start: Int, limit: Int? = nil, atLineStart: Bool = false
    ) -> Int? {
        guard let first = needle.first, start <= haystack.count else { return nil }
        let last = min(haystack.count - needle.count, limit.map { start + $0 } ?? Int.max)
        guard last >= start else { return nil }
        var index = start
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle),
                !atLineStart || index == 0 || (index >= 2 && haystack[index - 2] == 13 && haystack[index - 1] == 10)
            {
                return index
            }
            index += 1
        }
        return nil
    }
}
