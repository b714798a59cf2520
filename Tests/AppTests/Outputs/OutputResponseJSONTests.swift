import Foundation
import NIOCore
import Testing

@testable import App

/// `OutputResponse.uploadJSON` writes the bytes the application's `JSONEncoder` writes for an
/// output without a review.
@Suite struct OutputResponseJSONTests {
  static func output(full: Bool) -> Output {
    let output = Output()
    output.id = UUID()
    output.$company.id = UUID()
    output.$promptVersion.id = UUID()
    output.$creator.id = UUID()
    output.$blob.id = String(repeating: "ab", count: 32)
    output.kind = full ? "file" : "text"
    output.filename = full ? "notes \"final\"/é.md" : nil
    output.contentType = "text/markdown; charset=utf-8"
    output.size = 102_400
    output.scanStatus = "clean"
    output.tokensOut = full ? 23_838 : nil
    output.ide = full ? "vscode\u{1}</script>" : nil
    output.createdAt = full ? Date(timeIntervalSince1970: 1_796_000_000.789) : nil
    return output
  }

  @Test(arguments: [true, false], [nil, true, false] as [Bool?])
  func theBytesAreThoseOfJSONEncoder(_ full: Bool, _ deduplicated: Bool?) throws {
    let response = try OutputResponse(Self.output(full: full), deduplicated: deduplicated)
    let buffer = response.uploadJSON(allocator: ByteBufferAllocator())

    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    let expected = try encoder.encode(response)
    #expect(
      Array(buffer.readableBytesView) == Array(expected),
      "\(String(buffer: buffer))\n\(String(decoding: expected, as: UTF8.self))")
  }
}

/// The audit row's `changed_fields`, written without `JSONEncoder`, as it wrote them.
@Suite struct ChangedFieldsJSONTests {
  @Test(arguments: [
    [], ["tokensOut", "content", "promptVersionId"], ["a/b", "q\"uote", "é\u{1}"],
  ])
  func theColumnIsWhatJSONEncoderWrote(_ fields: [String]) throws {
    let written = try AuditLog.json(changedFields: fields)
    let encoded =
      fields.isEmpty
      ? nil : String(decoding: try JSONEncoder().encode(fields.sorted()), as: UTF8.self)
    #expect(written == encoded)
  }
}
