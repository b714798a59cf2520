import Testing
import Vapor

@testable import App

/// A path that belongs to another method's route answers 405 even where a parameter route of
/// this method would match it (`GET /prompts/generate` is not a prompt called "generate").
@Suite struct WrongMethodTests {
  @Test func aConstantPathOfAnotherMethodIsNotAnId() async throws {
    try await withTestApp(.sqlite) { ctx in
      let admin = try await ctx.adminToken()
      let wrong = try await ctx.send(.GET, "/prompts/generate", token: admin)
      #expect(wrong.status == .methodNotAllowed)
      #expect(wrong.headers.first(name: .allow) == "POST")
      // a real id that is not there is still 404
      let missing = try await ctx.send(.GET, "/prompts/\(UUID())", token: admin)
      #expect(missing.status == .notFound)
      // the body check of `PATCH /prompt-templates/:templateID` refuses first, yet the path is
      // `POST /prompt-templates/lint`'s
      let lint = try await ctx.send(
        .PATCH, "/prompt-templates/lint", token: admin, object: ["name": "has space"])
      #expect(lint.status == .methodNotAllowed)
      #expect(lint.headers.first(name: .allow) == "POST")
      // a real template's refusal stays what it is
      let invalid = try await ctx.send(
        .PATCH, "/prompt-templates/\(UUID())", token: admin, object: ["name": "has space"])
      #expect(invalid.status == .unprocessableEntity)
    }
  }
}
