import Foundation
import Hummingbird

/// Đăng nhập: name and password, a CSRF token bound to a cookie before any session exists, and
/// the login throttle; and the one-time links `loa console login-link` prints.
extension Console {
    static let loginCookie = "loa_dang_nhap"

    func addLoginRoutes(to router: Router<ConsoleContext>) {
        router.get("/dang-nhap") { request, context in
            loginPage(context: context, message: nil, status: .ok)
        }
        router.post("/dang-nhap") { request, context in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let fields = try FormFields.parsing(body)
            guard let expected = request.cookies[Self.loginCookie]?.value, fields["csrf"] == expected else {
                return loginPage(context: context, message: "Phiên đăng nhập đã hết hạn, hãy thử lại.", status: .forbidden)
            }
            let name = fields.text("ten")?.lowercased() ?? ""
            let now = settings.now()
            if let wait = throttle.wait(for: name, at: now) {
                return loginPage(
                    context: context,
                    message: "Đăng nhập sai quá nhiều lần. Hãy thử lại sau \(Int(wait / 60) + 1) phút.",
                    status: .tooManyRequests)
            }
            guard let account = store.authenticate(name: name, password: fields["mat-khau"] ?? "") else {
                throttle.failed(name, at: now)
                return loginPage(context: context, message: "Sai tên đăng nhập hoặc mật khẩu.", status: .unauthorized)
            }
            throttle.succeeded(name)
            return loggedIn(account, at: now)
        }
        router.get("/dang-nhap/lien-ket/{token}") { request, context in
            let token = try context.parameters.require("token")
            guard let account = store.redeemLoginLink(token, at: settings.now()) else {
                return loginPage(context: context, message: "Liên kết đăng nhập không hợp lệ hoặc đã hết hạn.", status: .unauthorized)
            }
            return loggedIn(account, at: settings.now(), then: request.uri.queryParameters["tiep"].map(String.init))
        }
        router.post("/dang-xuat") { request, context in
            _ = try await form(request, context)
            if let token = request.cookies[SessionStore.cookie]?.value { sessions.close(token) }
            var response = Response(status: .seeOther, headers: [.location: "/dang-nhap"])
            response.setCookie(Cookie(name: SessionStore.cookie, value: "", maxAge: 0, path: "/", secure: servesTLS, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    private func loginPage(context: ConsoleContext, message: String?, status: HTTPResponse.Status) -> Response {
        let token = ConsoleStore.randomToken()
        var values: [String: Any] = ["token": token]
        if let message { values["message"] = message }
        var response = page("login", title: "Đăng nhập", values, context: context, status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/dang-nhap", secure: servesTLS, httpOnly: true, sameSite: .strict))
        return response
    }

    private func loggedIn(_ account: Account, at now: Date, then next: String? = nil) -> Response {
        let (token, _) = sessions.open(for: account.name, at: now)
        // Only a path on this console: a login link must not send the browser elsewhere.
        let target = next.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
        var response = Response(status: .seeOther, headers: [.location: target])
        response.setCookie(
            Cookie(name: SessionStore.cookie, value: token, maxAge: Int(sessions.lifetime), path: "/", secure: servesTLS, httpOnly: true, sameSite: .strict))
        return response
    }
}

enum LoginTemplates {
    static let login = """
        {{<layout}}{{$body}}
        <section>
        {{#message}}<p class="warning">{{message}}</p>{{/message}}
        <form method="post" action="/dang-nhap">
        <input type="hidden" name="csrf" value="{{token}}">
        <label for="ten">Tên đăng nhập</label><input type="text" id="ten" name="ten" autocomplete="username" required>
        <label for="mat-khau">Mật khẩu</label><input type="password" id="mat-khau" name="mat-khau" autocomplete="current-password" required>
        <p><button>Đăng nhập</button></p>
        </form>
        <p class="muted">Chưa có tài khoản? Người quản trị máy tạo bằng lệnh <code>loa console add-account</code>.</p>
        </section>
        {{/body}}{{/layout}}
        """
}
