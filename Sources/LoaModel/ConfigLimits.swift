/// What a station's config may ask for. Every count, length and span read from YAML has a bound
/// here, so that no accepted config can make `check`, `plan` or a daemon's start take more than
/// about a second, and no file of any shape can exhaust memory. The README lists them.
public enum ConfigLimits {
    /// A station or campaign file larger than this is refused unread.
    public static let fileBytes = 512 * 1024
    /// YAML nodes in one file, counted through aliases, so an alias bomb is refused early.
    public static let yamlNodes = 20_000
    public static let channels = 64
    public static let sessions = 24
    public static let relaySources = 16
    /// Files of one relay source's fallback playlist.
    public static let fallbackFiles = 20
    /// Relay blocks of one session: one at its start, one to its end.
    public static let relaysPerSession = 2
    /// One-off relays of one campaign.
    public static let relaysPerCampaign = 20
    public static let campaignFiles = 200
    public static let messagesPerCampaign = 100
    public static let datesOff = 400
    /// Lines of one part of the official báo cáo's heading (issuer, recipients, copies).
    public static let headingLines = 12
    /// A campaign window of more than three years is an error: directives run for weeks.
    public static let windowDays = 1_096
    /// Dates outside these years are typing mistakes.
    public static let years = 2000...2099
    /// Any single text value (names, titles, paths, devices).
    public static let textLength = 1_000
    public static let idLength = 64
}
