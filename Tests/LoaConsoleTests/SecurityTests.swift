import Foundation
import HTTPTypes
import Hummingbird
import LoaConsole
import LoaControl
import LoaTestSupport
import Testing

@Suite struct ConsoleSecurityTests {
    @Test func loginSetsAStrictHttpOnlySessionCookieAndWrongPasswordsAreRefused() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            let wrong = try await browser.login("an", "sai-mat-khau")
            #expect(wrong.status == .unauthorized && wrong.text.contains("Sai tên đăng nhập hoặc mật khẩu"))
            let unknown = try await browser.login("khong-co", "mat-khau-an")
            #expect(unknown.status == .unauthorized)
            let form = try await browser.get("/dang-nhap")
            let noToken = try await browser.post("/dang-nhap", [("ten", "an"), ("mat-khau", "mat-khau-an")])
            #expect(noToken.status == .forbidden, "a login without the form's token is refused")
            _ = form
            let right = try await browser.get("/dang-nhap")
            let response = try await browser.post("/dang-nhap", [("csrf", right.csrf ?? ""), ("ten", "an"), ("mat-khau", "mat-khau-an")])
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("loa_phien=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "\(cookie)")
            #expect(try await browser.get("/").status == .ok)
            let overview = try await browser.get("/")
            _ = try await browser.post("/dang-xuat", [("csrf", overview.csrf ?? "")])
            #expect(try await browser.get("/").status == .seeOther, "logged out")
        }
    }

    @Test func fiveWrongPasswordsLockTheNameEvenAgainstTheRightOne() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            for _ in 0..<5 { #expect(try await browser.login("an", "doan-thu").status == .unauthorized) }
            let locked = try await browser.login("an", "mat-khau-an")
            #expect(locked.status == .tooManyRequests && locked.text.contains("Đăng nhập sai quá nhiều lần"))
            #expect(try await browser.login("binh", "mat-khau-binh").status == .seeOther, "other names are not locked")
        }
    }

    /// Every form that changes something refuses a request without the session's CSRF token.
    @Test func everyFormNeedsItsCSRFToken() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("binh", "mat-khau-binh")
            let forms = [
                "/dang-xuat", "/chien-dich/moi", "/chien-dich/lua-dao-truc-tuyen-2024/sua", "/chien-dich/lua-dao-truc-tuyen-2024/duyet",
                "/phat-khan", "/thiet-bi/fm/thu",
            ]
            for form in forms {
                let forged = try await browser.post(form, [("csrf", String(repeating: "0", count: 64)), ("id", "gia-mao"), ("title", "x")])
                #expect(forged.status == .forbidden, "\(form)")
            }
            let upload = try await browser.upload("/chien-dich/moi", [("csrf", "sai")], name: "a.wav", data: Data())
            #expect(upload.status == .forbidden)
            #expect(AnnouncementSpoolIsEmpty(fixture))
            #expect(try await browser.get("/").status == .ok, "still logged in: the forged logout did nothing")
        }
    }

    @Test func userTextIsEscapedEverywhereItShows() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let form = try await browser.get("/chien-dich/moi")
            let saved = try await browser.post(
                "/chien-dich/moi",
                [
                    ("csrf", form.csrf ?? ""), ("id", "thu-xss"), ("title", "<script>alert('x')</script>"), ("first", "2024-12-01"),
                    ("last", "2024-12-03"), ("plays", "1"), ("audio", "lua-dao-tong-dai.mp3"), ("weight-lua-dao-tong-dai.mp3", "1"),
                ])
            #expect(saved.status == .seeOther)
            for path in ["/chien-dich", "/chien-dich/thu-xss"] {
                let page = try await browser.get(path)
                #expect(!page.text.contains("<script>"), "\(path)")
                #expect(page.text.contains("&lt;script&gt;"), "\(path)")
            }
        }
    }

    @Test func uploadsAreLimitedProbedSanitisedAndKeptInsideTheLibrary() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            _ = try await browser.login("an", "mat-khau-an")
            let csrf = try await browser.get("/chien-dich/moi").csrf ?? ""
            // The campaign form with no title: refused, so each answer is the form again.
            let form = [("csrf", csrf), ("first", "2024-12-01"), ("last", "2024-12-03"), ("plays", "2")]
            let library = fixture.folder.url.appendingPathComponent("audio")
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: library.path))

            let text = try await browser.upload("/chien-dich/moi", form, name: "tin-gia.mp3", data: Data("không phải âm thanh".utf8))
            #expect(text.status == .unprocessableContent && text.text.contains("không phải tệp âm thanh"))
            let script = try await browser.upload("/chien-dich/moi", form, name: "chay.sh", data: Data("rm -rf /".utf8))
            #expect(script.status == .unprocessableContent)
            let huge = try await browser.upload("/chien-dich/moi", form, name: "dai.wav", data: Data(count: 3 * 1024 * 1024))
            #expect(huge.status == .contentTooLarge)
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: library.path)) == before, "nothing stored")

            let tone = fixture.folder.file("tone.wav")
            AudioFixture.tone(tone, seconds: 1)
            let good = try await browser.upload("/chien-dich/moi", form, name: "../../Thông Báo Mới.WAV", data: try Data(contentsOf: tone))
            #expect(good.status == .unprocessableContent && good.text.contains("Đã lưu thông-báo-mới.wav: 1.0 giây"), "\(good.text)")
            #expect(FileManager.default.fileExists(atPath: library.appendingPathComponent("thông-báo-mới.wav").path))
            #expect(!FileManager.default.fileExists(atPath: fixture.folder.path + "/Thông Báo Mới.WAV"))
            let again = try await browser.upload("/chien-dich/moi", form, name: "thông-báo-mới.wav", data: try Data(contentsOf: tone))
            #expect(again.text.contains("Đã lưu thông-báo-mới-2.wav"), "an upload never replaces a file")
            // A Zalo recording (AAC in M4A) goes through the import and is kept as FLAC.
            let recording = fixture.folder.file("zalo.m4a")
            let ffmpeg = Process()
            ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
            ffmpeg.arguments = ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=1", "-c:a", "aac", recording.path]
            try ffmpeg.run()
            ffmpeg.waitUntilExit()
            let zalo = try await browser.upload("/chien-dich/moi", form, name: "Ghi âm Zalo.m4a", data: try Data(contentsOf: recording))
            #expect(zalo.text.contains("Đã lưu ghi-âm-zalo.flac"), "\(zalo.text.prefix(2000))")
            #expect(FileManager.default.fileExists(atPath: library.appendingPathComponent("ghi-âm-zalo.flac").path))

            let listen = try await browser.get("/am-thanh/tep/th%C3%B4ng-b%C3%A1o-m%E1%BB%9Bi.wav")
            #expect(listen.status == .ok && listen.headers[.contentType] == "audio/wav")
            for escape in ["/am-thanh/tep/..%2Fschedules%2Fkha-son%2Fstation.yaml", "/am-thanh/tep/.hidden.wav", "/am-thanh/tep/%2Fetc%2Fpasswd"] {
                #expect(try await browser.get(escape).status == .notFound, "\(escape)")
            }
        }
    }

    @Test func onlyLoopbackUntilAnAccountExists() async throws {
        let empty = try await ConsoleFixture(accounts: false)
        #expect(throws: ConsoleError.self) { _ = try empty.console.application(host: "0.0.0.0", port: 8080) }
        _ = try empty.console.application(host: "127.0.0.1", port: 8080)
        let withAccounts = try await ConsoleFixture()
        _ = try withAccounts.console.application(host: "0.0.0.0", port: 8080)
    }

    @Test func aLoginLinkWorksOnceAndOnlyForALocalPage() async throws {
        let fixture = try await ConsoleFixture()
        let token = try fixture.console.store.makeLoginLink(for: "an", lifetime: 600, at: Date())
        let stale = try fixture.console.store.makeLoginLink(for: "an", lifetime: 600, at: Date(timeIntervalSince1970: 0))
        try await fixture.test { browser in
            let first = try await browser.get("/dang-nhap/lien-ket/\(token)?tiep=//evil.example/")
            #expect(first.status == .seeOther && first.location == "/")
            #expect(try await browser.get("/nhat-ky").status == .ok)
            let other = Browser(client: browser.client)
            #expect(try await other.get("/dang-nhap/lien-ket/\(token)").status == .unauthorized, "used once")
            #expect(try await other.get("/dang-nhap/lien-ket/\(stale)").status == .unauthorized, "expired")
        }
    }
}

private func AnnouncementSpoolIsEmpty(_ fixture: ConsoleFixture) -> Bool {
    let spool = URL(fileURLWithPath: fixture.logPath).deletingPathExtension().appendingPathExtension("spool")
    return ((try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []).filter { $0.hasSuffix(".json") }.isEmpty
}
