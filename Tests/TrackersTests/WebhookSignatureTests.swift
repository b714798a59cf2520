import Foundation
import Testing

@testable import Trackers

/// `X-Hub-Signature: sha256=<hex>` verification over the raw body.
@Suite struct WebhookSignatureTests {
  let body = Fixtures.data("jira-dc/webhook-issue-updated.json")

  @Test func knownVector() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    let signature = WebhookSignature.sign(
      body: Data("what do ya want for nothing?".utf8), secret: "Jefe")
    #expect(signature == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  @Test func validSignature() {
    let header = WebhookSignature.sign(body: body, secret: "s3cret")
    #expect(WebhookSignature.verify(body: body, header: header, secret: "s3cret"))
    #expect(
      WebhookSignature.verify(
        body: body,
        header: header.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="),
        secret: "s3cret"))
  }

  @Test func invalidSignatures() {
    let header = WebhookSignature.sign(body: body, secret: "s3cret")
    var tampered = body
    tampered.append(0x20)
    #expect(!WebhookSignature.verify(body: tampered, header: header, secret: "s3cret"))
    #expect(!WebhookSignature.verify(body: body, header: header, secret: "other"))
    #expect(!WebhookSignature.verify(body: body, header: nil, secret: "s3cret"))
    #expect(!WebhookSignature.verify(body: body, header: "sha1=abcd", secret: "s3cret"))
    #expect(!WebhookSignature.verify(body: body, header: "sha256=zz", secret: "s3cret"))
    #expect(
      !WebhookSignature.verify(body: body, header: String(header.dropLast(2)), secret: "s3cret"))
    #expect(!WebhookSignature.verify(body: body, header: header, secret: ""))
  }

  @Test func urlTokens() {
    #expect(WebhookSignature.tokensMatch("abc123", "abc123"))
    #expect(!WebhookSignature.tokensMatch("abc124", "abc123"))
    #expect(!WebhookSignature.tokensMatch("abc1234", "abc123"))
    #expect(!WebhookSignature.tokensMatch("", ""))
  }
}
