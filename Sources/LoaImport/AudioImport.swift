import CSndFile
import Foundation
import LoaAudio
import LoaMedia
import LoaPlayout
import LoaSystem

/// What an import did: the file it wrote into the library, and how.
public struct ImportedAudio: Sendable {
    public var name: String
    public var format: AudioFormat
    public var loudness: LoudnessMeasurement?
    /// "aac in mov,mp4,m4a,3gp,3g2,mj2"
    public var source: String
    public var trimmedLeading: Double
    public var trimmedTrailing: Double
}

/// Any file a commune receives (phone and Zalo recordings in M4A/AAC or AMR, WMA, the audio of
/// MP4, MOV or WebM clips, MP3) made into library audio: decoded by FFmpeg, leading and trailing
/// silence trimmed, written as 16-bit FLAC under a safe name, decoded again to its end by
/// libsndfile (as everything the station airs is) and measured for loudness. Written under a
/// temporary name and renamed into place only when whole, so a bad file leaves nothing behind.
public enum AudioImport {
    /// Below -50 dBFS is silence for trimming: a phone's noise floor, not speech.
    static let silence: Float = 0.003_16
    /// Kept around the sound, so a trim never clips the first syllable.
    static let marginSeconds = 0.05
    /// Six hours: a whole relay recording, and no more.
    static let maximumSeconds = 6 * 3600

    /// Extensions the console's upload takes: libsndfile's own, and what goes through FFmpeg
    /// (broadcast captures among them: MPEG-TS and -PS, raw MP2, AC-3 and E-AC-3).
    public static let extensions = [
        "wav", "mp3", "flac", "ogg", "m4a", "aac", "mp4", "mov", "3gp", "amr", "wma", "webm", "mkv", "opus",
        "ts", "mts", "m2ts", "mpg", "mpeg", "mp2", "ac3", "eac3",
    ]

    public static func importFile(_ source: URL, into library: URL, named stem: String) throws(MediaError) -> ImportedAudio {
        func fail(_ kind: MediaError.Kind, _ detail: String) -> MediaError { MediaError(kind: kind, path: source.path, detail: detail) }
        // First pass: where the sound starts and ends.
        let probe = try MediaDecoder(path: source.path)
        let limit = maximumSeconds * probe.sampleRate
        var frame = 0, first: Int?, last = 0
        try probe.decode(maximumFrames: limit) { (samples) throws(MediaError) in
            for index in stride(from: 0, to: samples.count, by: probe.channels) {
                var loud = false
                for channel in 0..<probe.channels where abs(samples[index + channel]) > silence { loud = true }
                if loud {
                    if first == nil { first = frame }
                    last = frame
                }
                frame += 1
            }
        }
        guard let first else { throw fail(.silent, "holds only silence (nothing above -50 dBFS)") }
        let margin = Int(marginSeconds * Double(probe.sampleRate))
        let keep = max(0, first - margin)..<min(frame, last + 1 + margin)

        // Second pass: the kept frames, written as FLAC beside the library's files.
        let temporary = library.appendingPathComponent(".import-\(UUID().uuidString).flac")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let decoder = try MediaDecoder(path: source.path)
        var info = SF_INFO(frames: 0, samplerate: Int32(decoder.sampleRate), channels: Int32(decoder.channels),
            format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), sections: 0, seekable: 0)
        guard let output = sf_open(temporary.path, Int32(SFM_WRITE), &info) else {
            throw fail(.unreadable, "cannot write into the audio library \(library.path): \(String(cString: sf_strerror(nil)))")
        }
        sf_command(output, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        var position = 0
        do throws(MediaError) {
            try decoder.decode(maximumFrames: limit) { (samples) throws(MediaError) in
                let frames = samples.count / decoder.channels
                let from = max(keep.lowerBound, position), to = min(keep.upperBound, position + frames)
                if from < to {
                    let written = sf_writef_float(output, samples.baseAddress! + (from - position) * decoder.channels, sf_count_t(to - from))
                    guard written == to - from else { throw fail(.unreadable, "cannot write into the audio library: \(String(cString: sf_strerror(output)))") }
                }
                position += frames
            }
        } catch {
            sf_close(output)
            throw error
        }
        guard sf_close(output) == 0 else { throw fail(.unreadable, "cannot write into the audio library \(library.path)") }

        let format: AudioFormat
        do {
            format = try AudioFile.probe(url: temporary)
        } catch {
            throw fail(.unreadable, "the FLAC written does not decode again: \(error.detail)")
        }
        let name = LibraryName.unused(stem + ".flac", in: library)
        let destination = library.appendingPathComponent(name)
        do {
            try DurableFile.syncFile(temporary.path)
            try DurableFile.move(temporary.path, to: destination.path)
        } catch {
            throw fail(.unreadable, "cannot write into the audio library \(library.path): \(error)")
        }
        let rate = Double(decoder.sampleRate)
        return ImportedAudio(
            name: name, format: format, loudness: try? Loudness.measure(destination), source: decoder.source,
            trimmedLeading: Double(keep.lowerBound) / rate, trimmedTrailing: Double(frame - keep.upperBound) / rate)
    }
}

/// Names of files in an audio library: safe to store, and never over a file already there.
public enum LibraryName {
    /// The last path component of what was sent, with its stem made plain and one of
    /// `extensions`; nil when no stem or none of `extensions` is left.
    public static func sanitized(_ sent: String, extensions: [String]) -> (stem: String, extension: String)? {
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let parts = last.split(separator: ".", omittingEmptySubsequences: true)
        guard parts.count >= 2, let ext = parts.last?.lowercased(), extensions.contains(ext) else { return nil }
        let stem = plainStem(of: parts.dropLast().joined(separator: "-"))
        return stem.isEmpty ? nil : (stem, ext)
    }

    /// NFC, lower case, anything but letters, digits, '-' and '_' made '-', at most 80
    /// characters: "Thông báo Lịch tiêm!" is `thông-báo-lịch-tiêm`. Vietnamese letters stay,
    /// as the library's names have them.
    public static func plainStem(of text: String) -> String {
        let mapped = text.precomposedStringWithCanonicalMapping.lowercased().map { $0.isLetter || $0.isNumber || "-_".contains($0) ? $0 : "-" }
        let words = String(mapped).split(separator: "-", omittingEmptySubsequences: true)
        return String(words.joined(separator: "-").trimmingCharacters(in: CharacterSet(charactersIn: "_")).prefix(80))
    }

    /// `name`, or `stem-2.ext`, `stem-3.ext`, ... when the library has it already.
    public static func unused(_ name: String, in library: URL) -> String {
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        var candidate = name
        var counter = 2
        while FileManager.default.fileExists(atPath: library.appendingPathComponent(candidate).path) {
            candidate = "\(stem)-\(counter).\(ext)"
            counter += 1
        }
        return candidate
    }
}
