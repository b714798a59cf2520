import Crypto
import Fluent
import Foundation
import Testing

@testable import App

@Suite struct KeysTests {
  /// An envelope as sealed before credentials were bound to their tracker.
  static func legacyEnvelope(_ plaintext: String, key: CredentialCipher.Key) throws -> String {
    let box = try AES.GCM.seal(Data(plaintext.utf8), using: key.key)
    return "v1.\(key.id).\(try #require(box.combined).base64EncodedString())"
  }

  @Test(arguments: TestDatabase.all)
  func rotationReSealsOldAndUnboundCredentialsBoundToTheirTracker(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      let oldKey = CredentialCipher.Key(Array(repeating: 9, count: 32))
      let tracker = Tracker(
        companyID: ctx.companyID, type: "jira-dc", name: "Old", baseURL: "https://old.example")
      let auth = #"{"kind":"pat","token":"t"}"#
      tracker.authJSON = try Self.legacyEnvelope(auth, key: oldKey)
      tracker.webhookSecret = try Self.legacyEnvelope("a-secret-of-16-bytes", key: oldKey)
      try await tracker.create(on: ctx.app.db)
      let id = try tracker.requireID()
      let current = CredentialCipher(
        current: .init(ctx.app.appConfig.encryptionKey), previous: [oldKey])
      // today's format opens
      #expect(try current.open(tracker.authJSON ?? "", for: .auth(of: id)) == Data(auth.utf8))
      // act
      let rotated = try await KeysRotateCommand.rotate(database: ctx.app.db, cipher: current)
      let again = try await KeysRotateCommand.rotate(database: ctx.app.db, cipher: current)
      // check
      #expect(rotated == 2 && again == 0)
      let stored = try #require(try await Tracker.find(tracker.id, on: ctx.app.db))
      #expect(stored.authJSON?.hasPrefix("v2.") == true)
      let onlyCurrent = CredentialCipher(current: current.current, previous: [])
      #expect(try onlyCurrent.open(stored.authJSON ?? "", for: .auth(of: id)) == Data(auth.utf8))
      #expect(
        try onlyCurrent.open(stored.webhookSecret ?? "", for: .webhookSecret(of: id))
          == Data("a-secret-of-16-bytes".utf8))
      // a bound envelope opens for its own tracker and column only
      #expect(throws: CredentialCipher.Failure.self) {
        try onlyCurrent.open(stored.authJSON ?? "", for: .auth(of: UUID()))
      }
      #expect(throws: CredentialCipher.Failure.self) {
        try onlyCurrent.open(stored.authJSON ?? "", for: .webhookSecret(of: id))
      }
    }
  }

  @Test(arguments: TestDatabase.all)
  func rotationReSealsWebhookSigningSecrets(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let oldKey = CredentialCipher.Key(Array(repeating: 5, count: 32))
      let old = CredentialCipher(current: oldKey, previous: [])
      let id = UUID.v7()
      let admin = try #require(try await User.query(on: ctx.app.db).first())
      let subscription = WebhookSubscription(
        id: id, companyID: ctx.companyID, url: "http://127.0.0.1:9/hook",
        events: ["template.label.moved"],
        secretSealed: try old.seal(Data("whsec_old".utf8), for: .signingSecret(of: id)),
        createdBy: try admin.requireID())
      try await subscription.create(on: ctx.app.db)
      let current = CredentialCipher(
        current: .init(ctx.app.appConfig.encryptionKey), previous: [oldKey])
      // act
      let rotated = try await KeysRotateCommand.rotate(database: ctx.app.db, cipher: current)
      // check: sealed under the current key, bound to its subscription
      #expect(rotated == 1)
      let stored = try #require(try await WebhookSubscription.find(id, on: ctx.app.db))
      let onlyCurrent = CredentialCipher(current: current.current, previous: [])
      #expect(
        try onlyCurrent.open(stored.secretSealed, for: .signingSecret(of: id))
          == Data("whsec_old".utf8))
      #expect(throws: CredentialCipher.Failure.self) {
        try onlyCurrent.open(stored.secretSealed, for: .signingSecret(of: UUID()))
      }
    }
  }
}
