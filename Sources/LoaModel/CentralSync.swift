/// `sync:` in station.yaml: the province's central store the daemon ships its log to in the
/// background, when a network is there. The password is in a file, never here.
public struct CentralSync: Sendable, Equatable {
    /// `postgres://ROLE@HOST[:PORT]/DATABASE[?sslmode=...]`
    public var url: String
    /// Holds the commune role's password on its first line; readable by the loa user alone.
    public var passwordFile: String
    public var everyMinutes: Int

    public init(url: String, passwordFile: String, everyMinutes: Int = Self.defaultMinutes) {
        self.url = url
        self.passwordFile = passwordFile
        self.everyMinutes = everyMinutes
    }

    public static let defaultMinutes = 15
    public static let minutes = 5...1_440
}
