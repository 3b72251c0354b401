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
        // What broadcasters send: DVB and the province's TV as MPEG-TS or -PS with MP2 audio, raw
        // MP2, AC-3 and E-AC-3.
        ("thoi-su-vtv.ts", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2.5"] + audio + ["-c:v", "mpeg2video", "-c:a", "mp2", "-shortest", "-f", "mpegts"], "mp2"),
        ("chuong-trinh-tinh.mpg", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2.5"] + audio + ["-c:v", "mpeg2video", "-c:a", "mp2", "-shortest", "-f", "vob"], "mp2"),
        ("tiep-song.mp2", audio + ["-c:a", "mp2"], "mp2"),
        ("phat-thanh.ac3", audio + ["-c:a", "ac3"], "ac3"),
        ("phat-thanh.eac3", audio + ["-c:a", "eac3"], "eac3"),
    ]

    /// Seven seconds of speech-like tone, in every container that declares its length; each cut
    /// at a third, two thirds and nine tenths, as a file arrives when a transfer breaks.
    static let declaring: [(name: String, arguments: [String])] = {
        let tone = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=7"]
        let video = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=7"]
        return [
            ("zalo.m4a", tone + ["-c:a", "aac", "-movflags", "+faststart"]),
            ("may-quay.mp4", video + tone + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart"]),
            ("dien-thoai.3gp", tone + ["-ar", "8000", "-c:a", "aac", "-movflags", "+faststart"]),
            ("clip.webm", tone + ["-c:a", "libopus"]),
            ("clip.mkv", tone + ["-c:a", "flac"]),
            ("tin.wma", tone + ["-c:a", "wmav2"]),
            ("tin.mp3", tone + ["-c:a", "libmp3lame", "-b:a", "64k"]),
            ("tin.wav", tone),
            ("tin.flac", tone),
            ("tin.aiff", tone),
        ]
    }()

    /// A file cut short is refused as cut ("tệp bị cắt"), naming what it declares and what
    /// decodes, or as damaged where too little is left to read; never imported as a fragment.
    @Test(arguments: declaring.map(\.name))
    func aFileCutShortIsRefusedNotImportedAsAFragment(name: String) async throws {
        try await offThePool {
            let kind = Self.declaring.first { $0.name == name }!
            let whole = try self.make(name, kind.arguments)
            #expect(throws: Never.self, "\(name) whole") { _ = try AudioImport.importFile(whole, into: self.library, named: "ca-tep") }
            let bytes = try Data(contentsOf: whole)
            for share in [0.33, 0.66, 0.9] {
                let cut = self.folder.file("cut-\(Int(share * 100))-\(name)")
                try bytes.prefix(Int(Double(bytes.count) * share)).write(to: cut)
                do throws(MediaError) {
                    let imported = try AudioImport.importFile(cut, into: self.library, named: "x")
                    Issue.record("\(name) cut at \(share): imported as \(imported.format.duration) s")
                } catch {
                    if case .truncated(let declared, let decoded) = error.kind {
                        #expect(abs(declared - 7) < 0.2 && decoded < declared * share + 0.5, "\(name) at \(share): \(error)")
                        #expect(error.vietnamese.contains("tệp bị cắt") && error.description.contains("declares 7"), "\(error.vietnamese)")
                    } else {
                        #expect(error.kind == .unreadable, "\(name) at \(share): \(error)")
                    }
                }
            }
            let kept = try FileManager.default.contentsOfDirectory(atPath: self.library.path)
            #expect(kept == ["ca-tep.flac"], "only the whole file kept: \(kept)")
        }
    }

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
        let text = folder.file("tin-nhan.m4a")
        try Data("đây không phải là âm thanh".utf8).write(to: text)
        let silent = try make("im-lang.m4a", ["-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono:d=1", "-c:a", "aac"])
        let picture = try make("chi-hinh.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
        // A playlist that points at another file: FFmpeg's hls demuxer is not allowed to follow it.
        let playlist = folder.file("danh-sach.m4a")
        try Data("#EXTM3U\n#EXTINF:1,\n\(clip.path)\n".utf8).write(to: playlist)
        for (file, kind) in [(text, MediaError.Kind.unreadable), (silent, .silent), (picture, .noAudio), (playlist, .unreadable)] {
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
