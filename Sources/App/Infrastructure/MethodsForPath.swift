import Vapor

/// Which methods the router accepts for a path, for 405 responses with `Allow`.
enum MethodsForPath {
  static func allowed(for request: Request) -> [String] {
    let segments = request.url.path.split(separator: "/").map(String.init)
    var methods = Set<String>()
    for route in request.application.routes.all where matches(route.path, segments) {
      methods.insert(route.method.rawValue)
    }
    return methods.sorted()
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
