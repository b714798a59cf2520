import Foundation
import Templating
import Testing

@Suite("JSONValue serialisation")
struct JSONValueSerializationTests {
  // Expected strings produced by node's String(n) (V8).
  @Test(
    "numbers print as JavaScript prints them",
    arguments: [
      (0.0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (1.5, "1.5"), (0.1, "0.1"),
      (1e21, "1e+21"), (1e20, "100000000000000000000"),
      (1.2345678901234568e20, "123456789012345680000"), (1e-7, "1e-7"),
      (0.000001, "0.000001"), (1.5e-7, "1.5e-7"), (Double.leastNonzeroMagnitude, "5e-324"),
      (1.7976931348623157e308, "1.7976931348623157e+308"), (0.1 + 0.2, "0.30000000000000004"),
      (100, "100"), (9_007_199_254_740_992, "9007199254740992"), (1e15, "1000000000000000"),
      (1.5e15, "1500000000000000"), (123.456, "123.456"), (-1234.5, "-1234.5"),
      (1e16, "10000000000000000"), (12_345_678.9, "12345678.9"), (-1e-7, "-1e-7"),
      (2.5e-10, "2.5e-10"), (1.2345e25, "1.2345e+25"), (0.00001234, "0.00001234"),
      (4.35, "4.35"), (1.0 / 3.0, "0.3333333333333333"),
    ] as [(Double, String)])
  func formatsNumbers(number: Double, expected: String) {
    #expect(JSONValue.javaScriptString(number) == expected)
    #expect(JSONValue.number(number).compactJSON == expected)
  }

  @Test("non-finite numbers: JavaScript names, null in JSON")
  func nonFinite() {
    #expect(JSONValue.javaScriptString(.nan) == "NaN")
    #expect(JSONValue.javaScriptString(-.infinity) == "-Infinity")
    #expect(JSONValue.number(.infinity).compactJSON == "null")
  }

  @Test("compact and pretty output match JSON.stringify")
  func stringify() throws {
    // setup: the same value node printed with JSON.stringify(v) and JSON.stringify(v, null, 2)
    let value: JSONValue = [
      "a": [1, ["b": nil, "c": "x\u{1}\n\"\\/é\u{2028}"]], "e": [:], "f": [], "g": [[]],
    ]
    // check
    #expect(
      value.compactJSON == #"{"a":[1,{"b":null,"c":"x\u0001\n\"\\/é"# + "\u{2028}"
        + #""}],"e":{},"f":[],"g":[[]]}"#)
    #expect(
      value.prettyJSON == """
        {
          "a": [
            1,
            {
              "b": null,
              "c": "x\\u0001\\n\\"\\\\/é\u{2028}"
            }
          ],
          "e": {},
          "f": [],
          "g": [
            []
          ]
        }
        """)
    #expect(value.serialized(indent: "\t").contains("\n\t\"a\": [\n\t\t1"))
    #expect(value.description == value.compactJSON)
  }

  @Test("parse then serialise round-trips, key order included")
  func roundTrip() throws {
    let text = #"{"z":[1,2.5,"é\"x",null,true],"a":{"k":-0.001,"j":[]}}"#
    #expect(try JSONValue(parsing: text).compactJSON == text)
  }

  @Test("Codable encodes integers without .0 and decodes every kind of value")
  func codable() throws {
    // setup
    let value: JSONValue = ["n": 3, "x": 2.5, "s": "t", "b": false, "z": nil, "l": [1, [:]]]
    // act
    let data = try JSONEncoder().encode(value)
    let decoded = try JSONDecoder().decode(JSONValue.self, from: data)
    // check
    #expect(decoded == value)
    #expect(String(decoding: data, as: UTF8.self).contains(#""n":3"#))
    #expect(try JSONDecoder().decode([JSONValue].self, from: Data("[true, 1]".utf8)) == [true, 1])
  }
}
