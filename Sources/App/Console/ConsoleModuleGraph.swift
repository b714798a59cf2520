import Foundation

/// Which console modules import which, statically. The shell preloads only what its entry
/// modules reach this way: a screen loaded with `import()` (the admin screens, the API
/// reference) stays out of the first page's download and comes when it is opened.
struct ConsoleModuleGraph: Sendable {
  private let imports: [String: [String]]

  init(_ modules: [ConsoleAsset]) {
    imports = Dictionary(
      uniqueKeysWithValues: modules.map {
        ($0.path, Self.staticImports(of: String(decoding: $0.bytes, as: UTF8.self), at: $0.path))
      })
  }

  /// The entries and every module they import statically, directly or not.
  func staticallyReachable(from entries: [String]) -> Set<String> {
    var reached: Set<String> = []
    var pending = entries.filter { imports[$0] != nil }
    while let path = pending.popLast() {
      guard reached.insert(path).inserted else { continue }
      pending += imports[path, default: []].filter { imports[$0] != nil }
    }
    return reached
  }

  // `import x from "…"`, `import {…} from "…"`, `export … from "…"` and `import "…"` at the
  // start of a statement; `import("…")` is a call, not a declaration, and does not match.
  private static let declaration = try! NSRegularExpression(
    pattern: #"(?:^|[;}])\s*(?:(?:import|export)\b[^;'"()]*?\bfrom\s*|import\s*)["']([^"']+)["']"#,
    options: [.anchorsMatchLines])

  /// The paths (relative to the Console folder) that the module at `path` imports statically.
  static func staticImports(of source: String, at path: String) -> [String] {
    let range = NSRange(source.startIndex..., in: source)
    return declaration.matches(in: source, range: range).compactMap { match in
      Range(match.range(at: 1), in: source).flatMap { resolve(String(source[$0]), from: path) }
    }
  }

  /// A specifier as the browser resolves it against `/assets/<path>`, back to a folder path;
  /// nil for a bare name or another origin.
  static func resolve(_ specifier: String, from path: String) -> String? {
    var parts: [Substring]
    if specifier.hasPrefix("/assets/") {
      parts = []
    } else if specifier.hasPrefix("./") || specifier.hasPrefix("../") {
      parts = path.split(separator: "/").dropLast()
    } else {
      return nil
    }
    let relative = specifier.hasPrefix("/assets/") ? specifier.dropFirst(8) : specifier[...]
    for part in relative.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(part)
      }
    }
    return parts.joined(separator: "/")
  }
}
