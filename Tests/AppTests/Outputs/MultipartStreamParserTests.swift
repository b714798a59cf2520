import MultipartKit
import NIOCore
import Testing

@testable import App

/// The upload's multipart parser: the same parts whatever the chunks, delimiters cut anywhere,
/// specific refusals, and the same content as MultipartKit's parser on random bodies.
@Suite("Multipart stream parser")
struct MultipartStreamParserTests {
  static let boundary = "----bound-7MA4YWx"

  /// What a body came to: each part's headers and content, and whether it was closed.
  struct Parsed: Equatable, CustomStringConvertible {
    var parts: [Part] = []
    var complete = false

    struct Part: Equatable {
      var headers: [String] = []
      var content: [UInt8] = []
    }

    var description: String {
      "\(parts.map { ($0.headers, String(decoding: $0.content, as: UTF8.self)) }) \(complete)"
    }
  }

  /// Parses `body` cut at `cuts` (offsets into it).
  static func parse(_ body: [UInt8], cuts: [Int] = []) throws -> Parsed {
    var parser = MultipartStreamParser(boundary: boundary)
    var parsed = Parsed()
    var current = Parsed.Part()
    var previous = 0
    for end in cuts + [body.count] where end >= previous {
      try parser.parse(ByteBuffer(bytes: body[previous..<end])) { event in
        switch event {
        case .header(let name, let value):
          current.headers.append("\(name): \(value)")
        case .content(let bytes):
          current.content += bytes.readableBytesView
        case .partEnd:
          parsed.parts.append(current)
          current = Parsed.Part()
        }
      }
      previous = end
    }
    parsed.complete = parser.isComplete
    return parsed
  }

  static func form(
    _ parts: [(headers: String, content: String)], preamble: String = "",
    epilogue: String = "\r\n"
  ) -> [UInt8] {
    var text = preamble
    for part in parts {
      text += "--\(boundary)\r\n\(part.headers)\r\n\(part.content)\r\n"
    }
    text += "--\(boundary)--" + epilogue
    return Array(text.utf8)
  }

  static let tricky = [
    "\r\n--\(boundary.dropLast())", "\r\n-", "\r\r\n--\(boundary.dropLast(3))x", "--\(boundary)",
    "\r\n--\(boundary.prefix(5))\r\n--", "\r", "\n\r\n\r\n",
  ].joined(separator: "|")

  static let expected = Parsed(
    parts: [
      .init(headers: ["Content-Disposition: form-data; name=\"a\""], content: Array("1".utf8)),
      .init(
        headers: [
          "Content-Disposition: form-data; name=\"text\"", "Content-Type: text/plain",
        ], content: Array(tricky.utf8)),
      .init(headers: [], content: []),
      .init(headers: ["X-Empty: "], content: Array("\r\n".utf8)),
    ], complete: true)

  static let body = form(
    [
      ("Content-Disposition: form-data; name=\"a\"\r\n", "1"),
      (
        "Content-Disposition: form-data; name=\"text\"\r\nContent-Type:   text/plain \t\r\n",
        tricky
      ),
      ("", ""),
      ("X-Empty:\r\n", "\r\n"),
    ], preamble: "This is the preamble.\r\n--\(boundary.dropLast()) not yet\r\n",
    epilogue: "\r\nthe epilogue, ignored: --\(boundary)\r\nmalformed\r\n")

  @Test("a body in one chunk, cut once at every offset, and a byte at a time: the same parts")
  func anyChunksGiveTheSameParts() throws {
    #expect(try Self.parse(Self.body) == Self.expected)
    for cut in 0...Self.body.count {
      #expect(try Self.parse(Self.body, cuts: [cut]) == Self.expected, "cut at \(cut)")
    }
    #expect(try Self.parse(Self.body, cuts: Array(0..<Self.body.count)) == Self.expected)
  }

  @Test("the first delimiter may open the body or follow CR LF; a cut-off body is incomplete")
  func startsAndEnds() throws {
    let opening = Self.form([("A: b\r\n", "x")], epilogue: "")
    let parsed = try Self.parse(opening)
    #expect(parsed == Parsed(parts: [.init(headers: ["A: b"], content: [120])], complete: true))
    #expect(try Self.parse(Array("\r\n".utf8) + opening) == parsed)
    for cut in 0..<opening.count {
      let truncated = try Self.parse(Array(opening[..<cut]))
      #expect(!truncated.complete, "cut at \(cut)")
    }
    let padded = Array("--\(Self.boundary) \t\r\nA: b\r\n\r\nx\r\n--\(Self.boundary)--".utf8)
    #expect(try Self.parse(padded) == parsed)
  }

  @Test(
    "malformed bodies are refused with their reason",
    arguments: [
      ("--\(boundary)X\r\n\r\nx\r\n--\(boundary)--", "a boundary must be followed by CRLF"),
      ("--\(boundary)-\r\n", "a boundary must be followed by CRLF"),
      ("--\(boundary)\r\nno colon\r\n\r\nx", "a part's header line must be a name"),
      ("--\(boundary)\r\n: empty name\r\n\r\nx", "a part's header line must be a name"),
      ("--\(boundary)\r\nA b: c\r\n\r\nx", "a part's header line must be a name"),
      ("--\(boundary)\r\nA: b\r\n folded\r\n\r\nx", "a part's header line must be a name"),
      ("--\(boundary)\r\nA: b\rc\r\n\r\nx", "a part's header value must be UTF-8 on one line"),
      (
        "--\(boundary)\r\nA: \(String(repeating: "v", count: 8 * 1024))\r\n\r\nx",
        "a part's headers are longer than 8 KiB"
      ),
    ])
  func malformedBodiesAreRefused(_ body: String, _ reason: String) {
    for cuts in [[], [body.utf8.count / 2], Array(0..<min(body.utf8.count, 200))] {
      let error = #expect(throws: MultipartStreamParser.SyntaxError.self) {
        try Self.parse(Array(body.utf8), cuts: cuts)
      }
      #expect(error?.reason.hasPrefix(reason) == true, "\(error?.reason ?? "none")")
    }
  }

  @Test("a header value that is not UTF-8 is refused")
  func headerValuesAreUTF8() {
    let body = Array("--\(Self.boundary)\r\nA: ".utf8) + [0xC3, 0x28] + Array("\r\n\r\nx".utf8)
    #expect(throws: MultipartStreamParser.SyntaxError.self) { try Self.parse(body) }
  }

  @Test("random contents in random chunks: the same parts as MultipartKit's parser finds")
  func agreesWithMultipartKit() throws {
    var generator = SystemRandomNumberGenerator()
    let pieces = [
      "a", "-", "\r", "\n", "\r\n", "\r\n-", "\r\n--", "\r\n--\(Self.boundary.prefix(4))",
      "--\(Self.boundary)", "\r\n--\(Self.boundary.dropLast())",
    ]
    for round in 0..<500 {
      let contents = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
        (0..<Int.random(in: 0...12, using: &generator)).map { _ in
          pieces.randomElement(using: &generator)!
        }.joined()
      }
      // A content that holds the delimiter itself is not a valid body for either parser.
      guard !contents.contains(where: { ("\r\n" + $0 + "\r\n").contains("\r\n--\(Self.boundary)") })
      else { continue }
      let body = Self.form(contents.map { ("Name: v\r\n", $0) })
      let cuts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
        Int.random(in: 0...body.count, using: &generator)
      }.sorted()
      let ours = try Self.parse(body, cuts: cuts)
      #expect(ours.complete, "round \(round)")
      #expect(ours.parts.map(\.content) == contents.map { Array($0.utf8) }, "round \(round)")
      #expect(try Self.multipartKitContents(body, cuts: cuts) == ours.parts.map(\.content))
    }
  }

  static func multipartKitContents(_ body: [UInt8], cuts: [Int]) throws -> [[UInt8]] {
    let parser = MultipartParser(boundary: boundary)
    var contents: [[UInt8]] = []
    var current: [UInt8] = []
    parser.onBody = { current += $0.readableBytesView }
    parser.onPartComplete = {
      contents.append(current)
      current = []
    }
    var previous = 0
    for end in cuts + [body.count] {
      try parser.execute(ByteBuffer(bytes: body[previous..<end]))
      previous = end
    }
    return contents
  }
}
