import Foundation

/// The console's files, read once: the HTML shell with its import map, module preloads and
/// content security policy filled in, and every asset by plain and by hashed path.
struct ConsoleBundle: Sendable {
  let shell: String
  /// The shell's policy: scripts from this origin plus the inline import map, by its hash.
  let contentSecurityPolicy: String
  private let byPath: [String: ConsoleAsset]
  private let byHashedPath: [String: ConsoleAsset]

  enum LoadError: Error, CustomStringConvertible {
    case missingShell(URL)
    case unknownAsset(String)

    var description: String {
      switch self {
      case .missingShell(let folder): "console: \(folder.path)/index.html is missing"
      case .unknownAsset(let path): "console: index.html names \(path), which does not exist"
      }
    }
  }

  init(folder: URL) throws {
    let files = try Self.files(under: folder)
    guard let template = files["index.html"].flatMap({ String(data: $0, encoding: .utf8) })
    else { throw LoadError.missingShell(folder) }
    let assets = files.filter { $0.key != "index.html" }.map { ConsoleAsset(path: $0, bytes: $1) }
    byPath = Dictionary(uniqueKeysWithValues: assets.map { ($0.path, $0) })
    byHashedPath = Dictionary(uniqueKeysWithValues: assets.map { ($0.hashedPath, $0) })
    let modules = assets.filter(\.isModule).sorted { $0.path < $1.path }
    let importMap = Self.importMap(modules)
    let firstPage = ConsoleModuleGraph(modules).staticallyReachable(
      from: Self.assetMarkers(in: template))
    let preloads = modules.filter { firstPage.contains($0.path) }.map {
      "<link rel=\"modulepreload\" href=\"\($0.url)\">"
    }
    shell = try Self.fillAssetURLs(
      in: template.replacingOccurrences(
        of: "<!--importmap-->",
        with: "<script type=\"importmap\">\(importMap)</script>\n"
          + preloads.joined(separator: "\n")),
      assets: byPath)
    let mapHash = Data(SHA256Digest.of(importMap)).base64EncodedString()
    contentSecurityPolicy =
      "default-src 'none'; script-src 'self' 'sha256-\(mapHash)'; style-src 'self'; "
      + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; "
      + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
  }

  /// An asset by its path under `/assets/`, hashed (cacheable forever) or plain.
  func asset(_ path: String) -> (asset: ConsoleAsset, immutable: Bool)? {
    if let asset = byHashedPath[path] { return (asset, true) }
    return byPath[path].map { ($0, false) }
  }

  /// Modules import each other by relative paths (`./lib/api.js`); the map sends each
  /// resolved path to its hashed URL, so a changed module busts the cache without rewriting
  /// the modules that import it.
  static func importMap(_ modules: [ConsoleAsset]) -> String {
    let entries = modules.map { "\"/assets/\($0.path)\":\"\($0.url)\"" }
    return "{\"imports\":{\(entries.joined(separator: ","))}}"
  }

  /// The paths the shell's `{{asset:PATH}}` markers name.
  static func assetMarkers(in template: String) -> [String] {
    var paths: [String] = []
    var rest = template[...]
    while let open = rest.range(of: "{{asset:"),
      let close = rest[open.upperBound...].range(of: "}}")
    {
      paths.append(String(rest[open.upperBound..<close.lowerBound]))
      rest = rest[close.upperBound...]
    }
    return paths
  }

  /// Replaces each `{{asset:PATH}}` with the asset's hashed URL.
  static func fillAssetURLs(in template: String, assets: [String: ConsoleAsset]) throws -> String {
    var output = ""
    var rest = template[...]
    while let open = rest.range(of: "{{asset:") {
      output += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].range(of: "}}") else { break }
      let path = String(rest[open.upperBound..<close.lowerBound])
      guard let asset = assets[path] else { throw LoadError.unknownAsset(path) }
      output += asset.url
      rest = rest[close.upperBound...]
    }
    return output + rest
  }

  /// Every regular file under the folder by its relative path, hidden files left out.
  static func files(under folder: URL) throws -> [String: Data] {
    let root = folder.resolvingSymlinksInPath().standardizedFileURL.path
    guard
      let walker = FileManager.default.enumerator(
        at: folder.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isRegularFileKey],
        options: [.skipsHiddenFiles])
    else { return [:] }
    var files: [String: Data] = [:]
    for case let url as URL in walker
    where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
      let path = url.standardizedFileURL.path
      guard path.hasPrefix(root + "/") else { continue }
      files[String(path.dropFirst(root.count + 1))] = try Data(contentsOf: url)
    }
    return files
  }
}
