import Foundation
import Synchronization

/// A logged-in browser: who, the token every form must carry back (CSRF), and when it lapses.
public struct ConsoleSession: Sendable {
    public var account: String
    public var csrf: String
    public var expires: Date
}

/// Sessions live in the console's memory: restarting the console logs everyone out, which on a
/// commune office PC is a feature.
public final class SessionStore: Sendable {
    public static let cookie = "loa_phien"
    private let sessions = Mutex([String: ConsoleSession]())
    let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 8 * 3600) { self.lifetime = lifetime }

    public func open(for account: String, at now: Date) -> (token: String, session: ConsoleSession) {
        let token = ConsoleStore.randomToken()
        let session = ConsoleSession(account: account, csrf: ConsoleStore.randomToken(), expires: now.addingTimeInterval(lifetime))
        sessions.withLock { $0[token] = session }
        return (token, session)
    }

    public func session(for token: String, at now: Date) -> ConsoleSession? {
        sessions.withLock { sessions in
            guard let session = sessions[token] else { return nil }
            if session.expires <= now {
                sessions[token] = nil
                return nil
            }
            return session
        }
    }

    public func close(_ token: String) { _ = sessions.withLock { $0.removeValue(forKey: token) } }
}

/// Failed logins per account name: after `limit` within `window`, that name is refused until the
/// oldest failure leaves the window, whatever password is tried.
public final class LoginThrottle: Sendable {
    private let failures = Mutex([String: [Date]]())
    let limit: Int
    let window: TimeInterval

    public init(limit: Int = 5, window: TimeInterval = 600) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before trying again, or nil when a try is allowed.
    public func wait(for name: String, at now: Date) -> TimeInterval? {
        failures.withLock { failures in
            let recent = (failures[name] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[name] = recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return window - now.timeIntervalSince(oldest)
        }
    }

    public func failed(_ name: String, at now: Date) { failures.withLock { $0[name, default: []].append(now) } }

    public func succeeded(_ name: String) { failures.withLock { $0[name] = nil } }
}
