import Foundation
import LoaModel
import LoaTestSupport
import Testing

/// A nhạc hiệu may carry the title the operator's pages and reports show; a file's name has lost
/// its marks, so without one a page says it is a file.
@Suite struct JingleTitleTests {
    func folder(opening: String) -> StationFolder {
        StationFolder(station: StationFolder.station.replacingOccurrences(of: "    end: \"17:10\"\n", with: "    end: \"17:10\"\n    opening: \(opening)\n"))
    }

    @Test func aTitledNhacHieuIsCalledByItsTitleAndAnUntitledOneByItsFile() throws {
        let titled = folder(opening: "{audio: mo-dau.wav, title: Nhạc hiệu mở đầu}")
        #expect(titled.check().diagnostics.isEmpty, "\(titled.check().shortDiagnostics)")
        let station = try #require(StationLoader.load(folder: titled.path).station)
        #expect(StationNames(station).message("mo-dau", of: nil) == "Nhạc hiệu mở đầu")
        let untitled = folder(opening: "mo-dau.wav")
        let plain = try #require(StationLoader.load(folder: untitled.path).station)
        #expect(StationNames(plain).message("mo-dau", of: nil) == "tệp mo-dau")
    }

    @Test func aNhacHieuWithoutItsFileOrWithAStrayKeyIsNamedAtItsLine() throws {
        for opening in ["{title: Nhạc hiệu}", "{audio: mo-dau.wav, tieu-de: x}"] {
            let checked = folder(opening: opening).check()
            let error = try #require(checked.diagnostics.first, "\(opening)")
            #expect(error.location.file.hasSuffix("station.yaml") && error.location.line > 1, "\(opening): \(error)")
        }
    }
}
