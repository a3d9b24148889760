import Simulator
import Testing

@Suite struct RecencyMapTests {
    @Test func forgetsTheLeastRecentlyUsedPastTheCapacity() {
        var map = RecencyMap<String, Int>(capacity: 2)
        let first = map.set(1, for: "a") + map.set(2, for: "b")
        #expect(first.isEmpty)
        let touched = map.touch("a")
        #expect(touched == 1)
        let forgotten = map.set(3, for: "c")
        #expect(forgotten == ["b"])
        #expect(map["a"] == 1 && map["b"] == nil && map["c"] == 3)
        // Reading through the subscript does not count as a use.
        _ = map["a"]
        let next = map.set(4, for: "d")
        #expect(next == ["a"])
    }

    @Test func replaceKeepsTheOrderAndResizeTrims() {
        var map = RecencyMap<Int, String>(capacity: 3)
        for key in 0..<3 { map.set("v\(key)", for: key) }
        let replaced = map.replace("new", for: 0)
        let absent = map.replace("x", for: 9)
        #expect(replaced && !absent)
        #expect(map[0] == "new")
        let forgotten = map.resize(to: 1)
        #expect(forgotten == [0, 1])
        #expect(map.count == 1 && map[2] == "v2")
        let removed = map.removeValue(forKey: 2)
        #expect(removed == "v2" && map.count == 0)
    }

    @Test func zeroCapacityKeepsNothing() {
        var map = RecencyMap<Int, Int>(capacity: 0)
        let forgotten = map.set(1, for: 1)
        #expect(forgotten == [1])
        #expect(map.count == 0)
    }

    @Test func manyTouchesStayConsistent() {
        var map = RecencyMap<Int, Int>(capacity: 100)
        for key in 0..<100 { map.set(key, for: key) }
        for round in 0..<10_000 { map.touch(round % 50) }
        // Keys 0..<50 were used last, so the next 50 insertions forget 50..<100 in their order.
        let forgotten = (100..<150).flatMap { map.set($0, for: $0) }
        #expect(forgotten == Array(50..<100))
        #expect(map.count == 100)
        #expect((0..<50).allSatisfy { map[$0] == $0 })
    }
}
