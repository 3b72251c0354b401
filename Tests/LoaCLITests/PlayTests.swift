import Foundation
import LoaTestSupport
import Testing

/// `loa play`, `loa probe` and `loa devices` as an operator runs them, through real ALSA PCMs.
@Suite struct PlayTests {
    let folder = TemporaryFolder()

    func device(_ capture: URL) -> String { "file:'\(capture.path)',raw" }

    @Test func playsAFileToADeviceExactlyAndSaysWhatWasNegotiated() throws {
        let source = AudioFixture.tone(folder.file("tin.wav"), seconds: 1, rate: 22_050, channels: 2)
        let capture = folder.file("out.raw")
        let result = try LoaProcess.run(["play", source.path, "--device", device(capture)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("WAV 16-bit, 22050 Hz, stereo -> "))
        #expect(result.stderr.contains("S16_LE 2 ch 22050 Hz"))
        #expect(result.stderr.contains("played: 22050 frames, gain 0.00 dB"))
        #expect(!result.stderr.contains("ALSA lib"), "alsa-lib must not chatter on stderr")
        #expect(try Data(contentsOf: capture) == Data(contentsOf: source).suffix(from: 44))
    }

    @Test func negativeGainIsAccepted() throws {
        let source = AudioFixture.tone(folder.file("tin.wav"), seconds: 0.2, rate: 16_000)
        let result = try LoaProcess.run(["play", source.path, "--device", "null", "--gain-db", "-3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("gain -3.00 dB"))
    }

    @Test func badFilesAndDevicesFailClearlyWithoutHanging() throws {
        let good = AudioFixture.tone(folder.file("tot.wav"), seconds: 0.5, rate: 16_000, channels: 2)
        let whole = try Data(contentsOf: good)
        let truncatedWAV = folder.file("cut.wav")
        try whole.prefix(whole.count / 2).write(to: truncatedWAV)
        let mp3 = AudioFixture.tone(folder.file("tin.mp3"), kind: .mp3, seconds: 3, rate: 44_100)
        let truncatedMP3 = folder.file("cut.mp3")
        try Data(contentsOf: mp3).prefix(600).write(to: truncatedMP3)
        let cases: [(file: String, device: String, says: String)] = [
            (folder.url.appendingPathComponent("khong-co.wav").path, "null", "khong-co.wav: file not found"),
            (folder.write("rong.wav", "").path, "null", "rong.wav: file is empty"),
            (truncatedWAV.path, "null", "cut.wav: cannot be decoded (truncated"),
            (truncatedMP3.path, "null", "cut.mp3: cannot be decoded"),
            (folder.write("van-ban.mp3", "Đây là văn bản, không phải âm thanh.\n").path, "null", "van-ban.mp3: "),
            (folder.write("video.m4a", String(repeating: "\0\0\0 ftypM4A ", count: 40)).path, "null", "video.m4a: unsupported audio format (Format not recognised.)"),
            (good.path, "loa_khong_co_thiet_bi", "ALSA device 'loa_khong_co_thiet_bi': open: No such file or directory"),
        ]
        for (file, device, says) in cases {
            let result = try LoaProcess.run(["play", file, "--device", device])
            #expect(result.status == 1, "\(file) on \(device): \(result.stderr)")
            #expect(result.stderr.contains(says), "\(file): \(result.stderr)")
            #expect(!result.stderr.contains("ALSA lib"))
        }
    }

    @Test func aDeviceThatRefusesTheFormatIsNamed() throws {
        let config = folder.write("asound.conf", """
            pcm.mono_only { type multi slaves.a { pcm "null" channels 1 } bindings.0 { slave a channel 0 } }
            """)
        let stereo = AudioFixture.tone(folder.file("st.wav"), seconds: 0.3, rate: 16_000, channels: 2)
        let environment = ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(config.path)"]
        let refused = try LoaProcess.run(["play", stereo.path, "--device", "mono_only"], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("ALSA device 'mono_only': set format S16_LE 2 ch 16000 Hz: Invalid argument"))
    }

    @Test func probeShowsLoudnessAndPeak() throws {
        let tone = AudioFixture.tone(folder.file("sine.flac"), kind: .flac, seconds: 3, rate: 48_000, frequency: 1000)
        let result = try LoaProcess.run(["probe", tone.path, "--loudness-cache", folder.file("c.json").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("FLAC 16-bit, 48000 Hz, mono, 144000 frames, 3.000 s, loudness -9."))
        #expect(result.stdout.contains("peak -6.0 dBFS"))
    }

    @Test func devicesListsPCMsAndTheStationsChannels() throws {
        let result = try LoaProcess.run(["devices", "--station", CheckAndPlanTests.example])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  null  Discard all samples"))
        #expect(result.stdout.contains("  fm  plughw:CARD=USB,DEV=0  Hệ thống FM xã (Hệ thống FM), gain 0.0 dB"))
    }
}
