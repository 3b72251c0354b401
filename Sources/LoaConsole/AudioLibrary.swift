import Foundation
import Hummingbird
import LoaAudio
import LoaImport
import LoaModel
import LoaPlayout
import LoaSystem

/// The station's audio library as the console sees it: the files it may offer, uploads checked
/// by decoding them (never trusted by name), and files served for listening in the browser.
struct AudioLibrary {
    /// What libsndfile decodes, and the library keeps as it is.
    static let extensions = ["wav", "mp3", "flac", "ogg"]
    let folder: URL

    init(station: Station) { folder = station.audioLibrary }

    var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { Self.extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".") }
            .map { $0.precomposedStringWithCanonicalMapping }
            .sorted()
    }

    /// A file of the library by the name a page used, or nil for anything outside it.
    func file(named name: String) -> URL? {
        guard Self.isPlainName(name) else { return nil }
        let url = AudioPath.resolve(name, in: folder)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && name != ".."
    }

    /// Stores an upload: written under a temporary name, then kept as it is when libsndfile
    /// decodes it to its end (a WAV stays bit for bit), or made into FLAC by the import (a phone
    /// recording, a video clip); renamed into place only when whole, beside an existing file of
    /// that name, never over it.
    func store(_ data: ByteBuffer, sentName: String) throws -> (name: String, format: AudioFormat, loudness: LoudnessMeasurement?) {
        guard let name = LibraryName.sanitized(sentName, extensions: AudioImport.extensions) else {
            throw ConsoleError.invalid(
                "Tên tệp '\(sentName)' không dùng được: cần một tệp âm thanh hoặc video (WAV, MP3, FLAC, OGG, M4A, AMR, WMA, MP4, WebM...).")
        }
        let temporary = folder.appendingPathComponent(".upload-\(ConsoleStore.randomToken()).\(name.extension)")
        do {
            try DurableFile.write(Data(buffer: data), to: temporary.path)
        } catch {
            throw ConsoleError.invalid("Không ghi được vào thư viện âm thanh \(folder.path): \(error)")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        if Self.extensions.contains(name.extension), let format = try? AudioFile.probe(url: temporary) {
            let final = LibraryName.unused("\(name.stem).\(name.extension)", in: folder)
            let destination = folder.appendingPathComponent(final)
            do {
                try DurableFile.move(temporary.path, to: destination.path)
            } catch {
                throw ConsoleError.invalid("Không ghi được vào thư viện âm thanh \(folder.path): \(error)")
            }
            return (final, format, try? Loudness.measure(destination))
        }
        do {
            let imported = try AudioImport.importFile(temporary, into: folder, named: name.stem)
            return (imported.name, imported.format, imported.loudness)
        } catch {
            throw ConsoleError.invalid("Tệp '\(sentName)': \(error.vietnamese).")
        }
    }

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "mp3": "audio/mpeg"
        case "flac": "audio/flac"
        case "ogg": "audio/ogg"
        default: "audio/wav"
        }
    }
}

extension Console {
    func addAudioRoutes(to router: Router<ConsoleContext>) {
        router.get("/am-thanh/tep/{name}") { _, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let name = try context.parameters.require("name").removingPercentEncoding ?? ""
            guard let url = AudioLibrary(station: station).file(named: name), let data = FileManager.default.contents(atPath: url.path)
            else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: AudioLibrary.contentType(of: name)],
                body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }
}

/// The file a form carried: the name the browser sent and its bytes.
public struct UploadedFile: Sendable {
    public var name: String
    public var data: ByteBuffer

    /// The first part with a file name; a browser sends an empty one when no file was chosen.
    static func first(in parts: [MultipartForm.Part]) -> UploadedFile? {
        for part in parts {
            guard let disposition = part.headers["content-disposition"], let name = MultipartForm.parameter("filename", in: disposition)
            else { continue }
            return name.isEmpty && part.body.isEmpty ? nil : UploadedFile(name: name, data: ByteBuffer(bytes: part.body))
        }
        return nil
    }
}
