/// Why a server could not be configured or started.
package enum ServerError: Error, CustomStringConvertible, Equatable {
    /// A listen address that is not of the form "host:port", ":port" or "[ipv6]:port".
    case invalidListenAddress(String)
    /// The host could not be resolved to an address to bind.
    case cannotResolve(host: String, reason: String)
    /// The socket could not be created, bound or put into listening state (e.g. the port is in use).
    case cannotBind(address: String, reason: String)
    /// libmicrohttpd refused to start the daemon (e.g. unusable TLS certificate or key).
    case cannotStart(address: String, reason: String)
    /// An option value is out of range.
    case invalidOption(String)

    /// A message a user can act on, e.g. "cannot listen on 127.0.0.1:9330: address already in use".
    package var description: String {
        switch self {
        case .invalidListenAddress(let s):
            return "invalid listen address \"\(s)\": expected host:port, :port or [ipv6]:port with a port in 0...65535"
        case .cannotResolve(let host, let reason):
            return "cannot resolve listen host \"\(host)\": \(reason)"
        case .cannotBind(let address, let reason):
            return "cannot listen on \(address): \(reason)"
        case .cannotStart(let address, let reason):
            return "cannot start HTTP server on \(address): \(reason)"
        case .invalidOption(let s):
            return "invalid HTTP server option: \(s)"
        }
    }
}
