import Foundation
import NIOCore
import Testing

@testable import App

/// `GenerationResponse.json` writes the bytes the application's `JSONEncoder` writes for it.
@Suite struct PromptResponseJSONTests {
  @Test(arguments: [nil, "production"] as [String?])
  func theBytesAreThoseOfJSONEncoder(_ label: String?) throws {
    var text = ""
    for byte in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(UInt8(byte))) }
    text += "é€😀\u{2028}</script>\r\n" + String(repeating: "a/\"b\\c", count: 300)
    let response = GenerationResponse(
      GenerationResult(
        promptID: UUID(), promptVersionID: UUID(), version: 12, text: text, tokens: 1_234,
        encoding: "o200k_base", templateVersion: 3, templateLabel: label))

    let buffer = response.json(allocator: ByteBufferAllocator())

    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    #expect(Array(buffer.readableBytesView) == Array(try encoder.encode(response)))
  }
}
