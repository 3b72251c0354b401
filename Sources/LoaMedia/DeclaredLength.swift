import Foundation

/// The length a WAV or ASF (WMA) header declares, which FFmpeg does not pass on: its WAV
/// demuxer clamps the data chunk to the file, and its ASF demuxer reads the length from the
/// packets there are. So a file cut short in transit would decode as a shorter whole one.
enum DeclaredLength {
    /// The header bytes read, at most: a WAV's `fmt ` and `data` chunk headers and an ASF's
    /// File Properties Object come first.
    static let headerBytes = 65_536

    /// Seconds the header of the file at `path` declares, for the container FFmpeg named.
    static func seconds(path: String, container: String) -> Double? {
        guard container == "wav" || container == "asf", let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let header = [UInt8](handle.readData(ofLength: headerBytes))
        return container == "wav" ? wave(header) : asf(header)
    }

    /// RIFF: the `data` chunk's size over the `fmt ` chunk's bytes per second.
    static func wave(_ bytes: [UInt8]) -> Double? {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else { return nil }
        var offset = 12, byteRate: UInt32?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self), size = littleEndian(bytes, offset + 4, 4)
            if id == "fmt ", offset + 20 <= bytes.count { byteRate = UInt32(littleEndian(bytes, offset + 16, 4)) }
            if id == "data" {
                // 0xFFFFFFFF (or 0) is a stream's "unknown": nothing declared.
                guard let byteRate, byteRate > 0, size > 0, size < 0xFFFF_FFFF else { return nil }
                return Double(size) / Double(byteRate)
            }
            offset += 8 + Int(size) + Int(size & 1)
        }
        return nil
    }

    /// ASF: the File Properties Object's play duration (100 ns units) less its preroll (ms).
    static func asf(_ bytes: [UInt8]) -> Double? {
        let fileProperties: [UInt8] = [0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65]
        guard bytes.count >= 30 else { return nil }
        var offset = 30  // past the Header Object's own header
        while offset + 24 <= bytes.count {
            let size = littleEndian(bytes, offset + 16, 8)
            if bytes[offset..<(offset + 16)].elementsEqual(fileProperties), offset + 92 <= bytes.count {
                let play = Double(littleEndian(bytes, offset + 64, 8)) / 10_000_000, preroll = Double(littleEndian(bytes, offset + 80, 8)) / 1000
                // A broadcast (live) ASF's flag says it has no length.
                let broadcast = littleEndian(bytes, offset + 88, 4) & 1 == 1
                return !broadcast && play > preroll ? play - preroll : nil
            }
            guard size >= 24, size < UInt64(bytes.count) else { return nil }
            offset += Int(size)
        }
        return nil
    }

    private static func littleEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }
}
