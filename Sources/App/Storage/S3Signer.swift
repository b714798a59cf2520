import Crypto
import Foundation
import NIOHTTP1

/// AWS Signature Version 4 for S3 requests (header authentication, signed payload hash).
struct S3Signer: Sendable {
  static let emptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  let accessKeyID: String
  let secretAccessKey: String
  let region: String
  let service = "s3"

  /// Adds `x-amz-date`, `x-amz-content-sha256` and `Authorization` to `headers`, which must
  /// already hold `Host` and every other header to sign.
  func sign(
    method: String, path: String, query: [(String, String)], headers: inout HTTPHeaders,
    payloadHash: String, date: Date = Date()
  ) {
    let (amzDate, day) = Self.timestamps(date)
    headers.replaceOrAdd(name: "x-amz-date", value: amzDate)
    headers.replaceOrAdd(name: "x-amz-content-sha256", value: payloadHash)
    var canonicalHeaders: [String: String] = [:]
    for (name, value) in headers {
      let trimmed = value.trimmingCharacters(in: .whitespaces)
        .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
      let key = name.lowercased()
      canonicalHeaders[key] = canonicalHeaders[key].map { "\($0),\(trimmed)" } ?? trimmed
    }
    let names = canonicalHeaders.keys.sorted()
    let signedHeaders = names.joined(separator: ";")
    let canonicalRequest = [
      method,
      Self.encodePath(path),
      Self.canonicalQuery(query),
      names.map { "\($0):\(canonicalHeaders[$0]!)\n" }.joined(),
      signedHeaders,
      payloadHash,
    ].joined(separator: "\n")
    let scope = "\(day)/\(region)/\(service)/aws4_request"
    let stringToSign = [
      "AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
    ].joined(separator: "\n")
    let signature = Self.hex(
      HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day)))
    headers.replaceOrAdd(
      name: "Authorization",
      value:
        "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), "
        + "Signature=\(signature)")
  }

  private func signingKey(day: String) -> SymmetricKey {
    var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
    for part in [day, region, service, "aws4_request"] {
      key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key))
    }
    return key
  }

  static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let day = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    return (day + String(format: "T%02d%02d%02dZ", c.hour!, c.minute!, c.second!), day)
  }

  static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    SHA256Digest.lowercaseHex(bytes)
  }

  static func hex(_ digest: SHA256.Digest) -> String { hex(Array(digest)) }

  static func hex(_ code: HashedAuthenticationCode<SHA256>) -> String { hex(Array(code)) }

  /// RFC 3986 percent-encoding of everything but unreserved characters (and `/` in paths).
  static func encode(_ value: String, keepSlash: Bool = false) -> String {
    var result = ""
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        result.append(Character(UnicodeScalar(byte)))
      case UInt8(ascii: "/") where keepSlash:
        result.append("/")
      default:
        result += String(format: "%%%02X", byte)
      }
    }
    return result
  }

  static func encodePath(_ path: String) -> String {
    encode(path.isEmpty ? "/" : path, keepSlash: true)
  }

  static func canonicalQuery(_ query: [(String, String)]) -> String {
    let encoded: [(name: String, value: String)] = query.map { (encode($0.0), encode($0.1)) }
    let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
    return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
  }
}
