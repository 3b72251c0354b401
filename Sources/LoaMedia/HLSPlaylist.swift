import Foundation

/// An HLS playlist (RFC 8216) as far as a relay needs it: a master playlist's choices, or a
/// media playlist's segments, each with its place in the stream (media sequence, discontinuity
/// sequence, program date-time) so that a relay knows which of the source's seconds it holds.
/// Pure: text in, value or a located error out.
public enum HLSPlaylist: Equatable, Sendable {
    case master(HLSMaster)
    case media(HLSMediaPlaylist)

    /// What a playlist may hold, so a hostile server cannot make a relay parse without end.
    public static let maximumBytes = 1 << 20
    public static let maximumSegments = 10_000
    public static let maximumURILength = 4096
    /// The longest segment or target duration taken (seconds).
    public static let maximumDuration = 600.0

    /// Reads playlist text; `base` resolves its relative URIs.
    public static func parse(_ bytes: [UInt8], base: URL) throws(HLSPlaylistError) -> HLSPlaylist {
        guard bytes.count <= maximumBytes else { throw HLSPlaylistError(line: 0, detail: "longer than \(maximumBytes) bytes") }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first.map({ $0.hasPrefix("#EXTM3U") }) == true else {
            throw HLSPlaylistError(line: 1, detail: "not an HLS playlist (no #EXTM3U)")
        }
        var parser = Parser(base: base)
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            try parser.take(line, number: index + 1)
        }
        return try parser.finish()
    }

    private struct Parser {
        let base: URL
        var variants: [HLSMaster.Variant] = []
        var audio: [HLSMaster.Rendition] = []
        var pendingVariant: (bandwidth: Int, audioGroup: String?)?
        var targetDuration: Double?
        var mediaSequence = 0
        var discontinuitySequence = 0
        var ended = false
        var segments: [HLSSegment] = []
        var pendingDuration: Double?
        var pendingDiscontinuity = false
        var pendingDate: Date?
        var map: String?
        var encryption: String?
        var sawMediaSequence = false

        init(base: URL) { self.base = base }

        mutating func take(_ line: String, number: Int) throws(HLSPlaylistError) {
            func fail(_ detail: String) -> HLSPlaylistError { HLSPlaylistError(line: number, detail: detail) }
            guard line.hasPrefix("#") else {
                let uri = try resolve(line, number: number)
                if let variant = pendingVariant {
                    variants.append(.init(uri: uri, bandwidth: variant.bandwidth, audioGroup: variant.audioGroup))
                    pendingVariant = nil
                    return
                }
                guard let duration = pendingDuration else { throw fail("a segment URI without #EXTINF before it") }
                guard segments.count < HLSPlaylist.maximumSegments else { throw fail("more than \(HLSPlaylist.maximumSegments) segments") }
                if pendingDiscontinuity { discontinuitySequence += 1 }
                let date = pendingDate ?? segments.last.flatMap { previous in
                    // A date runs on from the segment before it, unless a discontinuity breaks it.
                    pendingDiscontinuity ? nil : previous.programDateTime?.addingTimeInterval(previous.duration)
                }
                segments.append(
                    HLSSegment(
                        sequence: mediaSequence + segments.count, discontinuity: discontinuitySequence, uri: uri, duration: duration,
                        programDateTime: date, map: map, encryption: encryption))
                pendingDuration = nil
                pendingDiscontinuity = false
                pendingDate = nil
                return
            }
            let (tag, value) = Self.split(line)
            switch tag {
            case "#EXT-X-STREAM-INF":
                let attributes = Self.attributes(value)
                guard let bandwidth = attributes["BANDWIDTH"].flatMap(Int.init), bandwidth >= 0 else {
                    throw fail("#EXT-X-STREAM-INF without a BANDWIDTH")
                }
                pendingVariant = (bandwidth, attributes["AUDIO"])
            case "#EXT-X-MEDIA":
                let attributes = Self.attributes(value)
                guard attributes["TYPE"] == "AUDIO", let uri = attributes["URI"] else { return }
                audio.append(
                    .init(uri: try resolve(uri, number: number), group: attributes["GROUP-ID"] ?? "", isDefault: attributes["DEFAULT"] == "YES"))
            case "#EXT-X-TARGETDURATION":
                targetDuration = try Self.duration(value, number: number)
            case "#EXT-X-MEDIA-SEQUENCE":
                guard segments.isEmpty else { throw fail("#EXT-X-MEDIA-SEQUENCE after the first segment") }
                guard let sequence = Int(value), (0...(1 << 53)).contains(sequence) else { throw fail("a media sequence that is not a whole number") }
                mediaSequence = sequence
                sawMediaSequence = true
            case "#EXT-X-DISCONTINUITY-SEQUENCE":
                guard segments.isEmpty else { throw fail("#EXT-X-DISCONTINUITY-SEQUENCE after the first segment") }
                guard let sequence = Int(value), (0...(1 << 53)).contains(sequence) else {
                    throw fail("a discontinuity sequence that is not a whole number")
                }
                discontinuitySequence = sequence
            case "#EXTINF":
                let duration = value.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
                pendingDuration = try Self.duration(duration, number: number)
            case "#EXT-X-DISCONTINUITY":
                pendingDiscontinuity = true
            case "#EXT-X-PROGRAM-DATE-TIME":
                guard let date = Self.date(value) else { throw fail("a program date-time that is not an ISO 8601 date: \(value.prefix(40))") }
                pendingDate = date
            case "#EXT-X-MAP":
                guard let uri = Self.attributes(value)["URI"] else { throw fail("#EXT-X-MAP without a URI") }
                map = try resolve(uri, number: number)
            case "#EXT-X-KEY":
                let method = Self.attributes(value)["METHOD"] ?? "NONE"
                encryption = method == "NONE" ? nil : method
            case "#EXT-X-ENDLIST":
                ended = true
            default:
                break  // Tags a relay has no use for (versions, byte ranges are refused below).
            }
            if tag == "#EXT-X-BYTERANGE" { throw fail("byte-range segments are not supported") }
        }

        func finish() throws(HLSPlaylistError) -> HLSPlaylist {
            if !variants.isEmpty || !audio.isEmpty {
                guard segments.isEmpty else { throw HLSPlaylistError(line: 0, detail: "both variant streams and segments") }
                return .master(HLSMaster(variants: variants, audio: audio))
            }
            guard let targetDuration else { throw HLSPlaylistError(line: 0, detail: "a media playlist without #EXT-X-TARGETDURATION") }
            return .media(HLSMediaPlaylist(targetDuration: targetDuration, ended: ended, segments: segments))
        }

        func resolve(_ uri: String, number: Int) throws(HLSPlaylistError) -> String {
            guard uri.utf8.count <= HLSPlaylist.maximumURILength, let url = URL(string: uri, relativeTo: base), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host?.isEmpty == false, url.absoluteString.lowercased().hasPrefix("\(scheme)://")
            else { throw HLSPlaylistError(line: number, detail: "a URI that is not http(s) or is longer than \(HLSPlaylist.maximumURILength)") }
            return url.absoluteString
        }

        static func split(_ line: String) -> (String, String) {
            guard let colon = line.firstIndex(of: ":") else { return (line, "") }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]))
        }

        static func duration(_ text: String, number: Int) throws(HLSPlaylistError) -> Double {
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0,
                value <= HLSPlaylist.maximumDuration
            else { throw HLSPlaylistError(line: number, detail: "a duration that is not 0-\(Int(HLSPlaylist.maximumDuration)) s: \(text.prefix(40))") }
            return value
        }

        /// `KEY=value,KEY="quoted, value"` attribute lists.
        static func attributes(_ text: String) -> [String: String] {
            var result: [String: String] = [:]
            var rest = Substring(text)
            while let equals = rest.firstIndex(of: "=") {
                let key = rest[..<equals].trimmingCharacters(in: .whitespaces)
                rest = rest[rest.index(after: equals)...]
                let value: Substring
                if rest.first == "\"" {
                    let body = rest.dropFirst()
                    let close = body.firstIndex(of: "\"") ?? body.endIndex
                    value = body[..<close]
                    rest = close < body.endIndex ? body[body.index(after: close)...] : body[close...]
                } else {
                    let comma = rest.firstIndex(of: ",") ?? rest.endIndex
                    value = rest[..<comma]
                    rest = rest[comma...]
                }
                result[key] = String(value)
                if rest.first == "," { rest = rest.dropFirst() }
            }
            return result
        }

        static func date(_ text: String) -> Date? {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.date(from: text)
        }
    }
}

/// A master playlist: the variant streams and the audio renditions a relay may follow.
public struct HLSMaster: Equatable, Sendable {
    public struct Variant: Equatable, Sendable {
        public var uri: String
        public var bandwidth: Int
        public var audioGroup: String?
    }
    public struct Rendition: Equatable, Sendable {
        public var uri: String
        public var group: String
        public var isDefault: Bool
    }
    public var variants: [Variant]
    public var audio: [Rendition]

    /// What a relay plays: an audio-only rendition when there is one (the default first), else
    /// the variant of least bandwidth (a commune's line is slow, and loudspeakers need no video).
    public var choice: String? {
        audio.first(where: \.isDefault)?.uri ?? audio.first?.uri ?? variants.min { $0.bandwidth < $1.bandwidth }?.uri
    }
}

/// A media playlist: its segments in order, and whether it has ended (a VOD or a closed event).
public struct HLSMediaPlaylist: Equatable, Sendable {
    public var targetDuration: Double
    public var ended: Bool
    public var segments: [HLSSegment]
}

/// One segment and its place in the stream.
public struct HLSSegment: Equatable, Sendable {
    public var sequence: Int
    public var discontinuity: Int
    public var uri: String
    public var duration: Double
    public var programDateTime: Date?
    /// The initialisation section (fragmented MP4) that must come before it.
    public var map: String?
    /// The encryption method, when it is encrypted.
    public var encryption: String?

    /// Whether this segment comes after `other` in the stream: by program date-time where both
    /// have one, else by media sequence within one discontinuity sequence.
    public func isAfter(_ other: HLSSegment) -> Bool {
        if let mine = programDateTime, let theirs = other.programDateTime { return mine > theirs.addingTimeInterval(0.001) }
        return (discontinuity, sequence) > (other.discontinuity, other.sequence)
    }
}

public struct HLSPlaylistError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var detail: String
    public var description: String { line > 0 ? "playlist line \(line): \(detail)" : "playlist: \(detail)" }
}
