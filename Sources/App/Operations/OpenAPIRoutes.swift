import Foundation
import Vapor
import Yams

/// The contract: `GET /openapi.yaml` and `/openapi.json`. Its reference page, `/docs`, is a
/// console screen (`ConsoleRoutes`) that reads `/openapi.json`.
struct OpenAPIRoutes: RouteCollection {
  let yaml: String
  let json: Data

  init() throws {
    guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
      throw Abort(.internalServerError, reason: "openapi.yaml missing from the bundle")
    }
    yaml = try String(contentsOf: url, encoding: .utf8)
    let object = try Yams.load(yaml: yaml) ?? [:]
    json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  }

  func boot(routes: any RoutesBuilder) throws {
    routes.get("openapi.yaml") { _ in
      Response(
        status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"],
        body: .init(string: yaml))
    }
    routes.get("openapi.json") { _ in
      Response(
        status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: json))
    }
  }
}
