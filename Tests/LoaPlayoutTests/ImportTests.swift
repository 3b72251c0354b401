import Foundation
import LoaAudio
import LoaImport
import LoaMedia
import LoaPlayout
import LoaTestSupport
import Testing

/// What a commune receives, made by the `ffmpeg` CLI as phones, Zalo and cameras make it, goes
/// through `AudioImport` into the library, and airs from there sample for sample as libsndfile
/// decodes the FLAC it became. Each test runs on a thread of its own: the imports and real-time
/// playbacks would otherwise hold the test pool's few threads for seconds, starving the
/// timing-sensitive tests of other suites.
@Suite struct ImportTests: Sendable {
    let folder = TemporaryFolder()
    var library: URL { folder.url.appendingPathComponent("audio") }

    /// Half a second of silence, 1.5 s of 440 Hz, half a second of silence.
    static let audio = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1.5", "-af", "adelay=500|500,apad=pad_dur=0.5"]

    static let kinds: [(name: String, arguments: [String], codec: String)] = [
        ("ghi-am-zalo.m4a", audio + ["-c:a", "aac", "-b:a", "96k"], "aac"),
        ("tin-cu.wma", audio + ["-c:a", "wmav2"], "wmav2"),
        ("clip-hop-xom.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2.5"] + audio + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"], "aac"),
        ("clip-zalo.webm", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2.5"] + audio + ["-c:v", "libvpx", "-c:a", "libopus", "-shortest"], "opus"),
        ("tin-nhan.mp3", audio + ["-c:a", "libmp3lame", "-b:a", "64k"], "mp3"),
    ]

    @Test(arguments: kinds.map(\.name))
    func aReceivedFileImportsTrimmedAndAirsAsTheFlacItBecame(name: String) async throws {
        try await offThePool { try self.aReceivedFileImportsTrimmedAndAirsAsTheFlacItBecameBody(name: name) }
    }

    private func aReceivedFileImportsTrimmedAndAirsAsTheFlacItBecameBody(name: String) throws {
        let kind = Self.kinds.first { $0.name == name }!
        let source = try make(name, kind.arguments)
        let imported = try AudioImport.importFile(source, into: library, named: LibraryName.plainStem(of: "Bản tin \(name)"))
        #expect(imported.name.hasSuffix(".flac") && imported.source.hasPrefix(kind.codec), "\(imported.source)")
        #expect(imported.format.container == "FLAC" && imported.format.encoding == "16-bit")
        // The half seconds of silence are trimmed (codec delay may add a few milliseconds).
        #expect(abs(imported.format.duration - 1.6) < 0.12, "\(name): \(imported.format.duration) s")
        #expect(imported.trimmedLeading > 0.3 && imported.trimmedTrailing > 0.3, "\(imported.trimmedLeading), \(imported.trimmedTrailing)")
        #expect((imported.loudness?.integratedLUFS ?? -99) > -40)
        let url = library.appendingPathComponent(imported.name)
        let capture = folder.file("\(name).raw")
        let report = try PreparedPlayback(url: url, device: Capture.device(capture)).play()
        #expect(report.completed && report.negotiated.format.sample == .s16)
        #expect(Capture.int16s(capture) == Reference.int16s(url), "\(name): the capture is the FLAC, sample for sample")
        #expect(try leftovers().isEmpty)
    }

    @Test func anAMRPhoneRecordingImports() async throws {
        try await offThePool { try self.anAMRPhoneRecordingImportsBody() }
    }

    private func anAMRPhoneRecordingImportsBody() throws {
        // AMR-NB as phones store it: the magic, then 12.2 kbit/s frames (no encoder ships with
        // Debian's ffmpeg, so the frames are bits that decode to a sound).
        var generator = SystemRandomNumberGenerator()
        var bytes = Array("#!AMR\n".utf8)
        for _ in 0..<100 { bytes += [0x3C] + (0..<31).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let source = folder.file("ghi-am.amr")
        try Data(bytes).write(to: source)
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        let imported = try AudioImport.importFile(source, into: library, named: "ghi-am")
        #expect(imported.source.hasPrefix("amrnb") && imported.format.sampleRate == 8_000 && imported.format.channels == 1, "\(imported.source)")
        let url = library.appendingPathComponent(imported.name)
        let capture = folder.file("amr.raw")
        _ = try PreparedPlayback(url: url, device: Capture.device(capture)).play()
        #expect(Capture.int16s(capture) == Reference.int16s(url))
    }

    /// A damaged or hostile file is refused with the reason, and nothing is left in the library.
    @Test func badFilesAreRefusedAndLeaveNothingBehind() async throws {
        try await offThePool { try self.badFilesAreRefusedAndLeaveNothingBehindBody() }
    }

    private func badFilesAreRefusedAndLeaveNothingBehindBody() throws {
        let clip = try make("clip.mp4", Self.kinds[2].arguments)
        let whole = try Data(contentsOf: clip)
        let truncated = folder.file("cut.mp4")
        try whole.prefix(whole.count * 6 / 10).write(to: truncated)
        let text = folder.file("tin-nhan.m4a")
        try Data("đây không phải là âm thanh".utf8).write(to: text)
        let silent = try make("im-lang.m4a", ["-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono:d=1", "-c:a", "aac"])
        let picture = try make("chi-hinh.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
        // A playlist that points at another file: FFmpeg's hls demuxer is not allowed to follow it.
        let playlist = folder.file("danh-sach.m4a")
        try Data("#EXTM3U\n#EXTINF:1,\n\(clip.path)\n".utf8).write(to: playlist)
        for (file, kind) in [(truncated, MediaError.Kind.unreadable), (text, .unreadable), (silent, .silent), (picture, .noAudio), (playlist, .unreadable)] {
            do throws(MediaError) {
                let imported = try AudioImport.importFile(file, into: library, named: "x")
                Issue.record("\(file.lastPathComponent) was imported as \(imported.name)")
            } catch {
                #expect(error.kind == kind, "\(file.lastPathComponent): \(error)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path).isEmpty, "nothing kept, nothing half-written")
    }

    @Test func namesAreSafeAndNeverReplaceAFile() async throws {
        try await offThePool { try self.namesAreSafeAndNeverReplaceAFileBody() }
    }

    private func namesAreSafeAndNeverReplaceAFileBody() throws {
        #expect(LibraryName.plainStem(of: "Thông báo  Lịch tiêm!") == "thông-báo-lịch-tiêm")
        #expect(LibraryName.sanitized("../../Ghi âm Zalo.M4A", extensions: AudioImport.extensions)! == ("ghi-âm-zalo", "m4a"))
        #expect(LibraryName.sanitized("chay.sh", extensions: AudioImport.extensions) == nil)
        let source = try make("a.m4a", Self.audio + ["-c:a", "aac"])
        let first = try AudioImport.importFile(source, into: library, named: "tin")
        let second = try AudioImport.importFile(source, into: library, named: "tin")
        #expect(first.name == "tin.flac" && second.name == "tin-2.flac")
    }

    private func make(_ name: String, _ arguments: [String]) throws -> URL {
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        let out = folder.file(name)
        try FFmpegCLI.run(arguments, output: out)
        return out
    }

    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: library.path).filter { $0.hasPrefix(".") }
    }
}
