import NIOCore
import Vapor

/// Reads a `multipart/form-data` body chunk by chunk as it arrives, keeping at most the content
/// limit in memory: the content part past 5 MiB, or the body past the limit plus a little room
/// for the other fields, is a 413 at once, without reading further.
final class MultipartFormReader {
  private var parser: MultipartStreamParser
  private var form = UploadForm()
  private var headers: [(String, String)] = []
  private var current: Part?
  private var failure: AppError?
  private var receivedBytes = 0
  private var parts = 0

  private enum Part {
    case field(name: String, value: [UInt8])
    case content(kind: UploadForm.Kind, buffer: ByteBuffer)
    case ignored
  }

  /// The room a part's content starts with: the body's announced length up to 256 KiB (growing
  /// the buffer chunk by chunk copied a 100 KB upload twice more). Not more: a client that
  /// announces 5 MiB and sends nothing must not hold that memory.
  private let expectedContentBytes: Int
  private static let largestReservation = 256 * 1024

  /// A reader for the body of a request with this `Content-Type` (and `Content-Length`, when
  /// announced), or 415/400 when it is not a multipart form.
  init(contentType: HTTPMediaType?, contentLength: Int? = nil) throws {
    guard let contentType, contentType.type == "multipart", contentType.subType == "form-data"
    else {
      throw AppError(
        .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
        detail: "The body must be multipart/form-data.")
    }
    guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty,
      boundary.utf8.count <= 200, !boundary.utf8.contains(where: { $0 == 13 || $0 == 10 })
    else { throw AppError.badRequest("The multipart/form-data body needs a boundary.") }
    parser = MultipartStreamParser(boundary: boundary)
    expectedContentBytes = min(max(contentLength ?? 0, 0), Self.largestReservation)
  }

  static func tooLarge(_ detail: String) -> AppError {
    AppError(
      .payloadTooLarge, type: "payload-too-large", title: "Payload too large", detail: detail)
  }

  static var contentLimitMessage: String {
    "The content is larger than \(UploadForm.maximumContentBytes) bytes (5 MiB)."
  }

  /// Parses one chunk of the body.
  func feed(_ chunk: ByteBuffer) throws {
    receivedBytes += chunk.readableBytes
    if receivedBytes > UploadForm.maximumContentBytes + UploadForm.maximumOverheadBytes {
      throw Self.tooLarge(Self.contentLimitMessage)
    }
    do {
      try parser.parse(chunk) { event in
        switch event {
        case .header(let name, let value): headers.append((name, value))
        case .content(var bytes): receive(&bytes)
        case .partEnd: complete()
        }
      }
    } catch let error as MultipartStreamParser.SyntaxError {
      throw AppError.badRequest("The multipart/form-data body is malformed: \(error.reason).")
    }
    if let failure { throw failure }
  }

  /// The form once the whole body has been read.
  func finish() throws -> UploadForm {
    if let failure { throw failure }
    guard parser.isComplete else {
      throw AppError.badRequest("The multipart/form-data body ends before its closing boundary.")
    }
    return form
  }

  private func fail(_ error: AppError) {
    if failure == nil { failure = error }
  }

  private func begin() -> Part {
    defer { headers = [] }
    parts += 1
    guard parts <= UploadForm.maximumParts else {
      fail(.badRequest("The form has more than \(UploadForm.maximumParts) parts."))
      return .ignored
    }
    let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
    let parameters = Self.dispositionParameters(disposition)
    guard disposition.lowercased().hasPrefix("form-data"), let name = parameters["name"] else {
      fail(.badRequest("Every part needs Content-Disposition: form-data with a name."))
      return .ignored
    }
    switch name {
    case "text", "file":
      guard form.kind == nil else {
        fail(
          form.kind?.rawValue == name
            ? .badRequest("The field \(name) is given twice.", field: name)
            : .validation(field: name, reason: "send exactly one of text or file"))
        return .ignored
      }
      if name == "file" {
        guard let filename = parameters["filename"], !filename.isEmpty else {
          fail(.badRequest("file must be a file part with a filename", field: "file"))
          return .ignored
        }
        guard !NULCharacter.isIn(filename) else {
          fail(.validation(field: "file", reason: "its filename \(NULCharacter.reason)"))
          return .ignored
        }
        form.filename = String(filename.split(separator: "/").last ?? "").prefix(255).description
      }
      let kind: UploadForm.Kind = name == "text" ? .text : .file
      form.kind = kind
      return .content(
        kind: kind, buffer: ByteBufferAllocator().buffer(capacity: expectedContentBytes))
    default:
      return .field(name: name, value: [])
    }
  }

  private func receive(_ buffer: inout ByteBuffer) {
    if current == nil { current = begin() }
    guard failure == nil else { return }
    switch current {
    case .field(let name, var value)?:
      guard value.count + buffer.readableBytes <= UploadForm.maximumFieldBytes else {
        fail(.badRequest("The field \(name) is longer than 1 KiB.", field: name))
        return
      }
      value += buffer.readableBytesView
      current = .field(name: name, value: value)
    case .content(let kind, var content)?:
      guard content.readableBytes + buffer.readableBytes <= UploadForm.maximumContentBytes else {
        fail(Self.tooLarge(Self.contentLimitMessage))
        return
      }
      current = .ignored  // releases the buffer's other reference: the append does not copy
      content.writeBuffer(&buffer)
      current = .content(kind: kind, buffer: content)
    case .ignored?, nil:
      return
    }
  }

  private func complete() {
    let part = current ?? begin()
    current = nil
    guard failure == nil else { return }
    switch part {
    case .field(let name, let value):
      let text = String(decoding: value, as: UTF8.self)
      if name == "ide", NULCharacter.isIn(text) {
        fail(.validation(field: name, reason: NULCharacter.reason))
        return
      }
      switch name {
      case "promptVersionId": assign(&form.promptVersionID, text, name)
      case "tokensOut": assign(&form.tokensOut, text, name)
      case "ide": assign(&form.ide, text, name)
      default: break  // unknown fields are ignored, within the size limits
      }
    case .content(_, let buffer):
      form.content = buffer
    case .ignored:
      break
    }
  }

  private func assign(_ slot: inout String?, _ value: String, _ name: String) {
    guard slot == nil else {
      fail(.badRequest("The field \(name) is given twice.", field: name))
      return
    }
    slot = value
  }

  /// `form-data; name="file"; filename="a b.md"` → `["name": "file", "filename": "a b.md"]`.
  static func dispositionParameters(_ value: String) -> [String: String] {
    var result: [String: String] = [:]
    var rest = Substring(value)
    while let semicolon = rest.firstIndex(of: ";") {
      rest = rest[rest.index(after: semicolon)...].drop { $0 == " " || $0 == "\t" }
      guard let equals = rest.firstIndex(of: "=") else { break }
      let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      var after = rest[rest.index(after: equals)...]
      var parsed = ""
      if after.first == "\"" {
        after = after.dropFirst()
        var escaped = false
        var end = after.endIndex
        for index in after.indices {
          let character = after[index]
          if escaped {
            parsed.append(character)
            escaped = false
          } else if character == "\\" {
            escaped = true
          } else if character == "\"" {
            end = index
            break
          } else {
            parsed.append(character)
          }
        }
        rest = end < after.endIndex ? after[after.index(after: end)...] : after[after.endIndex...]
      } else {
        let end = after.firstIndex(of: ";") ?? after.endIndex
        parsed = after[..<end].trimmingCharacters(in: .whitespaces)
        rest = after[end...]
      }
      result[key] = parsed
    }
    return result
  }
}
