import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body, decoded from its bytes by the
/// WHATWG rules (`+` is a space, `%XX` a byte), never trapping on what a client sends: a body
/// that is not such a form, or whose text is not UTF-8, is refused with a reason (a 400).
public struct FormFields: Sendable {
    /// Bounds on what a form may hold; the console's largest form has a few dozen fields.
    public enum Limits {
        public static let fields = 500
        public static let valueBytes = 256 * 1024
    }

    public struct Malformed: Error, CustomStringConvertible, Equatable {
        public var reason: String
        public var description: String { reason }
    }

    private var values: [String: [String]] = [:]

    public init(urlEncoded bytes: some Collection<UInt8>) throws(Malformed) {
        var count = 0
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            count += 1
            guard count <= Limits.fields else { throw Malformed(reason: "more than \(Limits.fields) fields") }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    /// The text fields of a multipart form: its parts without a file name.
    init(multipart parts: [MultipartForm.Part]) throws(Malformed) {
        for part in parts {
            guard let disposition = part.headers["content-disposition"],
                MultipartForm.parameter("filename", in: disposition) == nil
            else { continue }
            guard let name = MultipartForm.parameter("name", in: disposition) else { throw Malformed(reason: "a part has no name") }
            guard part.body.count <= Limits.valueBytes else { throw Malformed(reason: "a field is longer than \(Limits.valueBytes) bytes") }
            guard let value = String(validating: part.body, as: UTF8.self) else { throw Malformed(reason: "text that is not UTF-8") }
            values[name, default: []].append(value)
        }
    }

    /// The form of a request body, or a 400 that says why not.
    static func parsing(_ body: ByteBuffer) throws(HTTPError) -> FormFields {
        do {
            return try FormFields(urlEncoded: body.readableBytesView)
        } catch {
            throw HTTPError(.badRequest, message: "Biểu mẫu không hợp lệ: \(error.reason)")
        }
    }

    static func parsing(_ parts: [MultipartForm.Part]) throws(HTTPError) -> FormFields {
        do {
            return try FormFields(multipart: parts)
        } catch {
            throw HTTPError(.badRequest, message: "Biểu mẫu không hợp lệ: \(error.reason)")
        }
    }

    public subscript(name: String) -> String? { values[name]?.first }

    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Trimmed, with empty as nil.
    public func text(_ name: String) -> String? {
        let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines)
        return value?.isEmpty == false ? value : nil
    }

    private static func decode(_ encoded: some Collection<UInt8>) throws(Malformed) -> String {
        guard encoded.count <= Limits.valueBytes * 3 else { throw Malformed(reason: "a field is longer than \(Limits.valueBytes) bytes") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            index = encoded.index(after: index)
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard index != encoded.endIndex, let high = hexValue(encoded[index]) else { throw Malformed(reason: "a '%' not followed by two hex digits") }
                index = encoded.index(after: index)
                guard index != encoded.endIndex, let low = hexValue(encoded[index]) else { throw Malformed(reason: "a '%' not followed by two hex digits") }
                index = encoded.index(after: index)
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Malformed(reason: "text that is not UTF-8") }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
