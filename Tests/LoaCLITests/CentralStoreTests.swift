import Foundation
import GRDB
import LoaTestSupport
import Testing

/// `loa central` and `loa sync` against a real PostgreSQL started by the test: three simulated
/// communes ship their logs, the central report is the sum of their own reports, and tampering,
/// gaps, forged marks, resends and cross-commune writes are refused or add nothing.
@Suite(.serialized) struct CentralStoreTests {
    static let communes = [("04567", "Xã Kha Sơn", "kha_son"), ("04570", "Xã Tân Thành", "tan_thanh"), ("04573", "Xã Lương Phú", "luong_phu")]
    static let campaign = "lua-dao-truc-tuyen-2024"

    @Test func threeCommunesSyncAndTheProvinceReportIsTheSumOfTheirs() async throws {
        let cluster = try await PostgresCluster.start()
        let folder = TemporaryFolder()
        func loa(_ arguments: [String], input: String? = nil) async throws -> LoaProcess {
            try await offThePool { try LoaProcess.run(arguments, input: input) }
        }
        let initialized = try await loa(["central", "init", cluster.adminURL, "--password-file", cluster.adminPasswordFile])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        var passwordFiles: [String: String] = [:]
        for (code, name, role) in Self.communes {
            let password = "mat-khau-\(role)-\(code)"
            let added = try await loa(
                ["central", "add-commune", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--code", code, "--name", name,
                 "--province", "Thái Nguyên", "--role", role],
                input: password + "\n")
            #expect(added.status == 0, "\(added.stderr)")
            let file = folder.file("\(role).password").path
            try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: file))
            chmod(file, 0o600)
            passwordFiles[role] = file
        }
        func url(_ role: String) -> String { "postgres://\(role)@127.0.0.1:\(cluster.port)/postgres" }
        func sync(_ role: String, _ log: String) async throws -> LoaProcess {
            try await loa(["sync", CheckAndPlanTests.example, "--to", url(role), "--password-file", passwordFiles[role]!, "--log", log])
        }
        func ownCompleted(_ log: String) async throws -> Int {
            let json = try await loa(
                ["report", CheckAndPlanTests.example, "--format", "json", "--campaign", Self.campaign, "--from", "2024-11-25", "--to", "2024-12-15", "--log", log])
            return ReportSpreadsheetTests.completedTotal(json.stdout) ?? -1
        }
        func sealed(_ log: String) throws -> Int {
            try DatabaseQueue(path: log).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM broadcast WHERE sealSequence IS NOT NULL") ?? 0 }
        }

        // Kha Sơn airs the whole window; Tân Thành only to 05/12 (then goes offline); Lương Phú's
        // log is tampered with before its first sync.
        var logs: [String: String] = [:]
        for (role, to) in [("kha_son", "2024-12-15"), ("tan_thanh", "2024-12-05"), ("luong_phu", "2024-12-15")] {
            let log = folder.file("\(role).sqlite").path
            let simulated = try await loa(["run", CheckAndPlanTests.example, "--simulate", "--from", "2024-11-25", "--to", to, "--log", log])
            #expect(simulated.status == 0, "\(simulated.stderr)")
            logs[role] = log
        }

        let first = try await sync("kha_son", logs["kha_son"]!)
        let rows = try sealed(logs["kha_son"]!)
        #expect(first.status == 0 && first.stdout.contains("synced \(rows) new row(s) of \(rows) sent"), "\(first.stdout)\(first.stderr)")
        let again = try await sync("kha_son", logs["kha_son"]!)
        #expect(again.status == 0 && again.stdout.contains("synced 0 new row(s) of 0 sent"), "a resend adds nothing: \(again.stdout)")

        // A row altered by hand is refused by the store, naming it, and its batch adds nothing.
        let luongPhu = try DatabaseQueue(path: logs["luong_phu"]!)
        let original = try await luongPhu.read { try Double.fetchOne($0, sql: "SELECT playedSeconds FROM broadcast WHERE id = 42") }
        try await luongPhu.write { try $0.execute(sql: "UPDATE broadcast SET playedSeconds = 99 WHERE id = 42") }
        let tampered = try await sync("luong_phu", logs["luong_phu"]!)
        #expect(tampered.status == 1 && tampered.stderr.contains("row id 42") && tampered.stderr.contains("altered"), "\(tampered.stderr)")
        #expect(try await cluster.query("SELECT count(*) FROM loa.broadcast WHERE commune = '04573'").output.hasPrefix("0"))
        // Put back, but with a sealed row deleted: the row after it leaves a gap, named, and its
        // batch adds nothing.
        try await luongPhu.write { db in
            try db.execute(sql: "UPDATE broadcast SET playedSeconds = ? WHERE id = 42", arguments: [original])
            try db.execute(sql: "DELETE FROM broadcast WHERE sealSequence = 150")
        }
        let deleted = try await sync("luong_phu", logs["luong_phu"]!)
        #expect(deleted.status == 1 && deleted.stderr.contains("sequence 151 after 149 leaves a gap"), "\(deleted.stderr)")
        #expect(try await cluster.query("SELECT count(*) FROM loa.broadcast WHERE commune = '04573'").output.hasPrefix("0"))

        // Tân Thành syncs to 05/12, goes offline, airs on, and catches up.
        #expect(try await sync("tan_thanh", logs["tan_thanh"]!).status == 0)
        let caughtUpTo = try await loa(
            ["run", CheckAndPlanTests.example, "--simulate", "--from", "2024-12-06", "--to", "2024-12-15", "--log", logs["tan_thanh"]!])
        #expect(caughtUpTo.status == 0, "\(caughtUpTo.stderr)")
        let before = try await cluster.query("SELECT count(*) FROM loa.broadcast WHERE commune = '04570'").output
        let catchUp = try await sync("tan_thanh", logs["tan_thanh"]!)
        #expect(catchUp.status == 0, "\(catchUp.stderr)")
        let added = (Int(before.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
        #expect(try sealed(logs["tan_thanh"]!) > added && catchUp.stdout.contains("synced \(try sealed(logs["tan_thanh"]!) - added) new row(s)"), "\(catchUp.stdout)")

        // The province's report: each commune's lượt against the plan it shipped (a simulation airs
        // all of it), and the sum of their own reports.
        let report = try await loa(
            ["central", "report", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--campaign", Self.campaign,
             "--from", "2024-11-25", "--to", "2024-12-15"])
        #expect(report.status == 0, "\(report.stderr)")
        let khaSon = try await ownCompleted(logs["kha_son"]!), tanThanh = try await ownCompleted(logs["tan_thanh"]!)
        #expect(khaSon > 0 && report.stdout.contains("Xã Kha Sơn (04567): \(khaSon)/\(khaSon) lượt"), "\(report.stdout)")
        #expect(report.stdout.contains("Xã Tân Thành (04570): \(tanThanh)/\(tanThanh) lượt"), "\(report.stdout)")
        #expect(report.stdout.contains("Xã Lương Phú (04573): 0 lượt") && report.stdout.contains("chưa đồng bộ"), "\(report.stdout)")
        #expect(report.stdout.contains("Tổng cộng: \(khaSon + tanThanh)/\(khaSon + tanThanh) lượt"), "\(report.stdout)")
        #expect(report.stdout.contains("số liệu đến hết ngày 15/12/2024"))
        // The campaign's title came with the plans; `migrate` brings the schema up to date again.
        #expect(report.stdout.hasPrefix("BÁO CÁO TỔNG HỢP: chiến dịch Phòng, chống lừa đảo trực tuyến bảo vệ người dân trên không gian mạng (\(Self.campaign))"), "\(report.stdout)")
        #expect(try await loa(["central", "migrate", cluster.adminURL, "--password-file", cluster.adminPasswordFile]).status == 0)
        let csv = try await loa(
            ["central", "report", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--campaign", Self.campaign,
             "--from", "2024-11-25", "--to", "2024-12-15", "--format", "csv"])
        let csvRows = csv.stdout.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(csvRows.compactMap { Int($0[5]) }.reduce(0, +) == khaSon + tanThanh, "the CSV rows add up to the total")
        #expect(csvRows.compactMap { Int($0[4]) }.reduce(0, +) == khaSon + tanThanh, "and the planned column to the plans shipped")
        let json = try await loa(
            ["central", "report", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--campaign", Self.campaign,
             "--from", "2024-11-25", "--to", "2024-12-15", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let communes = try #require(document["communes"] as? [[String: Any]])
        #expect(communes.count == 3 && (document["lines"] as? [[String: Any]])?.count == csvRows.count)
        // The province's báo cáo tổng hợp, in the official layout, read back through LibreOffice.
        let docx = folder.file("tong-hop.docx").path
        let written = try await loa(
            ["central", "report", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--campaign", Self.campaign,
             "--from", "2024-11-25", "--to", "2024-12-15", "--format", "docx", "--output", docx, "--province", "Tỉnh Thái Nguyên",
             "--title", "Phòng, chống lừa đảo trực tuyến"])
        #expect(written.status == 0, "\(written.stderr)")
        let text = try await offThePool { try ProveTests.pdfText(ofDocx: docx, in: folder) }
        #expect(text.contains("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH") && text.contains("Kính gửi: Ủy ban nhân dân tỉnh Thái Nguyên"), "\(text)")
        // pdftotext reads the table a column at a time: the communes, then each column's figures.
        #expect(text.contains("Xã Kha Sơn Xã Tân Thành Xã Lương Phú Tổng cộng"), "\(text)")
        #expect(text.contains("Đã phát (lượt) \(khaSon) \(tanThanh) 0 \(khaSon + tanThanh)"), "\(text)")
        #expect(text.contains("Số liệu của 1 xã, phường chưa đầy đủ đến hết ngày 15/12/2024") && text.contains("PHÓ GIÁM ĐỐC"), "\(text)")
        let xlsx = folder.file("tong-hop.xlsx").path
        let sheet = try await loa(
            ["central", "report", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--campaign", Self.campaign,
             "--from", "2024-11-25", "--to", "2024-12-15", "--format", "xlsx", "--output", xlsx])
        #expect(sheet.status == 0 && FileManager.default.fileExists(atPath: xlsx), "\(sheet.stderr)")

        // One commune cannot write or read another's rows, nor skip ahead, nor replay a forged mark.
        let khaSonPassword = try String(contentsOfFile: passwordFiles["kha_son"]!, encoding: .utf8).trimmingCharacters(in: .newlines)
        let insert = try await cluster.query(
            "INSERT INTO loa.broadcast (commune, seal_sequence, local_id, entry_id, date) VALUES ('04570', 999999, 1, 'x', '2024-12-01')",
            role: "kha_son", password: khaSonPassword)
        #expect(!insert.ok && insert.output.contains("permission denied"), "\(insert.output)")
        let read = try await cluster.query("SELECT count(*) FROM loa.broadcast", role: "kha_son", password: khaSonPassword)
        #expect(!read.ok && read.output.contains("permission denied"), "\(read.output)")
        let gap = try await cluster.query(
            #"SELECT loa.ingest('[{"sealSequence": "999999", "id": "1", "entryID": "x", "date": "2024-12-01"}]'::jsonb)"#,
            role: "kha_son", password: khaSonPassword)
        #expect(!gap.ok && gap.output.contains("leaves a gap"), "\(gap.output)")
        #expect(try await cluster.query("UPDATE loa.mark SET hash = repeat('0', 64) WHERE commune = '04567'").ok)
        let forged = try await sync("kha_son", logs["kha_son"]!)
        #expect(forged.status == 1 && forged.stderr.contains("is not in this log: refusing to sync"), "\(forged.stderr)")

        // A password file others may read is refused.
        chmod(passwordFiles["tan_thanh"]!, 0o644)
        let open = try await sync("tan_thanh", logs["tan_thanh"]!)
        #expect(open.status == 1 && open.stderr.contains("others may read it"), "\(open.stderr)")
    }

    /// TLS as the URL asks for it: `verify-full` against the store's own CA, refused without it
    /// (an unknown certificate), and `require` refused by a server that offers no TLS.
    @Test func theStoreIsReachedOverTLSWhenTheURLAsksForIt() async throws {
        let secure = try await PostgresCluster.start(tls: true)
        func loa(_ arguments: [String]) async throws -> LoaProcess { try await offThePool { try LoaProcess.run(arguments) } }
        let verified = try await loa(
            ["central", "init", secure.adminURL + "?sslmode=verify-full&sslrootcert=\(secure.certificate!)", "--password-file", secure.adminPasswordFile])
        #expect(verified.status == 0, "\(verified.stderr)")
        let unknown = try await loa(["central", "init", secure.adminURL + "?sslmode=verify-full", "--password-file", secure.adminPasswordFile])
        #expect(unknown.status != 0 && unknown.stderr.lowercased().contains("certificate"), "\(unknown.stderr)")
        let plain = try await PostgresCluster.start()
        let required = try await loa(["central", "init", plain.adminURL + "?sslmode=require", "--password-file", plain.adminPasswordFile])
        #expect(required.status != 0 && required.stderr.contains("cannot connect"), "\(required.stderr)")
        let typo = try await loa(["central", "init", plain.adminURL + "?sslmod=require", "--password-file", plain.adminPasswordFile])
        #expect(typo.status != 0 && typo.stderr.contains("'sslmod' is not a setting Loa reads"), "\(typo.stderr)")
    }

    /// A daemon with `sync:` in its station.yaml ships what it airs without being asked: an
    /// announcement reaches the store by the first background round.
    @Test func theDaemonSyncsInTheBackground() async throws {
        let cluster = try await PostgresCluster.start()
        let folder = TemporaryFolder()
        func loa(_ arguments: [String], input: String? = nil) async throws -> LoaProcess {
            try await offThePool { try LoaProcess.run(arguments, input: input) }
        }
        #expect(try await loa(["central", "init", cluster.adminURL, "--password-file", cluster.adminPasswordFile]).status == 0)
        let added = try await loa(
            ["central", "add-commune", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--code", "04567", "--name", "Xã Thử",
             "--role", "xa_thu"],
            input: "mat-khau-xa-thu-1\n")
        #expect(added.status == 0, "\(added.stderr)")
        let passwordFile = folder.file("central.pass").path
        try Data("mat-khau-xa-thu-1\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        chmod(passwordFile, 0o600)
        DaemonTests.idleStation(folder)
        let station = try String(contentsOf: folder.file("station.yaml"), encoding: .utf8)
        try (station + """

            sync:
              store: "postgres://xa_thu@127.0.0.1:\(cluster.port)/postgres"
              password-file: \(passwordFile)
              every-minutes: 5
            """).write(to: folder.file("station.yaml"), atomically: true, encoding: .utf8)
        let output = folder.file("daemon.txt")
        let daemon = try DaemonTests.start(folder, output: output)
        defer { if daemon.isRunning { daemon.terminate() } }
        try await DaemonTests.waitFor("the daemon to start", output: output) { (try? String(contentsOf: output, encoding: .utf8))?.contains("playing") == true }
        let sent = try await loa(["announce", folder.path, folder.path + "/audio/tin.wav", "--channels", "fm", "--log", folder.path + "/log.sqlite"])
        #expect(sent.status == 0, "\(sent.stderr)")
        try await DaemonTests.waitFor("the background sync", output: output, timeout: 60) {
            (try? String(contentsOf: output, encoding: .utf8))?.contains("to the central store") == true
        }
        let rows = try await cluster.query("SELECT count(*) FROM loa.broadcast WHERE commune = '04567' AND role = 'announcement-emergency'")
        #expect(rows.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(rows.output)")
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }

    /// A campaign the province issues reaches a commune on its next sync as a draft, its audio in
    /// the library, and passes the commune's own check; one naming a commune's session is refused
    /// at publishing, and a library holding another file of the same name keeps it out.
    @Test func aCampaignIssuedCentrallyReachesACommuneAsADraft() async throws {
        let cluster = try await PostgresCluster.start()
        let folder = TemporaryFolder()
        func loa(_ arguments: [String], input: String? = nil) async throws -> LoaProcess {
            try await offThePool { try LoaProcess.run(arguments, input: input) }
        }
        let admin = ["--password-file", cluster.adminPasswordFile]
        #expect(try await loa(["central", "init", cluster.adminURL] + admin).status == 0)
        #expect(try await loa(["central", "add-commune", cluster.adminURL] + admin + ["--code", "04567", "--name", "Xã Kha Sơn", "--role", "kha_son"], input: "mat-khau-kha-son\n").status == 0)
        let passwordFile = folder.file("kha_son.pass").path
        try Data("mat-khau-kha-son\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        chmod(passwordFile, 0o600)

        let issued = folder.file("tinh/chuyen-doi-so-tinh-2024.yaml")
        folder.write("tinh/chuyen-doi-so-tinh-2024.yaml", """
            id: chuyen-doi-so-tinh-2024
            title: Ngày Chuyển đổi số của tỉnh
            directive: Kế hoạch 150/KH-UBND của UBND tỉnh
            window: {first: 2024-11-25, last: 2024-12-15}
            channels: all
            sessions: all
            plays-per-day: 1
            messages:
              - audio: cds-tinh.wav
                title: Ngày Chuyển đổi số của tỉnh
            """)
        AudioFixture.tone(folder.file("tinh/cds-tinh.wav"), seconds: 5)
        let publish = ["central", "campaign", "publish", cluster.adminURL] + admin + ["--publisher", "Sở VH-TT-DL tỉnh Thái Nguyên"]
        let published = try await loa(publish + [issued.path])
        #expect(published.status == 0 && published.stdout.contains("issued campaign chuyen-doi-so-tinh-2024 with 1 audio file(s)"), "\(published.stderr)")
        folder.write("tinh/sai.yaml", try String(contentsOf: issued, encoding: .utf8)
            .replacingOccurrences(of: "id: chuyen-doi-so-tinh-2024", with: "id: sai").replacingOccurrences(of: "sessions: all", with: "sessions: [sang-som]"))
        let wrong = try await loa(publish + [folder.file("tinh/sai.yaml").path])
        #expect(wrong.status == 1 && wrong.stderr.contains("unknown session 'sang-som'"), "\(wrong.stderr)")

        let commune = try CheckAndPlanTests.copyOfExample()
        let log = folder.file("kha-son.sqlite").path
        #expect(try await loa(["run", commune.path, "--simulate", "--from", "2024-11-25", "--to", "2024-11-25", "--log", log]).status == 0)
        let sync = ["sync", commune.path, "--to", "postgres://kha_son@127.0.0.1:\(cluster.port)/postgres", "--password-file", passwordFile, "--log", log]
        let first = try await loa(sync)
        #expect(first.status == 0 && first.stdout.contains("fetched campaign chuyen-doi-so-tinh-2024"), "\(first.stdout)\(first.stderr)")
        let draft = try String(contentsOf: commune.file("campaigns/drafts/chuyen-doi-so-tinh-2024.yaml"), encoding: .utf8)
        #expect(draft.hasPrefix("# Issued by the province: Sở VH-TT-DL tỉnh Thái Nguyên") && draft.contains("drafted-by: \"Sở VH-TT-DL tỉnh Thái Nguyên\""))
        #expect(FileManager.default.contentsEqual(atPath: commune.file("audio/cds-tinh.wav").path, andPath: folder.file("tinh/cds-tinh.wav").path))
        // As the leader approves it: moved out of drafts/, it passes the commune's check and is planned.
        try FileManager.default.moveItem(at: commune.file("campaigns/drafts/chuyen-doi-so-tinh-2024.yaml"), to: commune.file("campaigns/chuyen-doi-so-tinh-2024.yaml"))
        let check = try await loa(["check", commune.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let plan = try await loa(["plan", commune.path, "--from", "2024-11-25", "--to", "2024-11-25"])
        #expect(plan.stdout.contains("Ngày Chuyển đổi số của tỉnh"), "\(plan.stdout)")
        #expect(try await loa(sync).stdout.contains("fetched") == false, "an approved campaign is not fetched again")

        // Another commune whose library has another file of that name keeps the campaign out.
        let other = try CheckAndPlanTests.copyOfExample()
        AudioFixture.tone(other.file("audio/cds-tinh.wav"), seconds: 2)
        #expect(try await loa(["central", "add-commune", cluster.adminURL] + admin + ["--code", "04570", "--name", "Xã Tân Thành", "--role", "tan_thanh"], input: "mat-khau-tan-thanh\n").status == 0)
        let otherPassword = folder.file("tan_thanh.pass").path
        try Data("mat-khau-tan-thanh\n".utf8).write(to: URL(fileURLWithPath: otherPassword))
        chmod(otherPassword, 0o600)
        let otherLog = folder.file("tan-thanh.sqlite").path
        #expect(try await loa(["run", other.path, "--simulate", "--from", "2024-11-25", "--to", "2024-11-25", "--log", otherLog]).status == 0)
        let refused = try await loa(
            ["sync", other.path, "--to", "postgres://tan_thanh@127.0.0.1:\(cluster.port)/postgres", "--password-file", otherPassword, "--log", otherLog])
        #expect(refused.status == 0 && refused.stderr.contains("the library already has another 'cds-tinh.wav'"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other.file("campaigns/drafts/chuyen-doi-so-tinh-2024.yaml").path))

        // A store whose rows were written by hand is not trusted either: an audio name that is no
        // plain file name (here `..`) keeps its campaign out, and nothing is written.
        #expect(try await cluster.query(
            "INSERT INTO loa.published_campaign (id, yaml, publisher) VALUES ('tay-2024', 'id: tay-2024', 'x'); "
                + "INSERT INTO loa.published_audio VALUES ('tay-2024', '..', 'abc')").ok)
        let hostile = try await loa(sync)
        #expect(hostile.status == 0 && hostile.stderr.contains("tay-2024: its audio '..' is no plain file name"), "\(hostile.stderr)")
        #expect(!FileManager.default.fileExists(atPath: commune.file("campaigns/drafts/tay-2024.yaml").path))
    }

    /// A sync killed mid-way and run again ends with every sealed row in the store, once.
    @Test func aSyncKilledMidwayResumesFromTheMark() async throws {
        let cluster = try await PostgresCluster.start()
        let folder = TemporaryFolder()
        _ = try await offThePool { try LoaProcess.run(["central", "init", cluster.adminURL, "--password-file", cluster.adminPasswordFile]) }
        _ = try await offThePool {
            try LoaProcess.run(
                ["central", "add-commune", cluster.adminURL, "--password-file", cluster.adminPasswordFile, "--code", "04567", "--name", "Xã Kha Sơn",
                 "--role", "kha_son"], input: "mat-khau-kha-son-04567\n")
        }
        let passwordFile = folder.file("password").path
        try Data("mat-khau-kha-son-04567\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        chmod(passwordFile, 0o600)
        let log = folder.file("log.sqlite").path
        _ = try await offThePool {
            try LoaProcess.run(["run", CheckAndPlanTests.example, "--simulate", "--from", "2024-11-25", "--to", "2025-02-28", "--log", log])
        }
        let arguments = ["sync", CheckAndPlanTests.example, "--to", "postgres://kha_son@127.0.0.1:\(cluster.port)/postgres", "--password-file", passwordFile, "--log", log]
        let interrupted = Process()
        interrupted.executableURL = LoaProcess.binary
        interrupted.arguments = arguments
        interrupted.standardOutput = FileHandle.nullDevice
        interrupted.standardError = FileHandle.nullDevice
        try interrupted.run()
        _ = await poll(timeout: 10) {
            (try? cluster.psql("SELECT count(*) FROM loa.broadcast").output.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { Int($0) } ?? 0 > 0
        }
        kill(interrupted.processIdentifier, SIGKILL)
        interrupted.waitUntilExit()
        let resumed = try await offThePool { try LoaProcess.run(arguments) }
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let local = try await DatabaseQueue(path: log).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM broadcast WHERE sealSequence IS NOT NULL") ?? 0 }
        let central = try await cluster.query("SELECT count(*), count(DISTINCT seal_sequence), max(seal_sequence) FROM loa.broadcast").output
        #expect(central.trimmingCharacters(in: .whitespacesAndNewlines) == "\(local)|\(local)|\(local)", "every row once: \(central) for \(local)")
    }
}
