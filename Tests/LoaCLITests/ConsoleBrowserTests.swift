import Foundation
import LoaTestSupport
import Testing

/// `loa console` as a process, loaded page by page in a real browser (headless Chromium): a page
/// that errors or renders empty fails the test, and a screenshot of each is kept in
/// `.build/console-screenshots/` for a person to look at.
@Suite(.serialized) struct ConsoleBrowserTests {
    static let pages = [
        ("tong-quan", "/", "Tổng quan"), ("hom-nay", "/hom-nay", "Hôm nay"), ("lich-phat", "/lich-phat?ngay=2024-11-25", "Lịch phát"),
        ("chien-dich", "/chien-dich", "Chiến dịch"), ("chien-dich-moi", "/chien-dich/moi", "Soạn chiến dịch mới"),
        ("chien-dich-lua-dao", "/chien-dich/lua-dao-truc-tuyen-2024", "Phòng, chống lừa đảo"), ("phat-khan", "/phat-khan", "Phát khẩn"),
        ("nhat-ky", "/nhat-ky?tu=2024-11-25&den=2024-11-27", "Nhật ký phát"), ("bao-cao", "/bao-cao", "Báo cáo"),
        ("thiet-bi", "/thiet-bi", "Thiết bị"), ("truc-tiep", "/truc-tiep", "Nói trực tiếp"),
        ("duyet-chien-dich", "/chien-dich/chuyen-doi-so-2024", "Hưởng ứng Ngày chuyển đổi số"),
        ("ban-nhap-co-loi", "/chien-dich/thong-bao-loi/sua", "Sửa chiến dịch"),
        ("tiep-song-qdnd", "/chien-dich/tiep-song-qdnd-2024", "Tiếp sóng chương trình kỷ niệm 80 năm"),
        ("sua-tiep-song-qdnd", "/chien-dich/tiep-song-qdnd-2024/sua", "Sửa chiến dịch"),
    ]
    /// What an operator checks on a phone, and what the leader approves there.
    static let phonePages = [
        ("tong-quan", "/"), ("hom-nay", "/hom-nay"), ("phat-khan", "/phat-khan"), ("truc-tiep", "/truc-tiep"), ("thiet-bi", "/thiet-bi"),
        ("nhat-ky", "/nhat-ky?tu=2024-11-25&den=2024-11-27"), ("chien-dich-lua-dao", "/chien-dich/lua-dao-truc-tuyen-2024"),
        ("duyet-chien-dich", "/chien-dich/chuyen-doi-so-2024"), ("ban-nhap-co-loi", "/chien-dich/thong-bao-loi/sua"),
        ("sua-tiep-song-qdnd", "/chien-dich/tiep-song-qdnd-2024/sua"),
    ]
    static let screenshots = LoaProcess.repository.appendingPathComponent(".build/console-screenshots")

    @Test func everyPageLoadsInChromium() async throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("schedules"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CheckAndPlanTests.example, toPath: folder.path + "/schedules/kha-son")
        try FileManager.default.copyItem(at: LoaProcess.repository.appendingPathComponent("audio"), to: folder.url.appendingPathComponent("audio"))
        let station = folder.path + "/schedules/kha-son", log = folder.path + "/kha-son.sqlite"
        let simulated = try await offThePool { try LoaProcess.run(["run", station, "--simulate", "--from", "2024-11-25", "--to", "2024-11-27", "--log", log]) }
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let account = try await offThePool {
            try LoaProcess.run(
                ["console", "add-account", station, "an", "--role", "leader", "--display-name", "Nguyễn Văn An", "--log", log],
                input: "mat-khau-an\n")
        }
        #expect(account.status == 0, "\(account.stderr)")
        // A draft for the leader to approve (an edit: three plays a day), and a draft hand-edited
        // into an error (its window ends before it starts), which opens with the error shown.
        let campaigns = station + "/campaigns"
        try FileManager.default.createDirectory(atPath: campaigns + "/drafts", withIntermediateDirectories: true)
        let edit = try String(contentsOfFile: campaigns + "/chuyen-doi-so-2024.yaml", encoding: .utf8)
            .replacingOccurrences(of: "plays-per-day: 2", with: "plays-per-day: 3")
        try edit.write(toFile: campaigns + "/drafts/chuyen-doi-so-2024.yaml", atomically: true, encoding: .utf8)
        try edit.replacingOccurrences(of: "id: chuyen-doi-so-2024", with: "id: thong-bao-loi")
            .replacingOccurrences(of: "last: 2024-12-31", with: "last: 2024-11-20")
            .write(toFile: campaigns + "/drafts/thong-bao-loi.yaml", atomically: true, encoding: .utf8)

        let port = 18_000 + Int(getpid() % 2000)
        let server = Process()
        server.executableURL = LoaProcess.binary
        server.arguments = ["console", station, "--log", log, "--listen", "127.0.0.1:\(port)"]
        let output = folder.file("console.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        server.standardOutput = try FileHandle(forWritingTo: output)
        server.standardError = server.standardOutput
        try server.run()
        defer { server.terminate() }
        try await waitForListening(output)

        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let profile = folder.path + "/chromium"
        for (name, path, heading) in Self.pages {
            let dom = try await offThePool { try chromium(["--dump-dom", try loginLink(station, log, port, path)], profile) }
            #expect(dom.contains("<h1>\(heading)"), "\(path): \(dom.prefix(300))")
            #expect(!dom.contains("Không được phép") && !dom.contains("Cấu hình lỗi"), "\(path)")
            if name == "tiep-song-qdnd" {
                #expect(dom.contains("Tiếp sóng Đài Phát thanh và Truyền hình tỉnh ngày 22/12/2024, 17:00-17:45") && dom.contains("chỉ tiếp sóng, không tính lượt"))
                #expect(!dom.contains("Buổi: ") && !dom.contains("/bao-cao?chien-dich="), "a relay alone has no session and no campaign report")
            }
            if name == "sua-tiep-song-qdnd" { #expect(dom.contains(#"<option value="dai-tinh" selected="">"#) && dom.contains("Tiếp sóng một lần")) }
            if name == "ban-nhap-co-loi" { #expect(dom.contains("Ngày kết thúc (20/11/2024) trước ngày bắt đầu (01/12/2024)"), "\(dom)") }
            if name == "duyet-chien-dich" { #expect(dom.contains("Duyệt cho phát") && dom.contains("Khi được duyệt, lịch phát sẽ thay đổi")) }
            let png = Self.screenshots.appendingPathComponent("\(name).png")
            try? FileManager.default.removeItem(at: png)
            _ = try await offThePool {
                try chromium(["--screenshot=\(png.path)", "--window-size=1280,1600", try loginLink(station, log, port, path)], profile)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 20_000, "\(name).png is \(size) bytes: an empty page?")
        }
        // And as a phone shows the pages an operator checks there.
        for (name, path) in Self.phonePages {
            let phone = Self.screenshots.appendingPathComponent("\(name)-dien-thoai.png")
            _ = try await offThePool {
                try chromium(["--screenshot=\(phone.path)", "--window-size=390,844", try loginLink(station, log, port, path)], profile)
            }
            #expect(FileManager.default.fileExists(atPath: phone.path), "\(name)")
        }
        print("console screenshots: \(Self.screenshots.path)")

        // With `loa run` started on the station every page says the daemon runs; killed, every
        // page says it stopped, at once (its pid is gone), and since when.
        let daemon = Process()
        daemon.executableURL = LoaProcess.binary
        daemon.arguments = ["run", station, "--log", log, "--trust-clock"]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        let state = URL(fileURLWithPath: log).deletingPathExtension().path + ".state.json"
        #expect(await poll(timeout: 20) { FileManager.default.fileExists(atPath: state) }, "the daemon wrote its state")
        for path in ["/", "/hom-nay", "/phat-khan"] {
            let dom = try await offThePool { try chromium(["--dump-dom", try loginLink(station, log, port, path)], profile) }
            #expect(dom.contains("Máy phát đang chạy") && !dom.contains("Máy phát ĐÃ DỪNG"), "\(path) with the daemon running")
        }
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        for path in ["/", "/hom-nay", "/phat-khan"] {
            let dom = try await offThePool { try chromium(["--dump-dom", try loginLink(station, log, port, path)], profile) }
            #expect(dom.contains("Máy phát ĐÃ DỪNG</strong> từ"), "\(path) with the daemon killed")
        }
    }

    private func loginLink(_ station: String, _ log: String, _ port: Int, _ page: String) throws -> String {
        let link = try LoaProcess.run(
            ["console", "login-link", station, "an", "--url", "http://127.0.0.1:\(port)", "--next", page, "--log", log])
        #expect(link.status == 0, "\(link.stderr)")
        return link.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func chromium(_ arguments: [String], _ profile: String) throws -> String {
        let (status, output) = try ExternalTool.run(
            "/usr/bin/chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=\(profile)", "--lang=vi"]
                + arguments)
        #expect(status == 0, "chromium \(arguments.first ?? "")")
        return output
    }

    private func waitForListening(_ output: URL) async throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if (try? String(contentsOf: output, encoding: .utf8))?.contains("listening on") == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the console did not start: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
    }
}
