import ArgumentParser
import Foundation
import LoaFrontend
import LoaImport
import LoaModel

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode received files (M4A/AAC, AMR, WMA, MP3, MP4/MOV/WebM video) into the station's audio library.",
        discussion: """
            Each file's audio track is decoded by FFmpeg, leading and trailing silence (below -50 dBFS) \
            is trimmed, and it is written as 16-bit FLAC under a safe name (never over a file already \
            there), decoded again to its end and measured for loudness. A file that cannot be read \
            leaves nothing in the library.
            """)

    @OptionGroup var options: StationOptions

    @Argument(help: "Files to import.", completion: .file())
    var files: [String]

    @Option(help: "The name to give the file (one file only): 'Thông báo lịch tiêm' becomes thong-bao-lich-tiem.flac.")
    var title: String?

    func validate() throws {
        if title != nil, files.count != 1 { throw ValidationError("--title names one file; give one file with it") }
        if files.count > 200 { throw ValidationError("at most 200 files at a time") }
    }

    func run() throws {
        let checked = try options.loadRunnable()
        let library = checked.station.audioLibrary
        var failed = false
        for file in files {
            let url = URL(fileURLWithPath: file)
            let stem = title.map { LibraryName.plainStem(of: $0) } ?? LibraryName.plainStem(of: url.deletingPathExtension().lastPathComponent)
            do {
                let imported = try AudioImport.importFile(url, into: library, named: stem)
                let lufs = imported.loudness.map { String(format: "%.1f LUFS", $0.integratedLUFS) } ?? "not measured"
                print(
                    "\(file): \(imported.source) -> \(library.appendingPathComponent(imported.name).path): \(imported.format.summary), "
                        + String(format: "%.1f s, trimmed %.1f s + %.1f s of silence, loudness ", imported.format.duration,
                            imported.trimmedLeading, imported.trimmedTrailing) + lufs)
            } catch {
                Terminal.printError("error: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
