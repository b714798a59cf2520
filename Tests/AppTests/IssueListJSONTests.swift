import Foundation
import JSONCore
import NIOCore
import Testing

@testable import App

/// `GET /issues` writes its JSON by hand (`JSONByteWriter`): byte for byte what the
/// application's `JSONEncoder` writes.
@Suite struct IssueListJSONTests {
  static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }

  static func row(_ text: String, optionals: Bool, date: Date?) -> IssueListRow {
    IssueListRow(
      id: UUID(), trackerID: UUID(), externalKey: "PS-\(text.count)", title: "T " + text,
      status: "In Progress", statusCategory: "in_progress",
      priority: optionals ? "High/\"P1\"" : nil, issueType: optionals ? "Bug" : nil,
      labelsJSON: optionals ? #"["a/b", "é\n", ""]"# : "[]",
      assigneeID: optionals ? UUID() : nil, assigneeName: optionals ? "Dana" : nil,
      assigneeEmail: nil, url: optionals ? "https://x.example/a?b=c&d=\\e" : nil,
      descriptionMarkdown: text, criteriaMarkdown: "- [ ] " + text,
      externalUpdatedAt: date, createdAt: date, updatedAt: nil, deletedAt: optionals ? date : nil)
  }

  @Test func theBytesAreThoseOfJSONEncoder() throws {
    // setup: every ASCII byte, multi-byte UTF-8, line separators, fractional-second dates
    var everything = ""
    for byte in 0..<0x80 { everything.unicodeScalars.append(Unicode.Scalar(UInt8(byte))) }
    everything += "é€😀\u{2028}\u{2029}\u{FEFF}</script>\r\n"
    let texts = ["", "plain", everything, String(repeating: "a/\"b\\c\u{1}", count: 500)]
    var items: [IssueResponse] = []
    for (index, text) in texts.enumerated() {
      for optionals in [true, false] {
        let date: Date? =
          index == 0 ? nil : Date(timeIntervalSince1970: 1_774_785_600.987_654 * Double(index) / 2)
        items.append(
          IssueResponse(Self.row(text, optionals: optionals, date: date), labelsDecoder: .init()))
      }
    }

    // act
    let buffer = IssueResponse.listJSON(items, allocator: ByteBufferAllocator())

    // check
    let expected = try Self.encoder.encode(items)
    #expect(Array(buffer.readableBytesView) == Array(expected))
    #expect(
      Array(IssueResponse.listJSON([], allocator: ByteBufferAllocator()).readableBytesView)
        == Array(try Self.encoder.encode([IssueResponse]())))
  }

  /// The eight-bytes-at-a-time test agrees with the byte test for every byte at every position,
  /// among ASCII and among UTF-8 continuation bytes.
  @Test func aWordNeedsAnEscapeExactlyWhenOneOfItsBytesDoes() {
    for filler in [UInt8(ascii: "a"), 0x20, 0x7F, 0x80, 0xA9, 0xFF] {
      for byte in UInt8.min...UInt8.max {
        for position in 0..<8 {
          var bytes = [UInt8](repeating: filler, count: 8)
          bytes[position] = byte
          let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
          let expected = [filler, byte].contains { $0 < 0x20 || [0x22, 0x2F, 0x5C].contains($0) }
          #expect(
            JSONEscaping.anyNeedsEscape(word) == expected, "byte \(byte) at \(position)")
        }
      }
    }
  }

  /// Escapes before, across and after word boundaries, in strings of every length up to 20.
  @Test func escapesAtEveryOffsetAreThoseOfJSONEncoder() throws {
    var writer = JSONByteWriter(buffer: ByteBufferAllocator().buffer(capacity: 0))
    var texts: [String] = []
    writer.beginArray()
    for length in 0...20 {
      for offset in 0..<max(length, 1) {
        for special in ["\"", "/", "\\", "\n", "\u{1}", "é"] {
          var characters = Array(repeating: "x", count: length)
          if length > 0 { characters[offset] = special }
          let text = characters.joined()
          texts.append(text)
          writer.string(text)
        }
      }
    }
    writer.endArray()
    #expect(Array(writer.buffer.readableBytesView) == Array(try Self.encoder.encode(texts)))
  }
}
