import Foundation
import Synchronization
import Testing

@testable import App

/// The offline tools, driven as the executable drives them, with captured output.
@Suite struct ToolCommandTests {
  final class Captured: Sendable {
    let out = Mutex("")
    let err = Mutex("")
    let input: Data
    let files: [String: Data]

    init(input: String = "", files: [String: String] = [:]) {
      self.input = Data(input.utf8)
      self.files = files.mapValues { Data($0.utf8) }
    }

    var io: ToolIO {
      ToolIO(
        out: { text in self.out.withLock { $0 += text } },
        err: { text in self.err.withLock { $0 += text } },
        readStandardInput: { self.input },
        readFile: { path in
          try self.files[path] ?? ToolIO.standard.readFile(path)
        })
    }

    var stdout: String { out.withLock { $0 } }
    var stderr: String { err.withLock { $0 } }
  }

  @Test func tokensCountsStandardInputWithTheDefaultEncoding() async {
    let captured = Captured(input: "hello world")
    #expect(await ToolCommands.run(["tokens"], io: captured.io) == 0)
    #expect(captured.stdout == "2\n")
  }

  @Test func tokensCountsEachFileOnItsOwnLine() async {
    let captured = Captured(files: ["a.md": "hello world", "b.md": "<|endoftext|>"])
    let status = await ToolCommands.run(
      ["tokens", "--encoding", "o200k_base", "a.md", "b.md"], io: captured.io)
    #expect(status == 0)
    let counts = captured.stdout.split(separator: "\n").compactMap { Int($0) }
    #expect(counts.count == 2)
    #expect(counts[0] == 2)
    #expect(counts[1] > 1, "a special-token string is counted as plain text")
  }

  @Test func tokensPrintsIdsForAModel() async {
    let captured = Captured(input: "hello world")
    #expect(await ToolCommands.run(["tokens", "--model=gpt-4", "--ids"], io: captured.io) == 0)
    #expect(captured.stdout == "15339 1917\n")
  }

  @Test func tokensExplainsItsErrors() async {
    let unknownModel = Captured()
    #expect(await ToolCommands.run(["tokens", "--model", "gpt-1"], io: unknownModel.io) == 2)
    #expect(unknownModel.stderr.contains("Unknown model 'gpt-1'"))
    let both = Captured()
    #expect(
      await ToolCommands.run(
        ["tokens", "--model", "gpt-4", "--encoding", "o200k_base"], io: both.io)
        == 2)
    #expect(both.stderr.contains("not both") && both.stderr.contains("usage:"))
    let missingFile = Captured()
    #expect(await ToolCommands.run(["tokens", "nope.md"], io: missingFile.io) == 1)
    #expect(missingFile.stderr.contains("cannot read nope.md"))
    let badOption = Captured()
    #expect(await ToolCommands.run(["tokens", "--fast"], io: badOption.io) == 2)
    #expect(badOption.stderr.contains("unknown option --fast"))
    let dangling = Captured()
    #expect(await ToolCommands.run(["tokens", "--model"], io: dangling.io) == 2)
  }

  @Test func helpPrintsUsage() async {
    let captured = Captured()
    #expect(await ToolCommands.run(["tokens", "--help"], io: captured.io) == 0)
    #expect(captured.stdout.hasPrefix("usage: promptsmith tokens"))
    #expect(ToolCommands.handles("tokens") && !ToolCommands.handles("serve"))
  }
}

@Suite struct ValidateCommandTests {
  func write(_ files: [String: String]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("ps-validate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return folder
  }

  @Test func validateReportsValidityAndViolationsWithExitCodes() async throws {
    let folder = try write([
      "schema.json":
        #"{"type":"object","required":["n"],"properties":{"n":{"type":"integer","default":1}}}"#,
      "good.json": #"{"n": 3}"#,
      "bad.json": #"{"n": "three"}"#,
      "empty.json": "{}",
      "unsupported.json": #"{"if": true}"#,
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    func run(_ arguments: [String]) async -> (Int32, String, String) {
      let captured = ToolCommandTests.Captured()
      let status = await ToolCommands.run(["validate"] + arguments, io: captured.io)
      return (status, captured.stdout, captured.stderr)
    }
    let schema = folder.appendingPathComponent("schema.json").path
    let good = await run(["--schema", schema, folder.appendingPathComponent("good.json").path])
    #expect(good.0 == 0 && good.1 == "valid\n")
    let bad = await run(["--schema", schema, folder.appendingPathComponent("bad.json").path])
    #expect(bad.0 == 1 && bad.1.hasPrefix("/n: "))
    let empty = folder.appendingPathComponent("empty.json").path
    #expect(await run(["--schema", schema, empty]).0 == 1)
    #expect(await run(["--schema", schema, "--apply-defaults", empty]).0 == 0)
    let unsupported = await run([
      "--schema", folder.appendingPathComponent("unsupported.json").path, empty,
    ])
    #expect(unsupported.0 == 2 && unsupported.2.contains("if"))
    #expect(await run([empty]).0 == 2)
  }
}
