import MultipartKit
import NIOCore
import Vapor

/// Reads a `multipart/form-data` body chunk by chunk as it arrives, keeping at most the content
/// limit in memory: the content part past 5 MiB, or the body past the limit plus a little room
/// for the other fields, is a 413 at once, without reading further.
final class MultipartFormReader {
  private let parser: MultipartParser
  private var form = UploadForm()
  private var headers: [(String, String)] = []
  private var current: Part?
  private var failure: AppError?
  private var receivedBytes = 0
  private var parts = 0
  /// The last bytes of the body: the closing delimiter must be among them.
  private var tail: [UInt8] = []
  private let closingDelimiter: [UInt8]

  private enum Part {
    case field(name: String, value: [UInt8])
    case content(kind: UploadForm.Kind, buffer: ByteBuffer)
    case ignored
  }

  /// A reader for the body of a request with this `Content-Type`, or 415/400 when it is not a
  /// multipart form.
  init(contentType: HTTPMediaType?) throws {
    guard let contentType, contentType.type == "multipart", contentType.subType == "form-data"
    else {
      throw AppError(
        .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
        detail: "The body must be multipart/form-data.")
    }
    guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty,
      boundary.utf8.count <= 200
    else { throw AppError.badRequest("The multipart/form-data body needs a boundary.") }
    parser = MultipartParser(boundary: boundary)
    closingDelimiter = Array("--\(boundary)--".utf8)
    parser.onHeader = { [unowned self] name, value in headers.append((name, value)) }
    parser.onBody = { [unowned self] buffer in receive(&buffer) }
    parser.onPartComplete = { [unowned self] in complete() }
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
    let last = min(Self.tailBytes, chunk.readableBytes)
    tail += chunk.getBytes(at: chunk.readerIndex + chunk.readableBytes - last, length: last) ?? []
    if tail.count > Self.tailBytes { tail.removeFirst(tail.count - Self.tailBytes) }
    do {
      try parser.execute(chunk)
    } catch {
      throw AppError.badRequest("The multipart/form-data body is malformed.")
    }
    if let failure { throw failure }
  }

  /// The form once the whole body has been read.
  func finish() throws -> UploadForm {
    if let failure { throw failure }
    // MultipartParser does not report the closing delimiter, so a body cut off after a part's
    // boundary would look complete: the delimiter must end the body (a short epilogue aside).
    guard current == nil, headers.isEmpty, Self.contains(tail, closingDelimiter) else {
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
      return .content(kind: kind, buffer: ByteBuffer())
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

  private static let tailBytes = 512

  private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains {
      haystack[$0..<($0 + needle.count)].elementsEqual(needle)
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
