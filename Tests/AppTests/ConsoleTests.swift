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

  /// The hashed `/assets/` URLs the shell names (the import map's keys are the plain paths).
  static func assetURLs(in html: String) -> [String] {
    html.components(separatedBy: "\"").filter { url in
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
      // every module is preloaded
      let modules = try #require(
        try JSONSerialization.jsonObject(with: Data(map.utf8)) as? [String: [String: String]])
      let preloaded = html.components(separatedBy: "<link rel=\"modulepreload\" href=\"")
        .dropFirst()
        .compactMap { $0.components(separatedBy: "\"").first }
      #expect(Set(preloaded) == Set(modules["imports"]?.values.map { $0 } ?? []))
    }
  }

  @Test func everyConsolePathAnswersTheShell() async throws {
    try await withTestApp(.sqlite) { ctx in
      let root = try await Self.shell(ctx).bodyString
      for path in ["/app", "/app/issues?q=csv&status=open", "/app/templates/new", "/app/x/y/z"] {
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
}
