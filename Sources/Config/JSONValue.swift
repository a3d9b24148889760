/// A JSON scalar that a body assertion compares a field against.
package enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
}
