import Foundation
import LoaPlayout
import LoaTestSupport
import Testing

@Suite struct LoudnessTests {
    let folder = TemporaryFolder()

    @Test func measuresASineAsEBUR128Says() throws {
        // A full-scale 1 kHz sine reads -3.01 LUFS (BS.1770's -0.691 offsets the K-filter's gain at
        // 1 kHz), so one peaking at 0.5 (-6.02 dB) reads -9.03 LUFS.
        let tone = AudioFixture.tone(folder.file("sine.wav"), seconds: 5, rate: 48_000, frequency: 1000)
        let measured = try Loudness.measure(tone)
        #expect(abs(measured.integratedLUFS - -9.03) < 0.1, "\(measured)")
        #expect(abs(measured.samplePeak - 0.5) < 0.001)
    }

    @Test func normalisingReachesTheTargetButNeverClips() {
        let loud = LoudnessMeasurement(integratedLUFS: -9.7, samplePeak: 0.5)
        #expect(abs(20 * log10(loud.normalizingGain(toward: -16)) - -6.3) < 1e-9)
        // +6.7 dB is wanted, but a 0.5 peak may only rise to -1 dBFS: 0.891 / 0.5.
        #expect(abs(loud.normalizingGain(toward: -3) - pow(10, -1.0 / 20) / 0.5) < 1e-12)
        #expect(LoudnessMeasurement(integratedLUFS: -999, samplePeak: 0).normalizingGain(toward: -16) == 1)
    }

    @Test func normalisedPlaybackRisesTowardTheTargetWithoutClipping() throws {
        let quiet = AudioFixture.tone(folder.file("quiet.wav"), seconds: 2, rate: 16_000, frequency: 1000)
        let capture = folder.file("out.raw")
        let loudness = try Loudness.measure(quiet)
        let report = try PreparedPlayback(
            url: quiet, device: Capture.device(capture), options: PlayoutOptions(loudnessTarget: -3),
            loudness: loudness
        ).play()
        let peak = Capture.int16s(capture).map { abs(Int($0)) }.max() ?? 0
        #expect(report.gain > 1)
        // -1 dBFS, give or take the half step of rounding to a sample.
        #expect(Double(peak) <= pow(10, -1.0 / 20) * 32_768 + 0.5)
        #expect(Double(peak) > 0.85 * 32_768)
    }

    @Test func cacheIsKeyedByContentNotName() throws {
        let tone = AudioFixture.tone(folder.file("a.wav"), seconds: 1, rate: 16_000)
        let cacheFile = folder.file("cache/loudness.json")
        let first = try LoudnessCache(file: cacheFile).measurement(for: tone)
        let hash = try LoudnessCache.contentHash(of: tone)
        #expect(hash.count == 64)
        let stored = try JSONDecoder().decode([String: LoudnessMeasurement].self, from: Data(contentsOf: cacheFile))
        #expect(stored == [hash: first])

        // A planted value proves a later lookup reads the cache instead of measuring again,
        // and finds it for a copy of the file under another name.
        let planted = LoudnessMeasurement(integratedLUFS: -42, samplePeak: 0.25)
        try JSONEncoder().encode([hash: planted]).write(to: cacheFile)
        let copy = folder.file("renamed.wav")
        try FileManager.default.copyItem(at: tone, to: copy)
        #expect(try LoudnessCache(file: cacheFile).measurement(for: copy) == planted)
    }
}
