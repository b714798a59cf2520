import Crypto
import Foundation
import JWTKit
import Testing
import Vapor

@testable import App

/// Tokens forged by hand: every claim and header check of RFC 8725 must refuse them.
@Suite struct JWTAccessTokenTests {
  static let secret = "test-secret-that-is-at-least-32-bytes"

  static func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  static func forge(
    header: [String: String] = ["alg": "HS256", "typ": "at+jwt"],
    overriding claims: [String: Any] = [:], removing: [String] = [], key: String = secret
  ) throws -> String {
    let now = Date().timeIntervalSince1970.rounded(.down)
    var payload: [String: Any] = [
      "sub": UUID().uuidString.lowercased(), "role": "admin", "cid": UUID().uuidString,
      "sid": UUID().uuidString, "iat": now, "nbf": now, "exp": now + 900, "iss": "promptsmith",
      "aud": ["promptsmith-api"], "jti": UUID().uuidString,
    ]
    payload.merge(claims) { _, new in new }
    for name in removing { payload.removeValue(forKey: name) }
    let head = base64URL(try JSONSerialization.data(withJSONObject: header))
    let body = base64URL(try JSONSerialization.data(withJSONObject: payload))
    let signature = HMAC<SHA256>.authenticationCode(
      for: Data("\(head).\(body)".utf8), using: SymmetricKey(data: Data(key.utf8)))
    return "\(head).\(body).\(base64URL(Data(signature)))"
  }

  @Test func aWellFormedTokenVerifies() async throws {
    let tokens = await JWTAccessTokens(secret: Array(Self.secret.utf8))
    let claims = try await tokens.verify(try Self.forge())
    #expect(claims.role == "admin")
  }

  static func forgedCases() -> [(String, String)] {
    // swift-format-ignore: NeverUseForceTry
    try! [
      ("alg none", forge(header: ["alg": "none", "typ": "at+jwt"])),
      ("alg HS512", forge(header: ["alg": "HS512", "typ": "at+jwt"])),
      ("missing typ", forge(header: ["alg": "HS256"])),
      ("typ JWT", forge(header: ["alg": "HS256", "typ": "JWT"])),
      ("expired", forge(overriding: ["exp": Date().timeIntervalSince1970 - 1])),
      ("not yet valid", forge(overriding: ["nbf": Date().timeIntervalSince1970 + 600])),
      ("wrong issuer", forge(overriding: ["iss": "someone-else"])),
      ("wrong audience", forge(overriding: ["aud": ["another-api"]])),
      ("no expiry", forge(removing: ["exp"])),
      ("wrong key", forge(key: "another-secret-of-at-least-32-bytes!!")),
    ]
  }

  @Test(arguments: forgedCases())
  func forgedTokensAreRefused(_ label: String, _ token: String) async throws {
    let tokens = await JWTAccessTokens(secret: Array(Self.secret.utf8))
    await #expect(throws: (any Error).self, "\(label) was accepted") {
      try await tokens.verify(token)
    }
  }

  /// The header read alone is the one jwt-kit's parser reads with the claims.
  @Test func theHeaderIsReadAsJWTKitReadsIt() throws {
    let headers: [[String: String]] = [
      ["alg": "HS256", "typ": "at+jwt"], ["alg": "none"],
      ["alg": "HS256", "typ": "JWT", "kid": "é?>"],
    ]
    for header in headers {
      let token = try Self.forge(header: header)
      let expected = try DefaultJWTParser().parse(
        Array(token.utf8), as: JWTAccessTokenClaims.self
      ).header
      let read = try JWTAccessTokens.header(of: token)
      #expect(read.alg == expected.alg && read.typ == expected.typ && read.kid == expected.kid)
    }
    for malformed in ["", "a.b", "!!!.e30.c2ln", "e30", "bm90IGpzb24.e30.c2ln"] {
      #expect(throws: JWTError.self, "\(malformed)") { try JWTAccessTokens.header(of: malformed) }
    }
  }

  /// A verified token is not verified again until it expires; a token one byte away from it
  /// is, and is refused.
  @Test func aVerifiedTokenIsRememberedWithinItsTimeBoundsOnly() async throws {
    let tokens = await JWTAccessTokens(secret: Array(Self.secret.utf8))
    let token = try Self.forge()
    let now = Date()
    let first = try await tokens.verify(token, now: now)
    #expect(try await tokens.verify(token, now: now.addingTimeInterval(60)).id == first.id)
    // One signature character changed: not the remembered string, so verified, and refused.
    var altered = Array(token)
    altered[altered.count - 2] = altered[altered.count - 2] == "A" ? "B" : "A"
    await #expect(throws: (any Error).self) {
      try await tokens.verify(String(altered), now: now)
    }
    // Past its expiry the remembered token is refused like any other.
    await #expect(throws: (any Error).self) {
      try await tokens.verify(token, now: now.addingTimeInterval(901))
    }
  }

  @Test func theRememberedTokensStayWithinTheirCapacity() throws {
    let remembered = VerifiedAccessTokens(capacity: 3)
    let now = Date()
    let claims = { (expiry: TimeInterval) -> JWTAccessTokenClaims in
      JWTAccessTokenClaims(
        subject: "user", role: "developer", companyID: "c", sessionID: "s",
        issuedAt: .init(value: now), notBefore: .init(value: now.addingTimeInterval(-1)),
        expiration: .init(value: now.addingTimeInterval(expiry)),
        issuerClaim: .init(value: JWTAccessTokenClaims.issuer),
        audienceClaim: .init(value: [JWTAccessTokenClaims.audience]), id: "j")
    }
    remembered.remember("a", claims(60), at: now)
    remembered.remember("b", claims(1), at: now)
    remembered.remember("c", claims(60), at: now)
    // Full: the one expired by then goes.
    remembered.remember("d", claims(60), at: now.addingTimeInterval(2))
    #expect(remembered.count == 3)
    #expect(remembered.claims(of: "b", at: now.addingTimeInterval(2)) == nil)
    #expect(remembered.claims(of: "a", at: now.addingTimeInterval(2)) != nil)
    // Full with none expired: all go, the new one stays.
    remembered.remember("e", claims(60), at: now.addingTimeInterval(2))
    #expect(remembered.count == 1)
    #expect(remembered.claims(of: "e", at: now.addingTimeInterval(2)) != nil)
    // An expired one is refused and forgotten.
    #expect(remembered.claims(of: "e", at: now.addingTimeInterval(61)) == nil)
    #expect(remembered.count == 0)
  }

  @Test func aTamperedPayloadIsRefused() async throws {
    let tokens = await JWTAccessTokens(secret: Array(Self.secret.utf8))
    let parts = try Self.forge().split(separator: ".").map(String.init)
    let other = try Self.forge(overriding: ["role": "admin", "sub": "someone"])
      .split(separator: ".").map(String.init)
    await #expect(throws: (any Error).self) {
      try await tokens.verify("\(parts[0]).\(other[1]).\(parts[2])")
    }
  }

  @Test(arguments: TestDatabase.all)
  func theServerAnswers401ForForgedTokens(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let forged = try Self.forge(header: ["alg": "none", "typ": "at+jwt"])
      let response = try await ctx.send(.GET, "/me", token: forged)
      #expect(response.status == .unauthorized)
      #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
      #expect(try await ctx.send(.GET, "/me", token: "not-a-jwt").status == .unauthorized)
      #expect(try await ctx.send(.GET, "/me").status == .unauthorized)
    }
  }

  @Test(arguments: TestDatabase.all)
  func issuedTokensCarryTheRequiredClaims(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let token = try await ctx.adminToken()
      let parts = token.split(separator: ".").map(String.init)
      func decode(_ part: String) throws -> [String: Any] {
        var base64 = part.replacingOccurrences(of: "-", with: "+")
          .replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return try JSONSerialization.jsonObject(with: Data(base64Encoded: base64)!)
          as! [String: Any]
      }
      let header = try decode(parts[0])
      let claims = try decode(parts[1])
      #expect(header["alg"] as? String == "HS256")
      #expect(header["typ"] as? String == "at+jwt")
      for name in ["sub", "role", "cid", "iat", "nbf", "exp", "iss", "aud", "jti", "sid"] {
        #expect(claims[name] != nil, "claim \(name) missing")
      }
      let lifetime = (claims["exp"] as! Double) - (claims["iat"] as! Double)
      #expect(lifetime == 900)
    }
  }
}
