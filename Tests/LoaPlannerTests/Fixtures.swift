import Foundation
import LoaModel
import LoaPlanner
import LoaTestSupport

/// The planner tests' name for the shared station builder.
typealias Fixture = StationBuilder

extension Plan {
    var messages: [PlanEntry] { entries.filter { $0.role == .message } }

    func messages(on date: String, channel: String? = nil, session: String? = nil) -> [PlanEntry] {
        messages.filter {
            $0.date == Fixture.date(date) && (channel == nil || $0.channel == channel)
                && (session == nil || $0.session == session)
        }
    }
}
