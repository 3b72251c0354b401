import Foundation
import LoaSystem
import LoaTestSupport
import SystemPackage
import Testing

@Suite struct DurableFileTests {
    let folder = TemporaryFolder()

    @Test func aWriteReplacesTheFileWholeAndLeavesNoTemporaryBehind() throws {
        let path = folder.file("station.yaml").path
        try DurableFile.write(Array("cũ\n".utf8), to: path)
        try DurableFile.write(Array("mới\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mới\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["station.yaml"])
    }

    /// A failure names the call, the file and the errno, and leaves nothing half written.
    @Test func failuresCarryTheCallThePathAndTheErrno() throws {
        let missing = folder.path + "/khong-co/station.yaml"
        #expect {
            try DurableFile.write(Array("x".utf8), to: missing)
        } throws: { error in
            let error = error as! SystemError
            return error.errno == .noSuchFileOrDirectory && error.operation == "create" && error.path.hasPrefix(folder.path + "/khong-co/")
                && "\(error)".contains("No such file or directory")
        }
        let file = folder.write("tep", "x")
        #expect(throws: SystemError("rename \(file.path) to", file.path + "/khong-the", errno: .notDirectory)) {
            try DurableFile.move(file.path, to: file.path + "/khong-the")
        }
        #expect(throws: SystemError("open folder", file.path, errno: .notDirectory)) { try DurableFile.syncFolder(file.path) }
    }

    @Test func aMoveLandsInTheOtherFolder() throws {
        let source = folder.write("spool/a.json", "{}")
        let taken = folder.file("spool/taken/a.json")
        try DurableFile.move(source.path, to: taken.path)
        #expect(!FileManager.default.fileExists(atPath: source.path) && FileManager.default.fileExists(atPath: taken.path))
    }

    @Test func aWatchOfAMissingFolderIsAnErrorNamingIt() {
        #expect(throws: SystemError("watch", folder.path + "/khong-co", errno: .noSuchFileOrDirectory)) {
            try FolderWatch.start([folder.path, folder.path + "/khong-co"], thread: "test") {}
        }
    }
}

@Suite struct StampCacheTests {
    @Test func aValueIsWorkedOutAgainOnlyWhenTheFileChanges() throws {
        let folder = TemporaryFolder()
        let file = folder.write("tin.wav", "một")
        let cache = StampCache<Int>()
        let computed = Counter()
        func size() -> Int? { cache.value(for: file.path) { computed.add(); return (try? Data(contentsOf: URL(fileURLWithPath: $0)))?.count } }
        #expect(size() == 5 && size() == 5)
        #expect(computed.value == 1)
        folder.write("tin.wav", "một hai")
        #expect(size() == 9 && computed.value == 2)
        try FileManager.default.removeItem(at: file)
        #expect(size() == nil && size() == nil && computed.value == 4, "a missing file is asked about every time")
    }

    final class Counter: @unchecked Sendable {
        private(set) var value = 0
        func add() { value += 1 }
    }
}
