import LoaLog
import LoaModel
import LoaPlanner

/// What a page's two columns call an item, plan entry or log row: its campaign (or nhạc hiệu,
/// or tiếp sóng) and its title (or the relay source's name, or what aired while it failed).
extension StationNames {
    func what(_ entry: PlanEntry) -> (campaign: String, message: String) {
        entry.role == .relay ? ("Tiếp sóng", relaySource(entry.message)) : (campaign(entry.campaign), message(entry.message, of: entry.campaign))
    }

    func what(_ row: BroadcastRecord) -> (campaign: String, message: String) {
        switch row.role {
        case .relay: ("Tiếp sóng", relaySource(row.message))
        case .relayFallback: ("Tiếp sóng", row.audio.isEmpty ? "im lặng khi mất tín hiệu" : "dự phòng: \(message(row.message, of: nil))")
        case .liveEmergency, .livePriority: ("Nói trực tiếp", row.message)
        case .announcementEmergency, .announcementPriority: ("Thông báo", message(row.message, of: nil))
        default: (campaign(row.campaign), message(row.message, of: row.campaign))
        }
    }
}
