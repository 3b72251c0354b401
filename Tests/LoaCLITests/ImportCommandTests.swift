import Foundation
import LoaTestSupport
import Testing

/// `loa import` as the engineer runs it: a Zalo recording into the station's library, a bad file
/// refused with exit 1 and nothing left behind.
@Suite struct ImportCommandTests {
    @Test func aRecordingIsImportedIntoTheStationsLibrary() async throws {
        let copy = try CheckAndPlanTests.copyOfExample()
        let recording = copy.file("ghi-am.m4a")
        let made = try ExternalTool.run(
            "/usr/bin/ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=1.5", "-af", "adelay=400", "-c:a", "aac", recording.path])
        #expect(made.status == 0)
        let library = copy.url.appendingPathComponent("audio")
        let result = try await offThePool { try LoaProcess.run(["import", copy.path, recording.path, "--title", "Thông báo lịch tiêm"]) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("aac in mov,mp4,m4a,3gp,3g2,mj2 -> \(library.path)/thông-báo-lịch-tiêm.flac: FLAC 16-bit, 44100 Hz, mono"), "\(result.stdout)")
        #expect(result.stdout.contains("trimmed 0.4 s"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: library.appendingPathComponent("thông-báo-lịch-tiêm.flac").path))
        let probed = try await offThePool { try LoaProcess.run(["probe", library.appendingPathComponent("thông-báo-lịch-tiêm.flac").path]) }
        #expect(probed.status == 0)

        let before = try FileManager.default.contentsOfDirectory(atPath: library.path).sorted()
        let text = copy.file("tin.m4a")
        try Data("không phải âm thanh".utf8).write(to: text)
        let refused = try await offThePool { try LoaProcess.run(["import", copy.path, text.path]) }
        #expect(refused.status == 1 && refused.stderr.contains("error: \(text.path): not an audio or video file FFmpeg can read"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path).sorted() == before, "nothing left in the library")
        let two = try await offThePool { try LoaProcess.run(["import", copy.path, text.path, recording.path, "--title", "x"]) }
        #expect(two.status == 64 && two.stderr.contains("--title names one file"))
    }
}
