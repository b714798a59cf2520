import Vapor

/// Which methods the router accepts for a path, for 405 responses with `Allow`.
enum MethodsForPath {
  /// Only the most specific routes count: `/prompts/generate` is not also `/prompts/:promptID`
  /// for this purpose, as the contract documents it as a path of its own.
  static func allowed(for request: Request) -> [String] {
    let segments = request.url.path.split(separator: "/").map(String.init)
    let matching = request.application.routes.all.filter { matches($0.path, segments) }
    let best = matching.map(constants).max() ?? 0
    return Set(matching.filter { constants($0) == best }.map(\.method.rawValue)).sorted()
  }

  private static func constants(_ route: Route) -> Int {
    route.path.filter {
      if case .constant = $0 { return true }
      return false
    }.count
  }

  private static func matches(_ pattern: [PathComponent], _ segments: [String]) -> Bool {
    var index = 0
    for component in pattern {
      switch component {
      case .catchall:
        return index < segments.count
      case .anything, .parameter:
        guard index < segments.count else { return false }
      case .constant(let value):
        guard index < segments.count, segments[index] == value else { return false }
      }
      index += 1
    }
    return index == segments.count
  }
}
