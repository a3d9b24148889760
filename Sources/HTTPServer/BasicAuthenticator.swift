import CCrypt
import Digest
import FoundationEssentials
import Locking

/// Checks HTTP basic-auth credentials against bcrypt hashes, as the Prometheus exporter-toolkit's
/// `basic_auth_users` does.
///
/// bcrypt is slow on purpose (tens of milliseconds per check), and the check runs on the server's thread, so
/// credentials that verified once are remembered by a SHA-256 of user and password. The cache holds no
/// password and is bounded.
package final class BasicAuthenticator: Sendable {
    private let users: [String: String]
    private let verified = Locked<Set<String>>([])
    private static let cacheLimit = 256

    /// Creates an authenticator for `users` (user name → bcrypt hash).
    package init(users: [String: String]) {
        self.users = users
    }

    /// `text` without the spaces and tabs around it.
    private static func trimmingBlanks(_ text: Substring) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return text[first...last]
    }

    /// Whether the `Authorization` header carries valid credentials.
    package func authorizes(_ authorization: String?) -> Bool {
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(Self.trimmingBlanks(authorization.dropFirst(6)))),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return false }
        let user = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard let hash = users[user] else {
            // Spend the same time on unknown users so timing does not reveal which names exist.
            _ = slaprobe_crypt_matches(password, "$2y$10$slaprobe.timing.equalizer.hash.value.xxxxxxxxxxxxxx")
            return false
        }
        let key = Self.cacheKey(user: user, password: password, hash: hash)
        if verified.withLock({ $0.contains(key) }) { return true }
        guard slaprobe_crypt_matches(password, hash) == 1 else { return false }
        verified.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache.insert(key)
        }
        return true
    }

    /// Wraps `handler` so that requests without valid credentials get a 401 asking for basic auth.
    package func protect(_ handler: @escaping @Sendable (ServerRequest) -> ServerResponse)
        -> @Sendable (ServerRequest) -> ServerResponse
    {
        { [self] request in
            guard authorizes(request.header("authorization")) else {
                return ServerResponse(
                    status: 401,
                    headers: [("WWW-Authenticate", "Basic realm=\"slaprobe\""), ("Content-Type", "text/plain")],
                    body: .bytes(Array("401 Unauthorized\n".utf8))
                )
            }
            return handler(request)
        }
    }

    private static func cacheKey(user: String, password: String, hash: String) -> String {
        // The cache lives only in memory; hashing keeps the passwords themselves out of it.
        SHA256.hex(SHA256.hash(Array("\(user)\u{0}\(password)\u{0}\(hash)".utf8)))
    }
}
