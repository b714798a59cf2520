import Crypto
import Foundation
import JWTKit
import Vapor

/// The claims of a Promptsmith access token (RFC 9068 shape, HS256).
struct JWTAccessTokenClaims: JWTPayload {
  static let issuer = "promptsmith"
  static let audience = "promptsmith-api"

  var subject: SubjectClaim
  var role: String
  var companyID: String
  var sessionID: String
  var issuedAt: IssuedAtClaim
  var notBefore: NotBeforeClaim
  var expiration: ExpirationClaim
  var issuerClaim: IssuerClaim
  var audienceClaim: AudienceClaim
  var id: IDClaim

  enum CodingKeys: String, CodingKey {
    case subject = "sub"
    case role
    case companyID = "cid"
    case sessionID = "sid"
    case issuedAt = "iat"
    case notBefore = "nbf"
    case expiration = "exp"
    case issuerClaim = "iss"
    case audienceClaim = "aud"
    case id = "jti"
  }

  /// jwt-kit checks no claim by itself (RFC 8725 §3.8): every one that matters is checked here.
  func verify(using algorithm: some JWTAlgorithm) async throws {
    try verifyTimeBounds(at: Date())
    guard issuerClaim.value == Self.issuer else {
      throw JWTError.claimVerificationFailure(failedClaim: issuerClaim, reason: "wrong issuer")
    }
    try audienceClaim.verifyIntendedAudience(includes: Self.audience)
  }

  /// Not expired and not before its time, at `now`.
  func verifyTimeBounds(at now: Date) throws {
    try expiration.verifyNotExpired(currentDate: now)
    try notBefore.verifyNotBefore(currentDate: now)
  }
}

/// Signs and verifies access tokens. Only HS256 with `typ: at+jwt` is accepted, whatever the
/// token's header claims, so that algorithm-confusion tokens are refused.
struct JWTAccessTokens: Sendable {
  static let lifetime: TimeInterval = 15 * 60
  private let keys: JWTKeyCollection
  private let verified = VerifiedAccessTokens()

  init(secret: [UInt8]) async {
    keys = JWTKeyCollection()
    await keys.add(hmac: HMACKey(key: SymmetricKey(data: secret)), digestAlgorithm: .sha256)
  }

  func issue(for user: User, familyID: UUID, now exactNow: Date = Date()) async throws -> String {
    try await issue(
      userID: try user.requireID(), companyID: user.$company.id, role: user.role,
      familyID: familyID, now: exactNow)
  }

  func issue(
    userID: UUID, companyID: UUID, role: Role, familyID: UUID, now exactNow: Date = Date()
  ) async throws -> String {
    let now = Date(timeIntervalSince1970: exactNow.timeIntervalSince1970.rounded(.down))
    let claims = JWTAccessTokenClaims(
      subject: .init(value: userID.lowercasedText),
      role: role.rawValue, companyID: companyID.lowercasedText,
      sessionID: familyID.lowercasedText, issuedAt: .init(value: now),
      notBefore: .init(value: now), expiration: .init(value: now + Self.lifetime),
      issuerClaim: .init(value: JWTAccessTokenClaims.issuer),
      audienceClaim: .init(value: [JWTAccessTokenClaims.audience]),
      id: .init(value: UUID.random().lowercasedText))
    var header = JWTHeader()
    header.typ = "at+jwt"
    header.alg = "HS256"
    return try await keys.sign(claims, header: header)
  }

  func verify(_ token: String, now: Date = Date()) async throws -> JWTAccessTokenClaims {
    if let claims = verified.claims(of: token, at: now) { return claims }
    let claims = try await verifySignatureAndClaims(token)
    // jwt-kit checked the time bounds at its own reading of the clock.
    try claims.verifyTimeBounds(at: now)
    verified.remember(token, claims, at: now)
    return claims
  }

  private func verifySignatureAndClaims(_ token: String) async throws -> JWTAccessTokenClaims {
    let header = try Self.header(of: token)
    guard header.alg == "HS256" else {
      throw JWTError.generic(identifier: "alg", reason: "only HS256 is accepted")
    }
    guard let type = header.typ?.lowercased(), type == "at+jwt" || type == "application/at+jwt"
    else {
      throw JWTError.generic(identifier: "typ", reason: "not an access token")
    }
    return try await keys.verify(token, as: JWTAccessTokenClaims.self)
  }

  /// The token's header alone: `keys.verify` decodes the claims, and decoding them here as well
  /// made JSON decoding of the token 3 % of generate's event-loop samples (perf, 2026-12-06).
  static func header(of token: String) throws -> JWTHeader {
    let encoded = try DefaultJWTParser().getTokenParts(Array(token.utf8)).header
    guard let json = Data(base64URLEncoded: String(decoding: encoded, as: UTF8.self)) else {
      throw JWTError.malformedToken(reason: "The header is not base64url.")
    }
    do {
      return try JSONDecoder().decode(JWTHeader.self, from: json)
    } catch {
      throw JWTError.malformedToken(reason: "Couldn't decode the header: \(error).")
    }
  }
}

extension Application {
  private struct AccessTokensKey: StorageKey {
    typealias Value = JWTAccessTokens
  }

  var jwtAccessTokens: JWTAccessTokens {
    get { storage.required(AccessTokensKey.self) }
    set { storage[AccessTokensKey.self] = newValue }
  }
}
