import Foundation
import LoaAudio
import LoaConsole
import LoaControl
import LoaImport
import LoaMedia
import LoaModel

/// The parsers that take bytes from outside, each as a fuzz target: any input must give a value
/// or a clear, located error, never a trap, a hang or an unlocated diagnostic. A finding stops
/// the process (libFuzzer then keeps the input as `crash-<sha1>`).
enum FuzzTarget: String, CaseIterable {
    /// station.yaml or a campaign file: the first byte picks which, the rest is the YAML.
    case loader
    /// A spool file of `loa announce`.
    case spool
    /// An urlencoded form body.
    case form
    /// A multipart upload: the first line is the Content-Type, the rest the body.
    case multipart
    /// An audio file, probed as `loa check` and the console's upload do.
    case probe
    /// A received file (M4A, AMR, WMA, a video...), imported through FFmpeg as `loa import` does.
    case `import`
    /// An HLS playlist, as a relay source's server sends it.
    case playlist
    /// A live broadcast's message, as a browser sends it over the console's WebSocket (and the
    /// console to the daemon's live socket).
    case live

    static let scratch: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("loa-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url.appendingPathComponent("campaigns"), withIntermediateDirectories: true)
        return url
    }()

    static let validStation = """
        station: {name: Đài thử}
        channels: [{id: fm, kind: fm, name: FM, device: "null"}]
        relay-sources: [{id: vov1, name: VOV1, url: "https://stream.vov.vn/vov1/playlist.m3u8"}]
        sessions: [{id: sang, name: Sáng, start: "05:30", end: "06:00", channels: all}]
        """

    func run(_ bytes: [UInt8]) {
        switch self {
        case .loader: Self.load(bytes)
        case .spool: _ = AnnouncementSpool.decode(Data(bytes))
        case .form: _ = try? FormFields(urlEncoded: bytes)
        case .multipart:
            let split = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let type = String(decoding: bytes[..<split], as: UTF8.self)
            let body = split < bytes.endIndex ? Array(bytes[bytes.index(after: split)...]) : []
            _ = try? Console.multipartForm(body, contentType: type)
        case .probe:
            let file = Self.scratch.appendingPathComponent("input.audio")
            _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
            if case .playable(let facts) = AudioProbing.probe(file) {
                guard facts.duration.isFinite, facts.duration > 0 else { fatalError("probe: a playable file with duration \(facts.duration)") }
            }
        case .playlist: Self.playlist(bytes)
        case .live: Self.live(bytes)
        case .import:
            let file = Self.scratch.appendingPathComponent("input.media")
            let library = Self.scratch.appendingPathComponent("library")
            try? FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
            if let imported = try? AudioImport.importFile(file, into: library, named: "x") {
                guard imported.format.duration.isFinite, imported.format.duration > 0 else {
                    fatalError("import: an imported file with duration \(imported.format.duration)")
                }
                try? FileManager.default.removeItem(at: library.appendingPathComponent(imported.name))
            }
            // Nothing half-written is ever left.
            if let left = try? FileManager.default.contentsOfDirectory(atPath: library.path), !left.isEmpty {
                fatalError("import: left \(left) in the library")
            }
        }
    }

    private static func playlist(_ bytes: [UInt8]) {
        let base = URL(string: "http://127.0.0.1/live/vov1.m3u8")!
        let lines = bytes.split(omittingEmptySubsequences: false) { $0 == 0x0A || $0 == 0x0D }.count
        do {
            guard case .media(let media) = try HLSPlaylist.parse(bytes, base: base) else { return }
            // Each segment's place follows the one before it, and every URI is an absolute http(s) one.
            for (previous, segment) in zip(media.segments, media.segments.dropFirst()) where segment.sequence != previous.sequence + 1 {
                fatalError("playlist: sequence \(segment.sequence) after \(previous.sequence)")
            }
            for segment in media.segments where !(segment.uri.lowercased().hasPrefix("http://") || segment.uri.lowercased().hasPrefix("https://")) {
                fatalError("playlist: a segment URI \(segment.uri)")
            }
        } catch {
            guard (0...lines).contains(error.line) else { fatalError("playlist: an error at line \(error.line) of \(lines)") }
        }
    }

    /// A message parses or says why; what parses encodes back to its bytes, and a start's JSON
    /// gives a start within its bounds or a reason.
    private static func live(_ bytes: [UInt8]) {
        guard let frame = try? LiveFrame.parse(Data(bytes)) else { return }
        guard frame.encoded == Data(bytes) else { fatalError("live: \(frame) does not encode back to its bytes") }
        if case .start(let json) = frame, case .success(let start) = LiveStart.decode(json), let problem = start.problem() {
            fatalError("live: a start decoded with a problem: \(problem)")
        }
    }

    private static func load(_ bytes: [UInt8]) {
        let folder = scratch
        let text = Data(bytes.dropFirst())
        let stationFile = folder.appendingPathComponent(StationLoader.stationFile)
        let campaignFile = folder.appendingPathComponent("campaigns/c.yaml")
        if bytes.first.map({ $0 & 1 == 0 }) ?? true {
            _ = FileManager.default.createFile(atPath: stationFile.path, contents: text)
            try? FileManager.default.removeItem(at: campaignFile)
        } else {
            _ = FileManager.default.createFile(atPath: stationFile.path, contents: Data(validStation.utf8))
            _ = FileManager.default.createFile(atPath: campaignFile.path, contents: text)
        }
        // Lines as YAML counts them: CR, LF, CRLF and the Unicode line breaks all end one.
        let lines = String(decoding: text, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count
        let checked = CheckedStation.check(folder: folder.path) { _ in .unplayable(.missing) }
        for diagnostic in checked.diagnostics {
            guard diagnostic.location.file.hasPrefix(folder.path), (1...lines + 1).contains(diagnostic.location.line),
                diagnostic.location.column >= 1
            else { fatalError("loader: unlocated diagnostic \(diagnostic)") }
        }
        _ = checked.runnable
    }
}

#if LOA_FUZZ
/// libFuzzer's driver, which `-sanitize=fuzzer` links in; SwiftPM names the executable's own
/// `main`, so the driver is started from it rather than taking its place.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target is named by LOA_FUZZ_TARGET.
private let selected = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["LOA_FUZZ_TARGET"] ?? "") ?? {
    fatalError("set LOA_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
}()

/// The entry point libFuzzer's runtime expects to find, even when its driver is called by hand.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@main
struct Fuzz {
    static func main() {
        _ = selected
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
/// Without libFuzzer: `loa-fuzz TARGET FILE...` runs inputs through a target, as the test suite
/// does with every committed corpus and regression input.
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: loa-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            target.run(Array(data))
        }
        print("\(arguments.count - 1) input(s) through \(name): no finding")
    }
}
#endif
