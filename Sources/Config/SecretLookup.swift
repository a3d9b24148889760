/// The outcome of looking up one `*_file` / `*_env` secret pair.
package enum SecretLookup {
    /// Neither key is set.
    case absent
    /// The secret was read.
    case found(Secret)
    /// A key is set but the secret could not be read; the error is already recorded.
    case failed

    /// The secret, if it was read.
    package var secret: Secret? {
        if case .found(let secret) = self {
            return secret
        }
        return nil
    }

    /// Whether a key was set but could not be read (its error is already recorded).
    package var isFailed: Bool {
        if case .failed = self {
            return true
        }
        return false
    }
}
