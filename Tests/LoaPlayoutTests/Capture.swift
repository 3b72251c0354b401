import CSndFile
import Foundation
import LoaPlayout
import LoaTestSupport

/// ALSA's `file` PCM as a capture device: whatever a player writes lands byte for byte in a file.
enum Capture {
    /// An ALSA config with a device that takes mono only, loaded through ALSA_CONFIG_PATH before
    /// this process makes its first ALSA call (every test here starts by reading this).
    static let environment: Void = {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("loa-test-alsa-\(getpid()).conf")
        let text = """
            pcm.loa_mono_only { type multi slaves.a { pcm "null" channels 1 } bindings.0 { slave a channel 0 } }
            pcm.loa_line_in {
                @args [ INFILE ]
                @args.INFILE { type string }
                type file slave.pcm "null" file "/dev/null" infile $INFILE format "raw"
            }
            """
        try! Data(text.utf8).write(to: config)
        setenv("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:\(config.path)", 1)
    }()

    static func device(_ file: URL) -> String {
        Capture.environment
        return "file:'\(file.path)',raw"
    }

    /// A capture device whose every read comes from `file` (raw S16_LE): a line input in a file.
    static func lineIn(_ file: URL) -> String {
        Capture.environment
        return "loa_line_in:'\(file.path)'"
    }

    static func int16s(_ file: URL) -> [Int16] {
        let data = (try? Data(contentsOf: file)) ?? Data()
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    static func int32s(_ file: URL) -> [Int32] {
        let data = (try? Data(contentsOf: file)) ?? Data()
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
    }
}

/// libsndfile's own decode of a whole file: the reference a capture is compared with.
enum Reference {
    static func int16s(_ url: URL) -> [Int16] { decode(url) { sf_readf_short($0, $1, $2) } }
    static func int32s(_ url: URL) -> [Int32] { decode(url) { sf_readf_int($0, $1, $2) } }
    /// Full scale is 1.0: libsndfile's floating-point path, apart from the integer reads a player uses.
    static func doubles(_ url: URL) -> [Double] { decode(url) { sf_readf_double($0, $1, $2) } }

    private static func decode<Sample: Numeric>(
        _ url: URL, _ read: (OpaquePointer, UnsafeMutablePointer<Sample>, sf_count_t) -> sf_count_t
    ) -> [Sample] {
        var info = SF_INFO()
        let file = sf_open(url.path, Int32(SFM_READ), &info)!
        defer { sf_close(file) }
        let channels = Int(info.channels)
        var all: [Sample] = []
        var chunk = [Sample](repeating: 0, count: 4096 * channels)
        while case let count = Int(chunk.withUnsafeMutableBufferPointer { read(file, $0.baseAddress!, 4096) }), count > 0 {
            all += chunk.prefix(count * channels)
        }
        return all
    }

    /// What the gain stage must produce: round to nearest, saturate.
    static func scaled(_ samples: [Int16], by factor: (Int) -> Double, channels: Int) -> [Int16] {
        samples.enumerated().map { index, sample in
            Int16(min(32_767, max(-32_768, (Double(sample) * factor(index / channels)).rounded())))
        }
    }
}
