import Templating
import Testing

@Suite("JSONObject and JSONValue equality")
struct JSONObjectTests {
  @Test("keeps insertion order through updates and removals, small and large")
  func order() {
    // setup
    var object = JSONObject()
    let names = (0..<20).map { "k\(19 - $0)" }
    // act
    for (offset, name) in names.enumerated() { object[name] = .number(Double(offset)) }
    object["k10"] = "updated"
    object["k5"] = nil
    object.removeValue(forKey: "k19")
    // check
    #expect(object.keys == names.filter { $0 != "k5" && $0 != "k19" })
    #expect(object["k10"] == "updated")
    #expect(object["k0"] == 19)
    #expect(object["k5"] == nil)
    #expect(object.map(\.key) == object.keys)
    #expect(object.pairs.map(\.value) == object.values)
    #expect(object.count == 18)
  }

  @Test("JSON equality: key order ignored, 1 == 1.0, booleans are not numbers")
  func equality() {
    #expect(JSONValue.object(["a": 1, "b": 2]) == ["b": 2, "a": 1.0])
    #expect(Set<JSONValue>([["a": 1, "b": 2], ["b": 2, "a": 1.0]]).count == 1)
    #expect(JSONValue.bool(true) != .number(1))
    #expect(JSONValue.bool(false) != .number(0))
    #expect(JSONValue.number(0) == .number(-0.0))
    #expect(Set<JSONValue>([0, .number(-0.0)]).count == 1)
    #expect(JSONValue.object(["a": 1]) != ["a": 1, "b": 2])
  }

  @Test("strings compare by code points, not canonical equivalence")
  func stringEquality() {
    #expect(JSONValue.string("\u{E4}") != .string("a\u{308}"))
    #expect(JSONValue.string("\u{E4}") == .string("\u{E4}"))
  }

  @Test("accessors")
  func accessors() {
    let value: JSONValue = ["s": "x", "n": 2.5, "i": 4, "b": true, "l": [1, 2], "o": ["k": nil]]
    #expect(value["s"]?.stringValue == "x")
    #expect(value[key: "s"]?.stringValue == "x")
    #expect(value["n"]?.numberValue == 2.5)
    #expect(value["n"]?.doubleValue == 2.5)
    #expect(value["n"]?.intValue == nil)
    #expect(value["i"]?.intValue == 4)
    #expect(value["i"]?.isInteger == true)
    #expect(value["b"]?.boolValue == true)
    #expect(value["l"]?[1] == 2)
    #expect(value["l"]?[2] == nil)
    #expect(value["o"]?["k"]?.isNull == true)
    #expect(value["missing"] == nil)
    #expect(value["s"]?["x"] == nil)
    #expect(value.typeName == "object")
    #expect(value["l"]?.arrayValue?.count == 2)
    #expect(value["o"]?.objectValue?.keys == ["k"])
  }
}
