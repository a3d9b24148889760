import Locking

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The UTC offsets of an IANA time zone (`Europe/Berlin`, `America/New_York`, `UTC`, `Etc/GMT+5`), read from the
/// system's compiled time zone database: the TZif file (RFC 8536) `<identifier>` in `$TZDIR`, or in
/// `/usr/share/zoneinfo` when `TZDIR` is not set.
///
/// Before the file's first transition the zone is in its first local time type; between transitions, in the type
/// of the last one; after the last, in the rule of the file's footer (a POSIX `TZ` string), which for files built
/// with `zic -b slim` decides every instant after the newest listed change. Leap second records are ignored.
package struct ZoneRules: Sendable, Equatable {
    /// Why a zone could not be loaded.
    package enum LoadError: Error, CustomStringConvertible, Equatable {
        /// The identifier is empty, absolute, contains `..` or has a character other than letters, digits,
        /// `_`, `+`, `-` and `/`.
        case invalidIdentifier(String)
        /// The file could not be opened or read, or is not a regular file.
        case unreadable(path: String, reason: String)
        /// The file does not start with the TZif magic `TZif`.
        case notTZif(path: String)
        /// The file starts like TZif but its contents are cut short or inconsistent.
        case malformed(path: String, reason: String)

        package var description: String {
            switch self {
            case .invalidIdentifier(let identifier):
                "\"\(identifier)\" is not a time zone identifier such as Europe/Berlin"
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .notTZif(let path): "\(path) is not a compiled time zone (TZif) file"
            case .malformed(let path, let reason): "\(path) is not a valid TZif file: \(reason)"
            }
        }
    }

    /// The directory zones are read from when `TZDIR` is not set.
    package static let defaultDirectory = "/usr/share/zoneinfo"

    /// The zone's identifier, e.g. `Europe/Berlin`.
    package let identifier: String
    /// Transition instants, Unix seconds, ascending.
    private let transitions: [Int64]
    /// For each transition, the index in ``offsets`` of the local time type that starts there.
    private let transitionTypes: [UInt8]
    /// Each local time type's offset, seconds east of UTC; type 0 holds before the first transition.
    private let offsets: [Int]
    /// The rule after the last transition, when the file has a footer.
    private let footer: PosixTimeZoneRule?

    /// Reads the zone `identifier` from `directory`.
    package init(identifier: String, directory: String) throws(LoadError) {
        guard Self.isValidIdentifier(identifier) else { throw .invalidIdentifier(identifier) }
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + identifier
        let bytes = try Self.readFile(path)
        try self.init(identifier: identifier, tzif: bytes, path: path)
    }

    /// A zone of these transitions and local time types.
    init(
        identifier: String,
        transitions: [Int64],
        transitionTypes: [UInt8],
        offsets: [Int],
        footer: PosixTimeZoneRule?
    ) {
        self.identifier = identifier
        self.transitions = transitions
        self.transitionTypes = transitionTypes
        self.offsets = offsets
        self.footer = footer
    }

    /// The zone `identifier` from `directory`, by default `$TZDIR` (or ``defaultDirectory`` when that is not set),
    /// loaded once and then kept.
    ///
    /// Where no file has the name, the fixed offsets Foundation's `TimeZone` also accepted are known: `UTC` and
    /// `GMT`, and `GMT` or `UTC` followed by a sign and hours, with or without minutes, up to 18:00 (`GMT+5`,
    /// `UTC-09:30`, `GMT+0530`), counted east of Greenwich. (The tz database's `Etc/GMT+5` counts west, as POSIX
    /// does: it is UTC-5.)
    package static func load(_ identifier: String, directory: String? = nil) throws(LoadError) -> ZoneRules {
        let environment = getenv("TZDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let directory = directory ?? environment ?? defaultDirectory
        let key = directory + "\u{0}" + identifier
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let rules: ZoneRules
        do {
            rules = try ZoneRules(identifier: identifier, directory: directory)
        } catch {
            switch error {
            case .unreadable, .invalidIdentifier: break
            case .notTZif, .malformed: throw error
            }
            guard let offset = fixedOffset(identifier) else { throw error }
            rules = ZoneRules(
                identifier: identifier,
                transitions: [],
                transitionTypes: [],
                offsets: [offset],
                footer: nil
            )
        }
        cache.withLock { cache in
            // Configs name a handful of zones; the bound only keeps a stream of distinct names from growing it.
            if cache.count >= 64 { cache.removeAll() }
            cache[key] = rules
        }
        return rules
    }

    /// The zone `identifier`, as ``load(_:directory:)`` reads it, or `nil` when it cannot be loaded.
    package static func named(_ identifier: String, directory: String? = nil) -> ZoneRules? {
        try? load(identifier, directory: directory)
    }

    private static let cache = Locked<[String: ZoneRules]>([:])

    /// Seconds east of UTC at `unixSeconds` (e.g. 3600 in Berlin in winter, -14400 in New York in summer).
    package func utcOffset(at unixSeconds: Int) -> Int {
        guard let last = transitions.last else { return footer?.utcOffset(at: unixSeconds) ?? offsets[0] }
        let instant = Int64(clamping: unixSeconds)
        if instant >= last, let footer { return footer.utcOffset(at: unixSeconds) }
        guard instant >= transitions[0] else { return offsets[0] }
        // The last transition at or before the instant.
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return offsets[Int(transitionTypes[low])]
    }

    /// Seconds east of UTC of `UTC`, `GMT`, `GMT+5`, `UTC-09:30` or `GMT+0530`; `nil` for any other name.
    static func fixedOffset(_ identifier: String) -> Int? {
        let bytes = Array(identifier.utf8)
        guard bytes.count >= 3, bytes[0..<3].elementsEqual("GMT".utf8) || bytes[0..<3].elementsEqual("UTC".utf8)
        else { return nil }
        let rest = bytes[3...]
        guard let sign = rest.first else { return 0 }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = rest.dropFirst()
        func number(_ slice: ArraySlice<UInt8>) -> Int? {
            guard !slice.isEmpty, slice.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                return nil
            }
            return slice.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        let hours: Int?
        var minutes: Int? = 0
        if let colon = digits.firstIndex(of: UInt8(ascii: ":")) {
            hours = digits.distance(from: digits.startIndex, to: colon) <= 2 ? number(digits[..<colon]) : nil
            let after = digits[(colon + 1)...]
            minutes = after.count == 2 ? number(after) : nil
        } else if digits.count <= 2 {
            hours = number(digits)
        } else if digits.count == 4 {
            hours = number(digits.prefix(2))
            minutes = number(digits.suffix(2))
        } else {
            hours = nil
        }
        guard let hours, let minutes, minutes < 60, hours * 60 + minutes <= 18 * 60 else { return nil }
        return (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
    }

    /// Letters, digits, `_`, `+`, `-` and `/`; not empty, not absolute, no `..`: a name inside the zone directory.
    static func isValidIdentifier(_ identifier: String) -> Bool {
        guard !identifier.isEmpty, identifier.utf8.count <= 255, !identifier.hasPrefix("/"),
            !identifier.contains("..")
        else { return false }
        return identifier.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                UInt8(ascii: "/"):
                true
            default: false
            }
        }
    }

    /// Zone files are a few kilobytes; anything much larger is not one.
    private static let maximumFileSize = 1 << 20

    private static func readFile(_ path: String) throws(LoadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: Self.errorText(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: Self.errorText(errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        guard Int(status.st_size) <= maximumFileSize else { throw .notTZif(path: path) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: Self.errorText(errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            guard bytes.count <= maximumFileSize else { throw .notTZif(path: path) }
        }
        return bytes
    }

    private static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
