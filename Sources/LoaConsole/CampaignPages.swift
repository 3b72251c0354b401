import Foundation
import Hummingbird
import LoaLog
import LoaModel
import LoaPlanner
import LoaReports

/// Chiến dịch: list, draft, edit and approve campaigns. Every edit is checked exactly as
/// `loa check` checks the folder, with the new file in place, before anything is written; errors
/// are shown beside their field. Drafts never air; the commune leader's approval moves a draft
/// into `campaigns/`, where the daemon picks it up.
extension Console {
    func addCampaignRoutes(to router: Router<ConsoleContext>) {
        router.get("/chien-dich") { _, context in
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let files = CampaignFiles(stationFolder: settings.stationFolder)
            let approved = station.campaigns.map { campaign -> [String: Any] in
                var row = summary(campaign)
                row["draft"] = files.draftIDs.contains(campaign.id)
                return row
            }
            let drafts = files.draftIDs.filter { id in !station.campaigns.contains { $0.id == id } }.map { id -> [String: Any] in
                draftCampaign(id).map(summary) ?? ["id": id, "title": id]
            }
            return page("campaigns", title: "Chiến dịch", ["approved": approved, "drafts": drafts], context: context)
        }
        router.get("/chien-dich/moi") { _, context in
            campaignForm(CampaignForm(), isNew: true, errors: [:], context: context)
        }
        router.post("/chien-dich/moi") { request, context in
            try await saveDraft(request, context: context, id: nil)
        }
        router.get("/chien-dich/{id}") { _, context in
            let id = try context.parameters.require("id")
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            let approved = station.campaigns.first { $0.id == id }
            let proposed = draftStation(id)
            let draft = proposed?.station?.campaigns.first { $0.id == id }
            guard approved != nil || draft != nil else { throw HTTPError(.notFound) }
            var values: [String: Any] = [
                "id": id, "canApprove": context.account?.role == .leader && draft != nil, "reported": approved?.countsPlays == true,
            ]
            if let approved {
                values["approved"] = details(approved, station: station)
                let counts = try audits.audit(of: BroadcastLog(path: settings.logPath)).counts
                if let report = CampaignReporter.reports(
                    station: station, durations: checked.durations, counts: counts, campaigns: [id], from: nil, through: nil
                ).first {
                    values["months"] = MonthGrid.months(of: report)
                    values["weekdays"] = MonthGrid.weekdays
                }
            }
            if let draft {
                values["draft"] = details(draft, station: station)
                // A one-off relay alone changes no lượt; its relays are listed with its fields.
                if let proposed, draft.countsPlays { values["change"] = planChange(of: draft, current: checked, proposed: proposed) }
            }
            return page("campaign", title: (draft ?? approved)!.title, values, context: context)
        }
        router.get("/chien-dich/{id}/sua") { _, context in
            let id = try context.parameters.require("id")
            let checked = settings.check()
            guard let station = checked.station else { return configBroken(checked, context: context) }
            if let draft = draftCampaign(id) {
                // A draft that no longer passes (its audio gone, a hand edit) opens with its errors shown.
                let form = CampaignForm(draft, station: station)
                let approval = draft.approval ?? Approval(draftedBy: context.account?.name ?? "?", draftedAt: Approval.time(settings.now()))
                return campaignForm(form, isNew: false, errors: fieldErrors(of: form, approval: approval, idRefused: false), context: context)
            }
            guard let campaign = station.campaigns.first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
            return campaignForm(CampaignForm(campaign, station: station), isNew: false, errors: [:], context: context)
        }
        router.post("/chien-dich/{id}/sua") { request, context in
            try await saveDraft(request, context: context, id: try context.parameters.require("id"))
        }
        router.post("/chien-dich/{id}/duyet") { request, context in
            _ = try await form(request, context)
            let id = try context.parameters.require("id")
            guard let account = context.account, account.role == .leader else {
                return page("error", title: "Không được phép", ["message": "Chỉ lãnh đạo xã được duyệt chiến dịch."], context: context, status: .forbidden)
            }
            return try approve(id, by: account, context: context)
        }
    }

    /// A draft as the loader reads it, with the station around it.
    func draftCampaign(_ id: String) -> Campaign? {
        draftStation(id)?.station?.campaigns.first { $0.id == id }
    }

    /// The station as it would be with the draft approved, its new audio probed: the draft file
    /// laid over the folder. Nil when there is no draft.
    private func draftStation(_ id: String) -> CheckedStation? {
        let files = CampaignFiles(stationFolder: settings.stationFolder)
        guard let text = try? String(contentsOf: files.draft(id), encoding: .utf8) else { return nil }
        return settings.check(overlay: ("\(id).yaml", text))
    }

    private func saveDraft(_ request: Request, context: ConsoleContext, id fixed: String?) async throws -> Response {
        let (fields, upload) = try await formWithFile(request, context)
        var draft = CampaignForm(fields, id: fixed)
        guard let account = context.account else { throw HTTPError(.unauthorized) }
        var errors: [String: [String]] = [:]
        // A file chosen in the form joins the library and the campaign at once, so that an error
        // elsewhere in the form never makes the operator upload it again.
        var notice: String?
        if let upload, let station = settings.check().station {
            do {
                let stored = try AudioLibrary(station: station).store(upload.data, sentName: upload.name)
                draft.messages.append((stored.name, 1, fields.text("new-title"), nil))
                let loudness = stored.loudness.map { String(format: "%.1f LUFS", $0.integratedLUFS) } ?? "không đo được"
                notice = "Đã lưu \(stored.name): \(String(format: "%.1f", stored.format.duration)) giây, "
                    + "\(stored.format.sampleRate) Hz, \(stored.format.channels) kênh, độ lớn \(loudness)."
            } catch let error as ConsoleError {
                errors["upload", default: []].append(error.description)
            }
        }
        if !Campaign.isFileID(draft.id) {
            errors["id", default: []].append("Mã chiến dịch: 2-64 chữ thường không dấu, số hoặc '-', ví dụ lua-dao-2024.")
        }
        if fixed == nil, FileManager.default.fileExists(atPath: CampaignFiles(stationFolder: settings.stationFolder).approved(draft.id).path) {
            errors["id", default: []].append("Đã có chiến dịch mã '\(draft.id)'; hãy sửa chiến dịch đó.")
        }
        let now = settings.now()
        let approval = Approval(draftedBy: account.name, draftedAt: Approval.time(now))
        errors.merge(fieldErrors(of: draft, approval: approval, idRefused: errors["id"] != nil), uniquingKeysWith: +)
        guard errors.isEmpty else {
            return campaignForm(draft, isNew: fixed == nil, errors: errors, notice: notice, context: context, status: .unprocessableContent)
        }
        let files = CampaignFiles(stationFolder: settings.stationFolder)
        try files.write(draft.yaml(approval: approval).text, to: files.draft(draft.id), at: now)
        return Response(status: .seeOther, headers: [.location: "/chien-dich/\(draft.id)"])
    }

    /// `loa check`'s errors for the campaign a form holds, in Vietnamese, each under the field
    /// whose line it is about. Every error at once: when the id is refused the rest is checked
    /// under a stand-in name (whose own id complaint is already said).
    private func fieldErrors(of draft: CampaignForm, approval: Approval, idRefused: Bool) -> [String: [String]] {
        var checkable = draft
        if idRefused { checkable.id = "chien-dich-moi" }
        let (text, lines) = checkable.yaml(approval: approval)
        let checked = settings.check(overlay: ("\(checkable.id).yaml", text))
        let file = "/\(StationLoader.campaignsFolder)/\(checkable.id).yaml"
        var errors: [String: [String]] = [:]
        for diagnostic in checked.diagnostics where diagnostic.severity == .error {
            let field = diagnostic.location.file.hasSuffix(file) ? lines[diagnostic.location.line] ?? "general" : "general"
            if field == "id", idRefused { continue }
            errors[field, default: []].append(diagnostic.vietnamese)
        }
        return errors
    }

    private func approve(_ id: String, by account: Account, context: ConsoleContext) throws -> Response {
        let files = CampaignFiles(stationFolder: settings.stationFolder)
        let checked = settings.check()
        guard let station = checked.station, let draft = draftCampaign(id) else { throw HTTPError(.notFound) }
        let now = settings.now()
        var approval = draft.approval ?? Approval(draftedBy: account.name, draftedAt: Approval.time(now))
        approval.approvedBy = account.name
        approval.approvedAt = Approval.time(now)
        let (text, _) = CampaignForm(draft, station: station).yaml(approval: approval)
        let result = settings.check(overlay: ("\(id).yaml", text))
        guard !result.diagnostics.hasErrors else {
            return page(
                "error", title: "Chưa duyệt được",
                ["message": "Bản nháp không còn hợp lệ: " + result.diagnostics.filter { $0.severity == .error }.map(\.vietnamese).joined(separator: "; ")],
                context: context, status: .unprocessableContent)
        }
        try files.write(text, to: files.approved(id), at: now)
        try files.retire(files.draft(id), at: now)
        return Response(status: .seeOther, headers: [.location: "/chien-dich/\(id)"])
    }

    private func campaignForm(
        _ draft: CampaignForm, isNew: Bool, errors: [String: [String]], notice: String? = nil, context: ConsoleContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let checked = settings.check()
        guard let station = checked.station else { return configBroken(checked, context: context) }
        let chosen = Dictionary(draft.messages.map { ($0.audio, $0) }, uniquingKeysWith: { a, _ in a })
        let audio = AudioLibrary(station: station).files.map { file -> [String: Any] in
            [
                "name": file, "weight": chosen[file]?.weight ?? 0, "title": chosen[file]?.title ?? "", "messageID": chosen[file]?.id ?? "",
                "readable": Message.readableTitle(of: (file as NSString).deletingPathExtension),
            ]
        }
        var values: [String: Any] = [
            "isNew": isNew, "action": isNew ? "/chien-dich/moi" : "/chien-dich/\(draft.id)/sua",
            "id": draft.id, "campaignTitle": draft.title, "directive": draft.directive, "first": draft.first, "last": draft.last,
            "priorities": Priority.allCases.map { ["value": $0.rawValue, "label": $0.vietnameseName, "selected": $0 == draft.priority] },
            "channels": station.channels.map { ["id": $0.id, "name": $0.name, "checked": draft.channels.contains($0.id)] },
            "sessions": station.sessions.map { ["id": $0.id, "name": $0.name, "checked": draft.sessions.contains($0.id)] },
            "days": Weekday.allCases.map { ["value": $0.configName, "name": $0.vietnameseName, "checked": draft.days.contains($0)] },
            "hasRelaySources": !station.relaySources.isEmpty,
            // Its relays and one blank row for another, up to the limit a campaign may have.
            "relays": (draft.relays + [("", "", "", "")]).prefix(ConfigLimits.relaysPerCampaign).map { relay -> [String: Any] in
                [
                    "sources": station.relaySources.map { ["id": $0.id, "name": $0.name, "selected": $0.id == relay.source] },
                    "date": relay.date, "from": relay.from, "to": relay.to,
                ]
            },
            "perSession": draft.perSession, "plays": draft.plays, "spacing": draft.spacing, "audio": audio,
            "hasErrors": !errors.isEmpty,
        ]
        if let notice { values["notice"] = notice }
        for (field, messages) in errors { values["error-\(field)"] = messages.joined(separator: " ") }
        return page("campaign-form", title: isNew ? "Soạn chiến dịch mới" : "Sửa chiến dịch", values, context: context, status: status)
    }

    private func summary(_ campaign: Campaign) -> [String: Any] {
        [
            "id": campaign.id, "title": campaign.title,
            "window": "\(campaign.window.first.vietnamese) - \(campaign.window.last.vietnamese)",
            "priority": campaign.priority.vietnameseName,
        ]
    }

    private func details(_ campaign: Campaign, station: Station) -> [String: Any] {
        let names = StationNames(station)
        let time = StationTime(zone: station.timeZone)
        func local(_ stamp: String) -> String { (try? Date(stamp, strategy: .iso8601)).map(time.display) ?? stamp }
        var values = summary(campaign)
        values["directive"] = campaign.directive
        values["countsPlays"] = campaign.countsPlays
        values["channels"] = campaign.channels.map(names.channel).joined(separator: ", ")
        values["sessions"] = campaign.sessions.map(names.session).joined(separator: ", ")
        values["quota"] = { () -> String in
            // A relay alone asks no lượt and uses no session.
            guard campaign.countsPlays else { return "chỉ tiếp sóng, không tính lượt" }
            switch campaign.quota {
            case .perDay(let count): return "\(count) lượt mỗi ngày trên mỗi kênh"
            case .perSession(let count): return "\(count) lượt mỗi buổi"
            }
        }()
        values["messages"] = campaign.messages.map { ["title": $0.title, "audio": $0.audio.path, "weight": $0.weight] }
        values["relays"] = campaign.relays.map {
            ["source": names.relaySource($0.source), "date": $0.date.vietnamese, "from": $0.from.description, "to": $0.to.description]
        }
        if campaign.days != .daily {
            values["days"] = campaign.days.weekdays.map(\.vietnameseName).joined(separator: ", ")
        }
        if let approval = campaign.approval {
            values["draftedBy"] = approval.draftedBy
            values["draftedAt"] = local(approval.draftedAt)
            if let by = approval.approvedBy { values["approvedBy"] = by }
            if let at = approval.approvedAt { values["approvedAt"] = local(at) }
        }
        return values
    }

    /// What approving the draft does to the plan over its window: this campaign's lượt on each
    /// channel before and after, and what would not fit, so the leader approves knowing it.
    private func planChange(of draft: Campaign, current: CheckedStation, proposed: CheckedStation) -> [String: Any] {
        guard let station = current.station, let proposedStation = proposed.station else { return [:] }
        let window = draft.window
        let before = Planner(station: station, durations: current.durations).plan(from: window.first, through: window.last)
        let after = Planner(station: proposedStation, durations: proposed.durations).plan(from: window.first, through: window.last)
        let names = StationNames(station)
        func count(_ plan: Plan, _ channel: String) -> Int { plan.entries.filter { $0.campaign == draft.id && $0.channel == channel }.count }
        return [
            "channels": station.channels.filter { draft.channels.contains($0.id) }.map { channel in
                ["name": channel.name, "before": count(before, channel.id), "after": count(after, channel.id)]
            },
            "shortfalls": after.shortfalls.filter { $0.campaign == draft.id }.prefix(20).map { shortfall in
                ["channel": names.channel(shortfall.channel), "text": shortfall.explanation(channelName: names.channel(shortfall.channel))]
            },
        ]
    }
}

/// The instant a person drafted or approved, as the campaign file records it: UTC, ISO 8601.
enum CampaignTemplates {
    static let list = """
        {{<layout}}{{$body}}
        <section><p><a href="/chien-dich/moi"><button>Soạn chiến dịch mới</button></a></p></section>
        <section>
        <h2>Đang áp dụng (đã duyệt)</h2>
        <div class="scroll"><table>
        <tr><th>Chiến dịch</th><th>Thời gian</th><th>Mức</th><th></th></tr>
        {{#approved}}<tr><td><a href="/chien-dich/{{id}}">{{title}}</a></td><td>{{window}}</td><td>{{priority}}</td><td>{{#draft}}có bản sửa chờ duyệt{{/draft}}</td></tr>{{/approved}}
        {{^approved}}<tr><td colspan="4" class="muted">Chưa có chiến dịch nào.</td></tr>{{/approved}}
        </table></div>
        </section>
        <section>
        <h2>Bản nháp chờ lãnh đạo duyệt</h2>
        <ul>{{#drafts}}<li><a href="/chien-dich/{{id}}">{{title}}</a> {{window}}</li>{{/drafts}}{{^drafts}}<li class="muted">Không có.</li>{{/drafts}}</ul>
        </section>
        {{/body}}{{/layout}}
        """

    static let form = """
        {{<layout}}{{$body}}
        {{#notice}}<p class="notice">{{notice}} Bản tin đã được thêm vào chiến dịch bên dưới.</p>{{/notice}}
        {{#hasErrors}}<p class="warning">Bản nháp có lỗi: hãy sửa các lỗi đánh dấu bên dưới rồi lưu lại.</p>{{/hasErrors}}
        {{#error-general}}<p class="warning">{{error-general}}</p>{{/error-general}}
        <section>
        <form method="post" action="{{action}}" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="id">Mã chiến dịch</label>
        {{#isNew}}<input type="text" id="id" name="id" value="{{id}}" placeholder="để trống: tạo từ tên chiến dịch">{{/isNew}}{{^isNew}}<input type="text" id="id" value="{{id}}" disabled>{{/isNew}}
        <span class="error">{{error-id}}</span>
        <label for="title">Tên chiến dịch</label><input type="text" id="title" name="title" value="{{campaignTitle}}" required>
        <span class="error">{{error-title}}</span>
        <label for="directive">Văn bản chỉ đạo</label><input type="text" id="directive" name="directive" value="{{directive}}">
        <span class="error">{{error-directive}}</span>
        <label for="first">Từ ngày</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="first" name="first" value="{{first}}" required>
        <span class="error">{{error-first}}</span>
        <label for="last">Đến ngày</label><input type="text" inputmode="numeric" placeholder="dd/mm/yyyy" pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}" id="last" name="last" value="{{last}}" required>
        <span class="error">{{error-last}}</span>
        <label for="priority">Mức ưu tiên</label>
        <select id="priority" name="priority">{{#priorities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/priorities}}</select>
        <label>Kênh (để trống: mọi kênh)</label>
        <div class="choices">{{#channels}}<label><input type="checkbox" name="channels" value="{{id}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/channels}}</div>
        <span class="error">{{error-channels}}</span>
        <label>Buổi phát (để trống: mọi buổi)</label>
        <div class="choices">{{#sessions}}<label><input type="checkbox" name="sessions" value="{{id}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/sessions}}</div>
        <span class="error">{{error-sessions}}</span>
        <label>Các ngày trong tuần (để trống: mọi ngày)</label>
        <div class="choices">{{#days}}<label><input type="checkbox" name="days" value="{{value}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/days}}</div>
        <span class="error">{{error-days}}</span>
        <label for="plays">Số lượt</label><input type="number" id="plays" name="plays" value="{{plays}}" min="1">
        <div class="choices"><label><input type="radio" name="quota" value="day"{{^perSession}} checked{{/perSession}}> mỗi ngày trên mỗi kênh</label>
        <label><input type="radio" name="quota" value="session"{{#perSession}} checked{{/perSession}}> mỗi buổi</label></div>
        <span class="error">{{error-plays}}</span>
        <label for="spacing">Giãn cách (số mục xen giữa hai lần phát cùng bản tin)</label><input type="number" id="spacing" name="spacing" value="{{spacing}}" min="0">
        <span class="error">{{error-spacing}}</span>
        <label>Bản tin (số lượt tương đối; 0 = không dùng)</label>
        <div class="messages">{{#audio}}<div class="message"><input type="hidden" name="audio" value="{{name}}">{{#messageID}}<input type="hidden" name="id-{{name}}" value="{{messageID}}">{{/messageID}}
        <input type="text" name="title-{{name}}" value="{{title}}" placeholder="{{readable}}" aria-label="Tên bản tin {{name}}">
        <span class="muted">{{name}}</span>
        <span><input type="number" name="weight-{{name}}" value="{{weight}}" min="0" max="100" aria-label="Số lượt tương đối {{name}}"> <audio controls preload="none" src="/am-thanh/tep/{{name}}"></audio></span></div>{{/audio}}</div>
        <span class="error">{{error-messages}}</span>
        {{#hasRelaySources}}<label>Tiếp sóng một lần (như lễ kỷ niệm, phát biểu của lãnh đạo): nguồn, ngày, từ giờ, đến giờ; ngoài giờ các buổi phát</label>
        <div class="relays">{{#relays}}<div class="relay"><select name="relay-source" aria-label="Nguồn tiếp sóng"><option value="">(không tiếp sóng)</option>{{#sources}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/sources}}</select>
        <input type="text" name="relay-date" value="{{date}}" placeholder="dd/mm/yyyy" inputmode="numeric" aria-label="Ngày tiếp sóng">
        <input type="text" name="relay-from" value="{{from}}" placeholder="GG:PP" inputmode="numeric" aria-label="Tiếp sóng từ giờ">
        <input type="text" name="relay-to" value="{{to}}" placeholder="GG:PP" inputmode="numeric" aria-label="Tiếp sóng đến giờ"></div>{{/relays}}</div>
        <span class="error">{{error-relay}}</span>{{/hasRelaySources}}
        <label for="file">Thêm bản tin mới (tệp âm thanh hoặc video: WAV, MP3, M4A, AMR, WMA, MP4, WebM...; được kiểm tra trước khi lưu)</label>
        <input type="file" id="file" name="file" accept="audio/*,video/*,.m4a,.amr,.wma,.webm,.mkv,.opus">
        <input type="text" name="new-title" placeholder="Tên bản tin mới" aria-label="Tên bản tin mới">
        <span class="error">{{error-upload}}</span>
        <p><button>Lưu bản nháp</button></p>
        </form>
        </section>
        {{/body}}{{/layout}}
        """

    static let detail = """
        {{<layout}}{{$body}}
        {{#draft}}
        <section class="warning">
        <h2>Bản nháp chờ duyệt</h2>
        {{> campaign-fields}}
        {{#change}}<h3>Khi được duyệt, lịch phát sẽ thay đổi</h3>
        <ul>{{#channels}}<li>{{name}}: {{before}} → <strong>{{after}}</strong> lượt trong cả đợt</li>{{/channels}}</ul>
        {{#shortfalls}}<p class="bad">{{channel}}: {{text}}</p>{{/shortfalls}}{{/change}}
        {{#canApprove}}<form method="post" action="/chien-dich/{{id}}/duyet"><input type="hidden" name="csrf" value="{{csrf}}"><button>Duyệt cho phát</button></form>{{/canApprove}}
        {{^canApprove}}<p class="muted">Chờ lãnh đạo xã duyệt trước khi phát.</p>{{/canApprove}}
        </section>
        {{/draft}}
        {{#approved}}
        <section class="notice">
        <h2>Đang áp dụng</h2>
        {{> campaign-fields}}
        </section>
        {{/approved}}
        {{#months}}
        <section>
        <h2>Lượt đã phát theo ngày: {{name}}</h2>
        <div class="scroll"><table class="month">
        <tr>{{#weekdays}}<th>{{.}}</th>{{/weekdays}}</tr>
        {{#weeks}}<tr>{{#days}}{{#blank}}<td></td>{{/blank}}{{^blank}}<td{{#short}} class="bad"{{/short}}><span class="muted">{{day}}</span><br>{{counts}}</td>{{/blank}}{{/days}}</tr>{{/weeks}}
        </table></div>
        <p class="muted">Mỗi ô: lượt đã phát / lượt theo kế hoạch.</p>
        </section>
        {{/months}}
        <p><a href="/chien-dich/{{id}}/sua">Sửa chiến dịch</a> · <a href="/lich-phat">Xem lịch phát</a>{{#reported}} · <a href="/bao-cao?chien-dich={{id}}">Báo cáo</a>{{/reported}}</p>
        {{/body}}{{/layout}}
        """

    static let fields = """
        <p><strong>{{title}}</strong></p>
        <p>Văn bản: {{directive}}</p>
        <p>Thời gian: {{window}} · Mức: {{priority}} · {{quota}}</p>
        <p>Kênh: {{channels}}{{#countsPlays}} · Buổi: {{sessions}}{{/countsPlays}}{{#days}} · Ngày: {{days}}{{/days}}</p>
        <ul>{{#messages}}<li><strong>{{title}}</strong> <span class="muted">{{audio}}, tỉ trọng {{weight}}</span> <audio controls preload="none" src="/am-thanh/tep/{{audio}}"></audio></li>{{/messages}}</ul>
        {{#relays}}<p>Tiếp sóng {{source}} ngày {{date}}, {{from}}-{{to}}</p>{{/relays}}
        {{#draftedBy}}<p class="muted">Soạn: {{draftedBy}} lúc {{draftedAt}}{{#approvedBy}} · Duyệt: {{approvedBy}} lúc {{approvedAt}}{{/approvedBy}}</p>{{/draftedBy}}
        """
}
