import Foundation
import ZIPFoundation

/// The ZIP of XML parts an Office Open XML document is (DOCX, XLSX), written with ZIPFoundation.
enum OfficePackage {
    static func zip(_ parts: [(path: String, text: String)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate,
                provider: { position, size in bytes.subdata(in: Data.Index(position)..<Data.Index(position) + size) })
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }
}
