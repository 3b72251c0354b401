import Foundation
import Hummingbird
import Mustache

/// The console's Mustache templates: a layout every page fills, and one template per page.
/// `{{name}}` escapes HTML, so anything a user wrote shows as text; no template uses `{{{ }}}`.
struct Pages: Sendable {
    static let navigation: [(href: String, label: String, template: String)] = [
        ("/", "Tổng quan", "overview"), ("/hom-nay", "Hôm nay", "today"), ("/lich-phat", "Lịch phát", "plan"), ("/chien-dich", "Chiến dịch", "campaigns"),
        ("/phat-khan", "Phát khẩn", "announce"), ("/truc-tiep", "Nói trực tiếp", "live"), ("/nhat-ky", "Nhật ký", "log"), ("/bao-cao", "Báo cáo", "report"),
        ("/thiet-bi", "Thiết bị", "devices"),
    ]

    private let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, text) in Self.templates { try library.register(text, named: name) }
        self.library = library
    }

    func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? "template \(template) is missing"
    }

    /// Scripts, sockets and media from the console itself only; the live page also plays back
    /// the recording it made (a blob: URL).
    static func html(_ text: String, status: HTTPResponse.Status = .ok, mediaFromBlobs: Bool = false) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'self'; style-src 'unsafe-inline'; media-src 'self'\(mediaFromBlobs ? " blob:" : ""); frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let templates: [String: String] = [
        "layout": layout, "login": LoginTemplates.login, "error": error, "overview": OverviewTemplates.overview, "today": TodayTemplates.today,
        "plan": PlanTemplates.plan, "campaigns": CampaignTemplates.list, "campaign-form": CampaignTemplates.form,
        "campaign": CampaignTemplates.detail, "campaign-fields": CampaignTemplates.fields, "announce": AnnounceTemplates.announce, "live": LiveTemplates.live, "log": LogTemplates.log,
        "report": ReportTemplates.report, "devices": DeviceTemplates.devices,
    ]

    static let layout = """
        <!doctype html>
        <html lang="vi">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Loa</title>
        <style>
        body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 0; color: #1d2330; background: #f4f5f7; }
        header { background: #8a1c1c; color: #fff; padding: .6rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.2rem; }
        header strong { font-size: 1.1rem; }
        header nav { display: flex; flex-wrap: wrap; gap: .3rem; }
        header nav a { color: #fff; text-decoration: none; padding: .3rem .6rem; border-radius: 4px; }
        header nav a.current, header nav a:hover { background: rgba(255,255,255,.2); }
        header .who { margin-left: auto; font-size: .9rem; }
        header form { display: inline; }
        main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
        section { background: #fff; border-radius: 6px; padding: .8rem 1rem; margin-bottom: 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e5ea; vertical-align: top; }
        .scroll { overflow-x: auto; }
        .ok { color: #1b6e2b; } .bad { color: #a11; font-weight: bold; } .muted { color: #667; }
        .error { color: #a11; font-size: .9rem; display: block; }
        label { display: block; margin: .5rem 0 .2rem; font-weight: 600; }
        input[type=text], input[type=date], input[type=number], input[type=password], select, textarea { width: 100%; max-width: 28rem; padding: .4rem; box-sizing: border-box; }
        .choices label { display: inline-block; font-weight: normal; margin-right: 1rem; }
        button { background: #8a1c1c; color: #fff; border: 0; border-radius: 4px; padding: .5rem 1rem; font-size: 1rem; cursor: pointer; }
        button.light { background: #e3e5ea; color: #1d2330; }
        button.big { display: block; width: 100%; max-width: 24rem; padding: 1.4rem; font-size: 1.4rem; border-radius: 2rem; }
        button.big.on { background: #d40000; box-shadow: 0 0 0 .4rem #f6b1b1; }
        .onair { font-size: 1.2rem; font-weight: bold; color: #b00000; }
        .notice { background: #e8f4ea; border-left: 4px solid #1b6e2b; padding: .6rem 1rem; margin-bottom: 1rem; }
        code.wrap { overflow-wrap: anywhere; }
        li audio { display: block; max-width: 100%; margin: .2rem 0; }
        ul.today { list-style: none; padding: 0; } ul.today li { padding: .25rem 0; border-bottom: 1px solid #eee; }
        ul.today li.ok .mark { color: #1b6e2b; } ul.today li.bad .mark, ul.today li.bad em { color: #a11; } .mark { font-weight: bold; }
        .warning { background: #fdecea; border-left: 4px solid #a11; padding: .6rem 1rem; margin-bottom: 1rem; }
        .messages .message { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: center; padding: .4rem 0; border-bottom: 1px solid #e3e5ea; }
        .messages input[type=number] { width: 4.5rem; } .messages audio { max-width: 100%; vertical-align: middle; }
        .relays .relay { display: flex; flex-wrap: wrap; gap: .3rem .8rem; padding: .4rem 0; border-bottom: 1px solid #e3e5ea; }
        .relays select { max-width: 20rem; } .relays input[type=text] { width: 7.5rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; }
        </style>
        </head>
        <body>
        <header>
        <strong>Loa</strong>
        {{#account}}
        <nav>{{#nav}}<a href="{{href}}"{{#current}} class="current"{{/current}}>{{label}}</a>{{/nav}}</nav>
        <span class="who">{{name}} ({{role}})
        <form method="post" action="/dang-xuat"><input type="hidden" name="csrf" value="{{csrf}}"><button class="light">Đăng xuất</button></form></span>
        {{/account}}
        </header>
        <main>
        {{#daemon}}
        {{#running}}<p class="notice">Máy phát đang chạy{{#since}} từ {{since}}{{/since}}.</p>{{/running}}
        {{^running}}<p class="warning"><strong>Máy phát ĐÃ DỪNG</strong>{{#since}} từ {{since}}{{/since}}: không có gì được phát cho đến khi khởi động lại.</p>{{/running}}
        {{#daemonProblems}}<p class="warning">{{.}}</p>{{/daemonProblems}}
        {{#daemon.live}}<p class="warning onair">{{daemon.live}}</p>{{/daemon.live}}
        {{/daemon}}
        <h1>{{title}}</h1>
        {{$body}}{{/body}}
        </main>
        </body>
        </html>
        """

    static let error = """
        {{<layout}}{{$body}}<section><p class="bad">{{message}}</p><p><a href="/">Về trang Tổng quan</a></p></section>{{/body}}{{/layout}}
        """
}
