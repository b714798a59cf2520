import Testing
import Vapor

@testable import App

/// `HTTPHeaders.bearerToken` reads every `Authorization` header as Vapor's
/// `bearerAuthorization` does, its byte-level fast path included.
@Suite struct BearerTokenTests {
  @Test(arguments: [
    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "bearer abc", "BEARER abc", "BeArEr abc",
    "Bearer  abc", " Bearer abc", "Bearer abc ", "Bearer a b", "Bearer", "Bearer ", "Bearerabc",
    "Bearerx abc", "Basic dXNlcjpwYXNz", "Bearer\tabc", "Bearer ps_pat_é", "",
  ])
  func readsTheHeaderAsVaporDoes(_ header: String) {
    let headers = HTTPHeaders([("Authorization", header)])
    #expect(headers.bearerToken == headers.bearerAuthorization?.token, "\(header)")
  }

  @Test func theUsualFormGivesItsToken() {
    #expect(HTTPHeaders([("Authorization", "Bearer tok.en")]).bearerToken == "tok.en")
    #expect(HTTPHeaders().bearerToken == nil)
  }

  @Test func onlyApplicationJSONSkipsTheParse() {
    for (value, json) in [
      ("application/json", true), ("application/json; charset=utf-8", true),
      ("Application/JSON", true), ("application/problem+json", true), ("text/plain", false),
      ("application/jsonx", false),
    ] {
      #expect(HTTPHeaders([("Content-Type", value)]).hasJSONContentType == json, "\(value)")
    }
  }
}
