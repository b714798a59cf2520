import Crypto
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The console's shell and files as the binary serves them: one policy that allows no inline
/// script but the import map, hashed files cached forever, the page never cached.
@Suite struct ConsoleTests {
  static func shell(_ ctx: TestContext, _ path: String = "/") async throws -> TestingHTTPResponse {
    try await ctx.app.testing().sendRequest(.GET, path)
  }

  /// The hashed `/assets/` URLs the first page loads: its stylesheet, scripts and module
  /// preloads (the import map also names the modules loaded later, on demand).
  static func assetURLs(in html: String) -> [String] {
    var outsideMap = html
    if let open = html.range(of: "<script type=\"importmap\">"),
      let close = html[open.upperBound...].range(of: "</script>")
    {
      outsideMap.removeSubrange(open.lowerBound..<close.upperBound)
    }
    return
      outsideMap
      .components(separatedBy: "\"").filter { url in
        url.hasPrefix("/assets/")
          && url.split(separator: "/").last?.split(separator: ".").contains {
            $0.count == 12 && $0.allSatisfy(\.isHexDigit)
          } == true
      }
  }

  @Test func theShellAllowsOnlyItsImportMapInline() async throws {
    try await withTestApp(.sqlite) { ctx in
      let response = try await Self.shell(ctx)
      #expect(response.status == .ok)
      #expect(response.headers.contentType == .html)
      #expect(response.headers.first(name: .cacheControl) == "no-store")
      let policy = try #require(response.headers.first(name: "Content-Security-Policy"))
      #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
      #expect(policy.contains("frame-ancestors 'none'"))
      // the one inline script is the import map, allowed by its hash
      let html = response.bodyString
      let open = "<script type=\"importmap\">"
      let map = try #require(
        html.components(separatedBy: open).dropFirst().first?.components(separatedBy: "</script>")
          .first)
      let hash = Data(SHA256.hash(data: Data(map.utf8))).base64EncodedString()
      #expect(policy.contains("script-src 'self' 'sha256-\(hash)'"))
      let scripts = html.components(separatedBy: "<script").dropFirst()
      let maps = scripts.filter { $0.hasPrefix(" type=\"importmap\"") }
      #expect(maps.count == 1)
      #expect(
        scripts.filter { !$0.hasPrefix(" type=\"importmap\"") }.allSatisfy {
          $0.components(separatedBy: ">").first?.contains("src=\"/assets/") == true
        }, "every other script is a file from /assets")
      #expect(!html.contains("http://") && !html.contains("https://"), "nothing from elsewhere")
      // the first page's modules are preloaded; the admin screens and the reference are in
      // the map (for their import()) but wait until they are opened
      let modules = try #require(
        try JSONSerialization.jsonObject(with: Data(map.utf8)) as? [String: [String: String]])
      let mapped = modules["imports"] ?? [:]
      let preloaded = Set(
        html.components(separatedBy: "<link rel=\"modulepreload\" href=\"")
          .dropFirst()
          .compactMap { $0.components(separatedBy: "\"").first })
      #expect(preloaded.isSubset(of: Set(mapped.values)))
      #expect(preloaded.contains(try #require(mapped["/assets/main.js"])))
      #expect(preloaded.contains(try #require(mapped["/assets/lib/api.js"])))
      let onDemand = mapped.filter { $0.key.hasPrefix("/assets/screens/admin/") }
      #expect(!onDemand.isEmpty)
      #expect(onDemand.values.allSatisfy { !preloaded.contains($0) })
    }
  }

  @Test func everyConsolePathAnswersTheShell() async throws {
    try await withTestApp(.sqlite) { ctx in
      let root = try await Self.shell(ctx).bodyString
      for path in [
        "/app", "/app/issues?q=csv&status=open", "/app/templates/new", "/app/x/y/z", "/docs",
      ] {
        let response = try await Self.shell(ctx, path)
        #expect(response.status == .ok, "\(path)")
        #expect(response.bodyString == root, "\(path)")
      }
    }
  }

  @Test func hashedFilesAreImmutableAndPlainOnesRevalidated() async throws {
    try await withTestApp(.sqlite) { ctx in
      let html = try await Self.shell(ctx).bodyString
      let urls = Self.assetURLs(in: html)
      #expect(urls.contains { $0.hasSuffix(".css") } && urls.contains { $0.hasSuffix(".js") })
      var total = 0
      for url in Set(urls) {
        let response = try await ctx.app.testing().sendRequest(.GET, url)
        #expect(response.status == .ok, "\(url)")
        #expect(
          response.headers.first(name: .cacheControl) == "public, max-age=31536000, immutable")
        let type = response.headers.first(name: .contentType) ?? ""
        #expect(type.hasPrefix(url.hasSuffix(".css") ? "text/css" : "text/javascript"), "\(url)")
        total += response.body.readableBytes
        // a module imports only relative paths: nothing from another origin
        #expect(!response.bodyString.contains("from \"http"), "\(url)")
        let etag = try #require(response.headers.first(name: .eTag))
        let again = try await ctx.app.testing().sendRequest(
          .GET, url, headers: [HTTPHeaders.Name.ifNoneMatch.description: etag])
        #expect(again.status == .notModified)
      }
      #expect(total < 150_000, "JS + CSS of the first page: \(total) bytes")
      let plain = try await ctx.app.testing().sendRequest(.GET, "/assets/main.js")
      #expect(plain.status == .ok)
      #expect(plain.headers.first(name: .cacheControl) == "no-cache")
      let missing = try await ctx.app.testing().sendRequest(.GET, "/assets/../../etc/passwd")
      #expect(missing.status == .notFound)
      let unknown = try await ctx.app.testing().sendRequest(.GET, "/assets/nothing.js")
      #expect(unknown.status == .notFound)
      #expect(unknown.headers.contentType?.description.contains("problem+json") == true)
    }
  }

  @Test func aFolderIsReadAgainForEveryPageAndAMissingAssetIsAnError() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("console-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("lib"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func write(_ path: String, _ text: String) throws {
      try Data(text.utf8).write(to: folder.appendingPathComponent(path))
    }
    try write("index.html", "<head><!--importmap--></head><script src=\"{{asset:main.js}}\">")
    try write("main.js", "import { x } from \"./lib/x.js\";")
    try write("lib/x.js", "export const x = 1;")
    let source = try ConsoleSource(folder: folder, rereads: true)
    let first = try source.bundleForPage()
    #expect(first.shell.contains("\"/assets/lib/x.js\":\"/assets/lib/x."))
    #expect(first.asset("lib/x.js")?.immutable == false)
    // an edit shows on the next page, under a new hashed name
    try write("lib/x.js", "export const x = 2;")
    let second = try source.bundleForPage()
    #expect(second.shell != first.shell)
    // a shell that names a file that does not exist
    try write("index.html", "<link href=\"{{asset:gone.css}}\">")
    #expect(throws: ConsoleBundle.LoadError.self) { try source.bundleForPage() }
    #expect(ConsoleAsset(path: "lib/a.b.js", bytes: Data()).hashedPath.hasPrefix("lib/a.b."))
  }

  @Test func onlyStaticImportsAreFollowedForThePreloads() throws {
    func asset(_ path: String, _ text: String) -> ConsoleAsset {
      ConsoleAsset(path: path, bytes: Data(text.utf8))
    }
    let graph = ConsoleModuleGraph([
      asset(
        "main.js",
        """
        import { a } from "./lib/a.js";
        import {
          b,
        } from './lib/b.js';
        import "./lib/side.js"; export { c } from "./lib/c.js";
        // import { no } from "./lib/comment.js" is not a statement
        const admin = () => import("./screens/admin/users.js");
        """),
      asset("lib/a.js", "export const a = 1;"),
      asset("lib/b.js", "import { a } from \"./a.js\"; export const b = a;"),
      asset("lib/c.js", "import * as up from \"../main.js\"; export const c = 1;"),
      asset("lib/side.js", ""),
      asset("lib/comment.js", ""),
      asset("screens/admin/users.js", "import { a } from \"../../lib/a.js\";"),
    ])
    #expect(
      graph.staticallyReachable(from: ["main.js", "console.css"])
        == ["main.js", "lib/a.js", "lib/b.js", "lib/c.js", "lib/side.js"])
    #expect(
      ConsoleModuleGraph.staticImports(
        of: "import { a } from \"../../lib/a.js\";", at: "screens/admin/users.js")
        == ["lib/a.js"])
    #expect(ConsoleModuleGraph.resolve("/assets/lib/x.js", from: "main.js") == "lib/x.js")
    #expect(ConsoleModuleGraph.resolve("lodash", from: "main.js") == nil)
    #expect(ConsoleModuleGraph.resolve("https://cdn.example/x.js", from: "main.js") == nil)
  }
}
