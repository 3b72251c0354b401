import ArgumentParser
import Foundation
import LoaAudio
import LoaCentral
import LoaFrontend
import LoaImport
import LoaModel
import LoaSystem

/// `loa central campaign publish`: the province issues one campaign to every commune.
struct CentralCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Campaigns the province issues to every commune.", subcommands: [CentralPublish.self])
}

struct CentralPublish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Issue a campaign file, with the audio its messages name, to every commune of the store.",
        discussion: """
            The file is checked as a commune would check it, against a station with one FM channel, one \
            loudspeaker cluster and one session, so it must name its channels and sessions as 'all' (the \
            province knows no commune's ids) and its audio as plain file names beside it (or in --audio). \
            Each commune's next sync fetches it into campaigns/drafts/, with its audio into the library, \
            for its leader to approve as any other. Publishing the same id again replaces it.
            """)

    @OptionGroup var options: CentralOptions
    @Argument(help: "The campaign's YAML file.", completion: .file()) var file: String
    @Option(help: "Where its audio files are (default: the file's folder).") var audio: String?
    @Option(help: "Who issues it, as drafts name their author: 'Sở VH-TT-DL tỉnh Thái Nguyên'.") var publisher: String

    func validate() throws {
        if publisher.trimmingCharacters(in: .whitespaces).isEmpty || publisher.count > 200 {
            throw ValidationError("--publisher is 1-200 characters")
        }
    }

    func run() async throws {
        let (id, text, audioFiles) = try checked()
        try await withStore(options) { try await $0.publish(id: id, yaml: text, publisher: publisher, audio: audioFiles) }
        print("issued campaign \(id) with \(audioFiles.count) audio file(s); communes fetch it as a draft on their next sync")
    }

    /// The campaign's id, its text and its audio, after the checks a commune would make.
    private func checked() throws -> (String, String, [(name: String, data: Data)]) {
        let source = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: source.path), data.count <= ConfigLimits.fileBytes,
            let text = String(data: data, encoding: .utf8)
        else { throw failure("\(file): not a UTF-8 file of at most \(ConfigLimits.fileBytes) bytes") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loa-publish-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = source.lastPathComponent.hasSuffix(".yaml") ? source.lastPathComponent : source.lastPathComponent + ".yaml"
        do {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("campaigns"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("audio"), withIntermediateDirectories: true)
            try Data(Self.station.utf8).write(to: folder.appendingPathComponent("station.yaml"))
            try data.write(to: folder.appendingPathComponent("campaigns/\(name)"))
        } catch {
            throw failure("cannot check \(file): \(error)")
        }
        guard let campaign = StationLoader.load(folder: folder.path).station?.campaigns.first else {
            throw failure("\(file): not a campaign (loa check it in a station first)")
        }
        let audioFolder = URL(fileURLWithPath: audio ?? source.deletingLastPathComponent().path)
        var files: [(name: String, data: Data)] = []
        for path in Set(campaign.messages.map(\.audio.path)).sorted() {
            guard PublishedCampaigns.isPlainAudioName(path) else {
                throw failure("\(file): audio '\(path)' must be a plain file name (letters, digits, '-'), as communes' libraries keep it")
            }
            guard let bytes = FileManager.default.contents(atPath: audioFolder.appendingPathComponent(path).path), bytes.count <= 50 << 20 else {
                throw failure("\(file): audio '\(path)' is not in \(audioFolder.path), or is larger than 50 MB")
            }
            try? bytes.write(to: folder.appendingPathComponent("audio/\(path)"))
            files.append((path, bytes))
        }
        let check = CheckedStation.check(folder: folder.path, probe: AudioProbing.probe)
        let errors = check.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw failure(errors.map { "\(file):\($0.location.line):\($0.location.column): error: \($0.message)" }.joined(separator: "\n"))
        }
        return (campaign.id, text, files)
    }

    /// What a published campaign is checked against: any commune has FM, loudspeakers and a session.
    static let station = """
        station: {name: Kiểm tra chiến dịch của tỉnh, audio-library: audio}
        channels:
          - {id: fm, kind: fm, name: FM, device: "null"}
          - {id: loa, kind: loudspeaker, name: Loa, device: "null"}
        sessions:
          - {id: sang, name: Sáng, start: "05:00", end: "21:00", channels: all}
        """

    private func failure(_ message: String) -> ExitCode {
        Terminal.printError("error: \(message)")
        return ExitCode.failure
    }
}

/// A commune's side: each issued campaign it has neither approved nor drafted (or whose draft an
/// older issue wrote) becomes a draft in `campaigns/drafts/`, its audio written into the library
/// first. An audio file of the same name but other content already there keeps the campaign out,
/// and says so: the commune's engineer decides.
enum PublishedCampaigns {
    static let issueMark = "# Issued by the province: "

    /// A name a library keeps as it is (letters, digits, '-', an audio extension): what a
    /// published campaign's audio must be called, checked when issued and again when fetched.
    static func isPlainAudioName(_ name: String) -> Bool {
        LibraryName.sanitized(name, extensions: AudioImport.extensions).map { "\($0.stem).\($0.extension)" == name } ?? false
    }

    static func fetch(from store: CentralStore, into folder: String, station: Station) async throws -> (fetched: [String], refused: [String]) {
        let campaigns = URL(fileURLWithPath: folder).appendingPathComponent(StationLoader.campaignsFolder)
        var fetched: [String] = [], refused: [String] = []
        for issued in try await store.published() {
            // The store's word is checked here too: its id and names become paths on this PC.
            guard Campaign.isFileID(issued.id),
                issued.yaml.utf8.count <= ConfigLimits.fileBytes
            else {
                refused.append("\(issued.id.prefix(64)): not a campaign id and file a station reads")
                continue
            }
            let approved = campaigns.appendingPathComponent("\(issued.id).yaml")
            let draft = campaigns.appendingPathComponent("drafts/\(issued.id).yaml")
            let stamp = issueMark + "\(issued.publisher), \(Approval.time(issued.publishedAt))"
            if FileManager.default.fileExists(atPath: approved.path) { continue }
            if let existing = try? String(contentsOf: draft, encoding: .utf8), existing.hasPrefix(stamp) { continue }
            var problem: String?
            var missing: [(path: String, data: Data)] = []
            for file in try await store.publishedAudio(of: issued.id) {
                guard isPlainAudioName(file.name) else {
                    problem = "its audio '\(file.name.prefix(200))' is no plain file name"
                    break
                }
                let target = station.audioLibrary.appendingPathComponent(file.name).path
                if let present = FileManager.default.contents(atPath: target) {
                    if present != file.data { problem = "the library already has another '\(file.name)'" }
                } else {
                    missing.append((target, file.data))
                }
            }
            if let problem {
                refused.append("\(issued.id): \(problem)")
                continue
            }
            for file in missing { try DurableFile.write(file.data, to: file.path) }
            var text = stamp + "\n" + issued.yaml + (issued.yaml.hasSuffix("\n") ? "" : "\n")
            if !issued.yaml.split(separator: "\n").contains(where: { $0.hasPrefix("approval:") }) {
                text += Approval(draftedBy: issued.publisher, draftedAt: Approval.time(issued.publishedAt)).yaml.joined(separator: "\n") + "\n"
            }
            try FileManager.default.createDirectory(at: draft.deletingLastPathComponent(), withIntermediateDirectories: true)
            try DurableFile.write(Data(text.utf8), to: draft.path)
            fetched.append(issued.id)
        }
        return (fetched, refused)
    }
}
