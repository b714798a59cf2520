import Foundation

/// How ``HTTPTransport`` authorises a request.
enum HTTPAuthorization: Sendable {
  /// No `Authorization` header.
  case none
  /// A fixed header value (`Basic …`, `Bearer …`).
  case header(String)
  /// An OAuth bearer token from the App's provider, refreshed once after a 401.
  case oauth(any AccessTokenProvider)

  static func basic(_ user: String, _ password: String) -> HTTPAuthorization {
    .header("Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
  }

  static func bearer(_ token: String) -> HTTPAuthorization {
    .header("Bearer " + token)
  }
}
