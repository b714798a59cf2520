import Foundation

/// How ``HTTPTransport`` authorises a request.
enum HTTPAuthorization: Sendable {
  /// No `Authorization` header.
  case none
  /// A fixed header: `Authorization: Basic …` or `Bearer …`, GitLab's `PRIVATE-TOKEN`, or a
  /// Linear API key sent bare in `Authorization`.
  case header(name: String, value: String)
  /// An OAuth bearer token from the App's provider, refreshed once after a 401.
  case oauth(any AccessTokenProvider)

  static func basic(_ user: String, _ password: String) -> HTTPAuthorization {
    .header(
      name: "Authorization",
      value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
  }

  static func bearer(_ token: String) -> HTTPAuthorization {
    .header(name: "Authorization", value: "Bearer " + token)
  }
}
