import Foundation
import SQLKit
import SQLiteKit
import Testing

@testable import App

/// `UUID(text:)` and `lowercasedText` read and write what Foundation's `UUID(uuidString:)` and
/// `uuidString` do; a direct row decodes ids and optionals as SQLiteKit's decoder does.
@Suite struct UUIDTextTests {
  @Test func textIsWrittenAndReadAsFoundationDoes() {
    for _ in 0..<2_000 {
      let id = UUID.random()
      #expect(id.lowercasedText == id.uuidString.lowercased())
      #expect(UUID(text: id.uuidString) == id)
      #expect(UUID(text: id.lowercasedText) == id)
      let mixed = String(
        id.uuidString.enumerated().map {
          $0.offset.isMultiple(of: 3) ? $0.element : Character($0.element.lowercased())
        })
      #expect(UUID(text: mixed) == id)
    }
    for bytes: uuid_t in [
      (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
      (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255),
    ] {
      let id = UUID(uuid: bytes)
      #expect(id.lowercasedText == id.uuidString.lowercased())
      #expect(UUID(text: id.uuidString) == id)
    }
  }

  @Test func textFoundationRefusesIsRefused() {
    let valid = "0191c4b2-7e3a-7c1d-8f2e-5a6b7c8d9e0f"
    var candidates = [
      "", valid.uppercased() + "0", String(valid.dropLast()), "{\(valid)}", " \(valid)",
      "\(valid) ", valid.replacingOccurrences(of: "-", with: ""),
      "0191c4b27-e3a-7c1d-8f2e-5a6b7c8d9e0f", "0191c4b2-7e3a-7c1d-8f2e_5a6b7c8d9e0f",
      "0191c4b2-7e3a-7c1d-8f2e-5a6b7c8d9e0g", "0191c4b2-7e3a-7c1d-8f2e-5a6b7c8d9e0é",
    ]
    // Every single character replaced by one that is never a digit or a hyphen.
    for index in valid.indices {
      candidates.append(valid.replacingCharacters(in: index...index, with: "z"))
    }
    for candidate in candidates {
      #expect(UUID(text: candidate) == UUID(uuidString: candidate), "\(candidate)")
      #expect(UUID(text: candidate) == nil, "\(candidate)")
    }
    #expect(UUID(text: valid) == UUID(uuidString: valid))
    // Foundation reads each pair of digits with `sscanf`'s `%2hhx`, which also takes a sign or
    // a `0x`: not a UUID's text, and refused here.
    for lenient in ["0191c4b2-7e3a-7c1d-8f2e-5a6b7c8d9e+f", "0x91c4b2-7e3a-7c1d-8f2e-5a6b7c8d9e0f"]
    {
      #expect(UUID(uuidString: lenient) != nil)
      #expect(UUID(text: lenient) == nil)
    }
  }

  @Test func directRowsDecodeAsSQLiteKitsDecoder() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-uuid-text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let connection = try SQLiteDirectConnection(
      path: folder.appendingPathComponent("db.sqlite").path, busyTimeout: .seconds(1))
    let id = UUID.random()
    let row = try #require(
      try connection.rows(
        "SELECT ?1 AS id, lower(?1) AS lower_id, NULL AS empty, 'text' AS word, 5 AS five, 2.5 AS half",
        [.uuid(id)]
      ).first)
    let decoder = SQLiteDataDecoder()
    func same<D: Decodable & Equatable>(_ column: String, _ type: D.Type) throws {
      let direct = Result { try row.decode(column: column, as: D.self) }
      let reference = Result {
        try decoder.decode(D.self, from: row.values[row.names.firstIndex(of: column)!])
      }
      switch (direct, reference) {
      case (.success(let a), .success(let b)): #expect(a == b, "\(column) as \(D.self)")
      case (.failure, .failure): break
      default: Issue.record("\(column) as \(D.self): \(direct) against \(reference)")
      }
    }
    for column in row.names {
      try same(column, UUID.self)
      try same(column, UUID?.self)
      try same(column, String.self)
      try same(column, String?.self)
      try same(column, Int.self)
      try same(column, Int?.self)
      try same(column, Bool.self)
      try same(column, Double?.self)
    }
    #expect(try row.decode(column: "id", as: UUID.self) == id)
    #expect(try row.decode(column: "lower_id", as: UUID?.self) == id)
    #expect(try row.decode(column: "empty", as: UUID?.self) == nil)
    #expect(try row.decode(column: "five", as: Int?.self) == 5)
    #expect(throws: (any Error).self) { try row.decode(column: "word", as: UUID.self) }
  }
}
