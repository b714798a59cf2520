import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Blobs in an S3-compatible bucket: PutObject, GetObject, HeadObject, DeleteObject and
/// ListObjectsV2, signed with AWS Signature Version 4.
struct S3BlobStorage: BlobStorage {
  let location: S3Location
  let signer: S3Signer
  let client: HTTPClient
  var timeout: TimeAmount = .seconds(30)

  init(location: S3Location, accessKeyID: String, secretAccessKey: String, client: HTTPClient) {
    self.location = location
    self.signer = S3Signer(
      accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, region: location.region)
    self.client = client
  }

  var kind: String { "s3" }

  func put(key: BlobKey, bytes: ByteBuffer, contentType: String) async throws {
    let hash = S3Signer.hex(SHA256.hash(data: bytes.readableBytesView))
    let response = try await send(
      "PUT", key: key.path, body: bytes, payloadHash: hash,
      headers: ["Content-Type": contentType, "Content-Length": "\(bytes.readableBytes)"])
    try await expect(response, [.ok], "PutObject \(key)")
  }

  func get(key: BlobKey) async throws -> ByteBuffer? {
    let response = try await send("GET", key: key.path)
    if response.status == .notFound { return nil }
    guard response.status == .ok else {
      try await expect(response, [.ok], "GetObject \(key)")
      return nil
    }
    return try await response.body.collect(upTo: 64 * 1024 * 1024)
  }

  func exists(key: BlobKey) async throws -> Bool {
    let response = try await send("HEAD", key: key.path)
    if response.status == .notFound { return false }
    try await expect(response, [.ok], "HeadObject \(key)")
    return true
  }

  func delete(path: String) async throws {
    let response = try await send("DELETE", key: path)
    try await expect(response, [.noContent, .ok, .notFound], "DeleteObject \(path)")
  }

  func list() async throws -> [StoredObject] {
    var objects: [StoredObject] = []
    var continuation: String?
    repeat {
      var query = [("list-type", "2")]
      if let continuation { query.append(("continuation-token", continuation)) }
      let response = try await send("GET", key: "", query: query)
      try await expect(response, [.ok], "ListObjectsV2")
      let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
      let page = try S3ListParser.parse(Data(buffer: body))
      objects += page.objects
      continuation = page.isTruncated ? page.nextContinuationToken : nil
    } while continuation != nil
    return objects
  }

  /// Creates the bucket (tests and first-time setup); an existing bucket of ours is fine.
  func createBucket() async throws {
    let response = try await send("PUT", key: nil)
    try await expect(response, [.ok, .conflict], "CreateBucket \(location.bucket)")
  }

  // MARK: - Requests

  private func send(
    _ method: String, key: String?, query: [(String, String)] = [], body: ByteBuffer? = nil,
    payloadHash: String = S3Signer.emptyPayloadHash, headers extra: HTTPHeaders = [:]
  ) async throws -> HTTPClientResponse {
    guard let endpoint = URLComponents(string: location.endpoint), let host = endpoint.host else {
      throw StorageError("invalid S3 endpoint \(location.endpoint)")
    }
    var authority = host
    if let port = endpoint.port { authority += ":\(port)" }
    var path: String
    if location.pathStyle {
      path = "/\(location.bucket)"
      if let key { path += "/\(key)" }
    } else {
      authority = "\(location.bucket).\(authority)"
      path = "/\(key ?? "")"
    }
    var headers = extra
    headers.replaceOrAdd(name: "Host", value: authority)
    signer.sign(
      method: method, path: path, query: query, headers: &headers, payloadHash: payloadHash)
    let queryString = S3Signer.canonicalQuery(query)
    let url =
      "\(endpoint.scheme ?? "https")://\(authority)\(S3Signer.encodePath(path))"
      + (queryString.isEmpty ? "" : "?\(queryString)")
    var request = HTTPClientRequest(url: url)
    request.method = HTTPMethod(rawValue: method)
    request.headers = headers
    if let body { request.body = .bytes(body) }
    do {
      return try await client.execute(request, timeout: timeout)
    } catch {
      throw StorageError("S3 \(method) \(path) failed: \(error)")
    }
  }

  private func expect(
    _ response: HTTPClientResponse, _ statuses: [HTTPResponseStatus], _ what: String
  ) async throws {
    guard !statuses.contains(response.status) else { return }
    let body = (try? await response.body.collect(upTo: 64 * 1024)).map { String(buffer: $0) }
    throw StorageError(
      "\(what): \(response.status.code) \(S3ListParser.errorCode(in: body ?? "") ?? "")")
  }
}

/// Reads a ListObjectsV2 result (and the code of an S3 error document).
enum S3ListParser {
  struct Page {
    var objects: [StoredObject] = []
    var isTruncated = false
    var nextContinuationToken: String?
  }

  static func parse(_ data: Data) throws -> Page {
    let delegate = Delegate()
    let parser = XMLParser(data: data)
    parser.delegate = delegate
    guard parser.parse() else {
      throw StorageError(
        "unreadable ListObjectsV2 response: \(String(describing: parser.parserError))")
    }
    return delegate.page
  }

  static func errorCode(in body: String) -> String? {
    guard let start = body.range(of: "<Code>"), let end = body.range(of: "</Code>"),
      start.upperBound <= end.lowerBound
    else { return nil }
    return String(body[start.upperBound..<end.lowerBound])
  }

  private final class Delegate: NSObject, XMLParserDelegate {
    var page = Page()
    private var text = ""
    private var key: String?
    private var size = 0
    private var modified = Date()

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      text = ""
      if elementName == "Contents" {
        key = nil
        size = 0
        modified = Date()
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      text += string
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      switch elementName {
      case "Key": key = text
      case "Size": size = Int(text) ?? 0
      case "LastModified": modified = Self.date(text) ?? Date()
      case "IsTruncated": page.isTruncated = text == "true"
      case "NextContinuationToken": page.nextContinuationToken = text
      case "Contents":
        if let key {
          page.objects.append(
            StoredObject(path: key, key: BlobKey(path: key), size: size, modifiedAt: modified))
        }
      default: break
      }
    }

    static func date(_ text: String) -> Date? {
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
      if let date = formatter.date(from: text) { return date }
      formatter.formatOptions = [.withInternetDateTime]
      return formatter.date(from: text)
    }
  }
}
