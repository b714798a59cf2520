import Fluent
import Foundation
import Templating
import Testing
import Vapor

@testable import App

/// Request bodies and query parameters are checked against openapi.yaml before any handler
/// runs, every violation reported at once; unknown members are refused on writes.
@Suite struct RequestValidationTests {
  @Test(arguments: TestDatabase.all)
  func everyViolationIsReportedAtOnceAndNothingIsWritten(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      // act: a wrong type among rule violations is a 400 listing all of them
      let tracker = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "svn", "name": 5, "baseUrl": "https://x.example", "syncIntervalMinutes": 0,
          "auth": ["kind": "pat", "token": "t", "extra": "x"], "color": "red",
        ])
      // rule violations only: 422
      let token = try await ctx.send(
        .POST, "/me/tokens", token: admin,
        object: [
          "name": "", "expiresInDays": 400, "scope": "all", "currentPassword": ctx.adminPassword,
        ])
      let user = try await ctx.send(
        .POST, "/users", token: admin,
        object: [
          "email": "a@b.example", "name": "   ", "role": "developer",
          "password": "long-enough-password", "isAdmin": true,
        ])
      // check
      #expect(tracker.status == .badRequest)
      #expect(
        Set(tracker.problem?.errors?.map(\.field) ?? [])
          == ["type", "name", "syncIntervalMinutes", "auth.extra", "color"])
      #expect(
        tracker.problem?.errors?.first { $0.field == "color" }?.reason == "is not a known field")
      #expect(token.status == .unprocessableEntity)
      #expect(Set(token.problem?.errors?.map(\.field) ?? []) == ["name", "expiresInDays", "scope"])
      #expect(user.status == .unprocessableEntity)
      #expect(Set(user.problem?.errors?.map(\.field) ?? []) == ["name", "isAdmin"])
      #expect(try await Tracker.query(on: ctx.app.db).count() == 0)
      #expect(try await PersonalAccessToken.query(on: ctx.app.db).count() == 0)
      #expect(try await User.query(on: ctx.app.db).count() == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func everyQueryParameterViolationIsReportedAtOnce(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let developer = try await ctx.createUser(role: .developer, adminToken: admin)
      let developerToken = try await ctx.login(developer.email, developer.password).accessToken
      // act
      let rules = try await ctx.send(
        .GET, "/issues?limit=0&status=bogus&assignee=%20x", token: admin)
      let wrongType = try await ctx.send(.GET, "/jobs?limit=ten&state=sleeping", token: admin)
      let audit = try await ctx.send(
        .GET, "/audit-events?entity=planet&limit=201&action=", token: admin)
      let fine = try await ctx.send(
        .GET, "/issues?limit=5&status=open&unknown=1", token: admin)
      let beforeRole = try await ctx.send(
        .GET, "/audit-events?entity=planet", token: developerToken)
      let anonymous = try await ctx.send(.GET, "/jobs?limit=ten")
      // check
      #expect(rules.status == .unprocessableEntity)
      #expect(
        Set(rules.problem?.errors?.map(\.field) ?? []) == ["limit", "status", "assignee"])
      #expect(wrongType.status == .badRequest)
      #expect(Set(wrongType.problem?.errors?.map(\.field) ?? []) == ["limit", "state"])
      #expect(audit.status == .unprocessableEntity)
      #expect(Set(audit.problem?.errors?.map(\.field) ?? []) == ["entity", "limit", "action"])
      #expect(fine.status == .ok)
      #expect(beforeRole.status == .forbidden)
      #expect(anonymous.status == .unauthorized)
    }
  }

  @Test func deeplyNestedBodiesAreRefusedBeforeParsing() async throws {
    try await withTestApp(.sqlite) { ctx in
      let admin = try await ctx.adminToken()
      let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
      let shallowInString =
        #"{"name": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "currentPassword": "admin-password-123"}"#
      let nested = try await ctx.send(
        .POST, "/prompt-templates", token: admin,
        rawBody: #"{"name": "t", "bodyMd": "x", "lintJson": {"a": \#(deep)}}"#)
      let brackets = try await ctx.send(.POST, "/me/tokens", token: admin, rawBody: shallowInString)
      #expect(nested.status == .badRequest)
      #expect(nested.problem?.errors?.first?.field == "body")
      #expect(brackets.status == .created)
      #expect(try await PromptTemplate.query(on: ctx.app.db).count() == 0)
    }
  }

  @Test func violationsBecomeReadableFieldPaths() {
    let cases: [(String, String, SchemaViolation.Kind, String, String)] = [
      (
        "/auth/token", "must be a string, got number", .wrongType, "auth.token",
        "must be a string, got number"
      ),
      (
        "/items/0/name", "must be at least 1 character", .rule, "items[0].name",
        "must be at least 1 character"
      ),
      (
        "/", #"missing required property "email""#, .missingProperty("email"), "email",
        "is required"
      ),
      (
        "/auth", #"unexpected property "x""#, .unexpectedProperty("x"), "auth.x",
        "is not a known field"
      ),
      ("/", "must be an object, got array", .wrongType, "body", "must be an object, got array"),
    ]
    for (pointer, reason, kind, field, expected) in cases {
      let error = RequestValidationMiddleware.fieldError(
        SchemaViolation(pointer: pointer, reason: reason, kind: kind))
      #expect(error.field == field && error.reason == expected, "\(pointer) \(reason)")
    }
  }
}
