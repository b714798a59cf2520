import Foundation
import Templating
import Testing

@testable import App

/// Request bodies are decoded from the value the contract check parsed, never parsed again.
@Suite struct JSONValueDecoderTests {
  struct Sample: Decodable, Equatable {
    struct Nested: Decodable, Equatable {
      let flag: Bool
      let scores: [Double]
    }
    let name: String
    let count: Int
    let small: UInt8?
    let missing: String?
    let nested: Nested
    let list: [Nested?]
    let raw: JSONValue
    let id: UUID
  }

  @Test func decodesWhatJSONDecoderDecodes() throws {
    let text = """
      {"name":"Ann","count":3,"small":255,"nested":{"flag":true,"scores":[1,2.5]},
       "list":[null,{"flag":false,"scores":[]}],"raw":{"b":1,"a":[true]},
       "id":"4B1D2A7E-3C52-4F7B-9D1E-2A3B4C5D6E7F"}
      """
    let value = try JSONValue(parsing: text)
    let decoded = try JSONValueDecoder().decode(Sample.self, from: value)
    #expect(decoded == (try JSONDecoder().decode(Sample.self, from: Data(text.utf8))))
    #expect(decoded.raw.compactJSON == #"{"b":1,"a":[true]}"#)
  }

  @Test(arguments: [
    (#"{"count":1.5}"#, "count"),
    (#"{"count":"1"}"#, "count"),
    (#"{"small":256}"#, "small"),
    (#"{"nested":{"flag":1}}"#, "nested.flag"),
    (#"{"list":[{"flag":true,"scores":["x"]}]}"#, "list[0].scores[0]"),
  ])
  func aWrongValueNamesItsPath(json: String, path: String) throws {
    struct Partial: Decodable {
      let count: Int?
      let small: UInt8?
      let nested: Sample.Nested?
      let list: [Sample.Nested]?
    }
    do {
      _ = try JSONValueDecoder().decode(Partial.self, from: try JSONValue(parsing: json))
      Issue.record("\(json) decoded")
    } catch let error as DecodingError {
      let problem = ProblemDetails.decoding(error)
      #expect(problem.errors?.first?.field == path, "\(json): \(problem)")
    }
  }

  @Test func aMissingMemberIsRequired() throws {
    struct Needs: Decodable { let name: String }
    #expect(throws: DecodingError.self) {
      try JSONValueDecoder().decode(Needs.self, from: try JSONValue(parsing: "{}"))
    }
  }
}
