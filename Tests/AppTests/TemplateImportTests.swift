import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// A folder of templates applied in one transaction, and the `templates pull` / `push` round
/// trip against a live server.
@Suite struct TemplateImportTests {
  static func importing(
    _ f: CoreLoopTests.Fixture, _ templates: [[String: Any]], label: String? = nil,
    dryRun: Bool = false, token: String? = nil
  ) async throws -> TestingHTTPResponse {
    var body: [String: Any] = ["templates": templates, "dryRun": dryRun]
    if let label { body["label"] = label }
    return try await f.ctx.send(
      .POST, "/prompt-templates/import", token: token ?? f.lead, object: body)
  }

  static func entries(_ response: TestingHTTPResponse) -> [[String: Any]] {
    response.json?["templates"] as? [[String: Any]] ?? []
  }

  @Test(arguments: TestDatabase.all)
  func anImportWritesOnlyWhatChangedAllOrNothing(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let footer: [String: Any] = ["name": "footer", "bodyMd": "Thanks, {{assignee.name}}."]
      let main: [String: Any] = [
        "name": "release/v2:fix", "bodyMd": "{{key}}\n{{> footer}}\n",
        "lintJson": ["type": "object", "properties": ["tone": ["type": "string"]]],
      ]
      // act: create both (the new one calls the other as a partial), then change one
      let created = try await Self.importing(f, [main, footer], label: "staging")
      var changedMain = main
      changedMain["bodyMd"] = "{{key}}: {{title}}\n{{> footer}}\n"
      let versionsBefore = try await PromptTemplateVersion.query(on: ctx.app.db).count()
      let dryRun = try await Self.importing(f, [changedMain, footer], dryRun: true)
      let versionsAfterDryRun = try await PromptTemplateVersion.query(on: ctx.app.db).count()
      let updated = try await Self.importing(f, [changedMain, footer], label: "staging")
      let broken = try await Self.importing(
        f, [changedMain, ["name": "broken", "bodyMd": "{{#if x}}no end"]])
      let twice = try await Self.importing(f, [footer, footer])
      let byDeveloper = try await Self.importing(f, [footer], token: f.developer)
      // check
      #expect(created.status == .ok)
      #expect(Self.entries(created).map { $0["action"] as? String } == ["created", "created"])
      #expect(dryRun.json?["dryRun"] as? Bool == true)
      #expect(Self.entries(dryRun).map { $0["action"] as? String } == ["updated", "unchanged"])
      #expect(
        (Self.entries(dryRun).first?["diff"] as? String)?.contains("+{{key}}: {{title}}") == true)
      #expect(versionsAfterDryRun == versionsBefore)
      #expect(Self.entries(updated).map { $0["version"] as? Int } == [2, 1])
      #expect(Self.entries(updated).first?["previousVersion"] as? Int == 1)
      #expect(broken.status == .unprocessableEntity)
      #expect(broken.problem?.errors?.first?.field == "templates/1/bodyMd")
      #expect(twice.status == .unprocessableEntity)
      #expect(twice.problem?.errors?.first?.field == "templates/1/name")
      #expect(byDeveloper.status == .forbidden)
      let names = try await PromptTemplate.query(on: ctx.app.db).all().map(\.name).sorted()
      #expect(names == ["footer", "release/v2:fix"])
      #expect(try await PromptTemplateVersion.query(on: ctx.app.db).count() == 3)
      let staging = try await TemplateLabel.query(on: ctx.app.db).filter(\.$label == "staging")
        .all().map(\.version).sorted()
      #expect(staging == [1, 2])
    }
  }

  @Test(arguments: TestDatabase.all)
  func pullThenPushLeavesTheServerUnchanged(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let lead = try await ctx.createUser(role: .lead, adminToken: f.admin)
      let session = try await ctx.login(lead.email, lead.password).accessToken
      let pat = try await ctx.send(
        .POST, "/me/tokens", token: session,
        object: ["name": "templates-as-code", "currentPassword": lead.password])
      let token = try #require(pat.json?["token"] as? String)
      _ = try await Self.importing(
        f,
        [
          ["name": "implement", "bodyMd": CoreLoopTests.body, "lintJson": CoreLoopTests.schema],
          ["name": "ops/deploy:notes-ü", "bodyMd": "Deploy {{key}} — ünïcødé\n"],
        ])
      let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("templates-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: folder) }
      try await LiveServer.run(ctx.app) { server in
        let url = "http://127.0.0.1:\(server.port)"
        let io = { (captured: ToolCommandTests.Captured) -> ToolIO in
          var io = captured.io
          io.environment = { ["PROMPTSMITH_URL": url, "PROMPTSMITH_TOKEN": token] }
          return io
        }
        // act: pull, push as it is (dry run, then for real), then push an edit with a label
        let pulled = ToolCommandTests.Captured()
        let pullStatus = await ToolCommands.run(["templates", "pull", folder.path], io: io(pulled))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let versions = try await PromptTemplateVersion.query(on: ctx.app.db).count()
        let dry = ToolCommandTests.Captured()
        let dryStatus = await ToolCommands.run(
          ["templates", "push", folder.path, "--dry-run"], io: io(dry))
        let same = ToolCommandTests.Captured()
        let sameStatus = await ToolCommands.run(["templates", "push", folder.path], io: io(same))
        let unchangedVersions = try await PromptTemplateVersion.query(on: ctx.app.db).count()
        try Data("Deploy {{key}} today\n".utf8).write(
          to: folder.appendingPathComponent("ops%2Fdeploy%3Anotes-%C3%BC.hbs"))
        let edited = ToolCommandTests.Captured()
        let editStatus = await ToolCommands.run(
          ["templates", "push", folder.path, "--label", "staging"], io: io(edited))
        let noToken = ToolCommandTests.Captured()
        var bare = noToken.io
        bare.environment = { ["PROMPTSMITH_URL": url] }
        let noTokenStatus = await ToolCommands.run(["templates", "pull", folder.path], io: bare)
        // check
        #expect(pullStatus == 0, "\(pulled.stderr)")
        #expect(
          files == [
            "implement.hbs", "implement.schema.json", "ops%2Fdeploy%3Anotes-%C3%BC.hbs",
          ])
        #expect(dryStatus == 0 && sameStatus == 0, "\(dry.stderr) \(same.stderr)")
        #expect(dry.stdout.contains("0 template(s) would change"))
        #expect(unchangedVersions == versions)
        #expect(editStatus == 0, "\(edited.stderr)")
        #expect(edited.stdout.contains("ops/deploy:notes-ü: updated (v2, staging → v2)"))
        #expect(noTokenStatus == 2)
        #expect(noToken.stderr.contains("PROMPTSMITH_TOKEN"))
      }
      let renamed = try await PromptTemplate.query(on: ctx.app.db)
        .filter(\.$name == "ops/deploy:notes-ü").first()
      #expect(renamed?.bodyMarkdown == "Deploy {{key}} today\n")
      #expect(
        TemplateFiles.name(fromFileName: TemplateFiles.fileName(for: "a/b:c%d é")) == "a/b:c%d é")
    }
  }
}
