import Vapor

extension HTTPHeaders {
  /// The token of `Authorization: Bearer <token>`, as Vapor's `bearerAuthorization` reads it.
  /// Its usual form, the scheme, one space and a token without spaces, is read from the bytes:
  /// Vapor's splits the whole header by Characters, 2 % of the server's CPU under
  /// `POST /prompts/generate` (perf, 2026-12-06). Any other form goes to Vapor's.
  var bearerToken: String? {
    guard let value = first(name: .authorization) else { return nil }
    let bytes = value.utf8
    let scheme = "bearer ".utf8
    if bytes.count > scheme.count,
      zip(bytes, scheme).allSatisfy({ $0 == $1 || ($1 != 0x20 && $0 | 0x20 == $1) }),
      !bytes.dropFirst(scheme.count).contains(0x20)
    {
      return String(decoding: bytes.dropFirst(scheme.count), as: UTF8.self)
    }
    return bearerAuthorization?.token
  }
}
