import Fluent
import Foundation
import Testing

@testable import App

@Suite struct KeysTests {
  @Test(arguments: TestDatabase.all)
  func rotationReSealsOldCredentials(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let oldKey = CredentialCipher.Key(Array(repeating: 9, count: 32))
      let old = CredentialCipher(current: oldKey, previous: [])
      let tracker = Tracker(
        companyID: ctx.companyID, type: "jira-dc", name: "Old", baseURL: "https://old.example")
      tracker.authJSON = try old.seal(Data(#"{"kind":"pat","token":"t"}"#.utf8))
      tracker.webhookSecret = try old.seal(Data("a-secret-of-16-bytes".utf8))
      try await tracker.create(on: ctx.app.db)
      let current = CredentialCipher(
        current: .init(ctx.app.appConfig.encryptionKey), previous: [oldKey])
      // act
      let rotated = try await KeysRotateCommand.rotate(database: ctx.app.db, cipher: current)
      let again = try await KeysRotateCommand.rotate(database: ctx.app.db, cipher: current)
      // check
      #expect(rotated == 2 && again == 0)
      let stored = try #require(try await Tracker.find(tracker.id, on: ctx.app.db))
      let onlyCurrent = CredentialCipher(current: current.current, previous: [])
      #expect(
        try onlyCurrent.open(stored.authJSON ?? "") == Data(#"{"kind":"pat","token":"t"}"#.utf8))
      #expect(try onlyCurrent.open(stored.webhookSecret ?? "") == Data("a-secret-of-16-bytes".utf8))
    }
  }
}
