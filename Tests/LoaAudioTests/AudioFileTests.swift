import Foundation
import LoaAudio
import LoaTestSupport
import Testing

@Suite struct AudioFileTests {
    let folder = TemporaryFolder()

    @Test(arguments: [
        (AudioFixture.Kind.wav16, "WAV 16-bit"), (.wav24, "WAV 24-bit"), (.wavFloat, "WAV float"),
        (.flac, "FLAC 16-bit"), (.ogg, "OGG Vorbis"), (.mp3, "MP3 Layer III"),
    ])
    func probesEveryFormatWithItsTrueLength(kind: AudioFixture.Kind, name: String) throws {
        let url = AudioFixture.tone(folder.file("tone-\(name.replacingOccurrences(of: " ", with: "-"))"),
            kind: kind, seconds: 3, rate: 22_050, channels: 2)
        let format = try AudioFile.probe(url: url)
        #expect(format.summary == "\(name), 22050 Hz, stereo")
        // libsndfile decodes MP3 gaplessly: the frame count is the source's, as for the lossless formats.
        #expect(format.frames == 3 * 22_050)
        #expect(abs(format.duration - 3) < 0.001)
    }

    /// What no sound card plays is refused at probing, so `check` and the console's upload refuse it
    /// too, rather than the daemon at air time.
    @Test(arguments: [(7, 1), (3_000_000, 1), (2_147_483_647, 1), (8_000, 256), (8_000, 1_024), (8_000, 9)])
    func shapesNoSoundCardPlaysAreRefused(rate: Int, channels: Int) throws {
        let url = folder.file("shape-\(rate)-\(channels).wav")
        try Self.wavHeader(rate: rate, channels: channels, frames: 64).write(to: url)
        do {
            let format = try AudioFile.probe(url: url)
            Issue.record("probed as playable: \(format.summary)")
        } catch {
            #expect(error.kind == .unsupported || error.kind == .unreadable, "\(error)")
            #expect(error.description.hasPrefix(url.path))
        }
    }

    @Test func theBoundsThemselvesArePlayable() throws {
        for (rate, channels) in [(8_000, 1), (192_000, 8)] {
            let url = folder.file("edge-\(rate)-\(channels).wav")
            try Self.wavHeader(rate: rate, channels: channels, frames: 64).write(to: url)
            #expect(try AudioFile.probe(url: url).frames == 64)
        }
    }

    /// A 16-bit PCM WAV written byte by byte, so any rate and channel count can be declared.
    static func wavHeader(rate: Int, channels: Int, frames: Int) -> Data {
        var data = Data()
        func le(_ value: Int, _ bytes: Int) { for i in 0..<bytes { data.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
        let payload = frames * channels * 2
        data.append(contentsOf: Array("RIFF".utf8)); le(36 + payload, 4); data.append(contentsOf: Array("WAVEfmt ".utf8))
        le(16, 4); le(1, 2); le(channels, 2); le(rate, 4); le(rate &* channels &* 2, 4); le(channels * 2, 2); le(16, 2)
        data.append(contentsOf: Array("data".utf8)); le(payload, 4)
        for i in 0..<(frames * channels) { le((i % 200) * 100, 2) }
        return data
    }

    @Test func missingEmptyTextAndTruncatedFilesFailWithTheirPath() throws {
        let missing = folder.url.appendingPathComponent("khong-co.wav")
        #expect(throws: AudioFileError(kind: .missing, path: missing.path, detail: "no such file")) {
            try AudioFile.probe(url: missing)
        }
        let empty = folder.write("rong.mp3", "")
        #expect(throws: AudioFileError(kind: .empty, path: empty.path, detail: "0 bytes")) {
            try AudioFile.probe(url: empty)
        }
        let text = folder.write("van-ban.mp3", "Đây không phải là âm thanh.\n")
        do {
            _ = try AudioFile.probe(url: text)
            Issue.record("a text file named .mp3 probed as audio")
        } catch {
            #expect(error.path == text.path)
            #expect(error.kind == .unsupported || error.kind == .unreadable)
            #expect(error.description.hasPrefix(text.path + ": "))
        }
        let whole = AudioFixture.tone(folder.file("day-du.wav"), seconds: 2)
        let data = try Data(contentsOf: whole)
        let truncated = folder.file("cut.wav")
        try data.prefix(data.count / 2).write(to: truncated)
        #expect(throws: AudioFileError.self) { try AudioFile.probe(url: truncated) }
        do {
            _ = try AudioFile.probe(url: truncated)
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.detail.contains("truncated"), "\(error)")
        }
    }

    @Test func truncatedMP3IsNotMistakenForAShorterWholeOne() throws {
        let whole = AudioFixture.tone(folder.file("tin.mp3"), kind: .mp3, seconds: 4)
        let data = try Data(contentsOf: whole)
        let truncated = folder.file("tin-cut.mp3")
        try data.prefix(data.count / 3).write(to: truncated)
        do {
            let format = try AudioFile.probe(url: truncated)
            // libsndfile may not know an MP3's length up front; then what decodes must be shorter.
            #expect(format.duration < 2, "a third of an MP3 decoded as \(format.duration) s")
        } catch {
            #expect(error.kind == .unreadable)
        }
    }

    @Test func decodesInChunksToTheSameSamples() throws {
        let url = AudioFixture.tone(folder.file("chunks.wav"), seconds: 1, rate: 8_000)
        let file = try AudioFile(url: url)
        var all: [Int16] = []
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: 333)
        defer { buffer.deallocate() }
        while case let count = try file.read(into: buffer, frames: 333), count > 0 {
            all += UnsafeBufferPointer(start: buffer, count: count)
        }
        #expect(all.count == 8_000)
        let expected = (0..<8_000).map { Int16((0.5 * sin(2 * .pi * 440 * Double($0) / 8_000) * 32_767).rounded()) }
        #expect(zip(all, expected).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
    }
}
