import Foundation
import HTTPTypes
import Hummingbird
import LoaConsole
import LoaTestSupport
import Testing

/// A malformed request of any kind gets a 4xx, before login and after, and the console serves on.
@Suite struct MalformedRequestTests {
    static let bodies: [[UInt8]] = [
        Array("ten=ấ b&mat-khau=x".utf8),  // raw UTF-8 and a space, as curl sends it
        Array("ten=%&mat-khau=%G1".utf8), Array("ten=%E1%BA&mat-khau=x".utf8),  // broken escapes, half a character
        [0x74, 0x65, 0x6E, 0x3D, 0xFF, 0xFE, 0x00, 0x26],  // bytes that are not UTF-8
        Array(repeating: UInt8(ascii: "&"), count: 10_000), Array((0..<2_000).map { "a\($0)=b" }.joined(separator: "&").utf8),
    ]

    @Test func malformedFormsAreRefusedAndTheConsoleServesOn() async throws {
        let fixture = try await ConsoleFixture()
        try await fixture.test { browser in
            for body in Self.bodies {
                let page = try await browser.post("/dang-nhap", raw: body, type: "application/x-www-form-urlencoded")
                #expect((400..<500).contains(page.status.code), "\(page.status) for \(body.prefix(20))")
            }
            #expect(try await browser.login("an", "mat-khau-an").status == .seeOther, "the console still serves")
            for body in Self.bodies {
                let page = try await browser.post("/phat-khan", raw: body, type: "application/x-www-form-urlencoded")
                #expect((400..<500).contains(page.status.code), "\(page.status)")
            }
            let uploads: [(String, [UInt8])] = [
                ("multipart/form-data; boundary=x", Array("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nabc".utf8)),
                ("multipart/form-data", Array("--\r\n\r\n".utf8)), ("multipart/form-data; boundary=", [0xFF, 0x00]),
                ("text/plain", Array("x".utf8)),
            ]
            for (type, body) in uploads {
                let page = try await browser.post("/chien-dich/moi", raw: body, type: type)
                #expect((400..<500).contains(page.status.code), "\(page.status) for \(type)")
            }
            #expect(try await browser.get("/").status == .ok)
        }
    }

    @Test func theFormDecoderReadsWhatBrowsersSendAndRefusesTheRest() throws {
        let fields = try FormFields(urlEncoded: Array("ten=Nguy%E1%BB%85n+V%C4%83n&x=1&x=2&rong=&chi-ten".utf8))
        #expect(fields["ten"] == "Nguyễn Văn" && fields.all("x") == ["1", "2"] && fields["rong"] == "" && fields["chi-ten"] == "")
        #expect(try FormFields(urlEncoded: Array("ten=ấ b".utf8))["ten"] == "ấ b", "raw UTF-8 is accepted as the bytes it is")
        for bad in ["a=%", "a=%4", "a=%zz", "a=%C3%28"] {
            #expect(throws: FormFields.Malformed.self) { try FormFields(urlEncoded: Array(bad.utf8)) }
        }
    }
}
