import Foundation
import Vapor
import Yams

/// The contract: `GET /openapi.yaml`, `/openapi.json` and `/docs` (Swagger UI from its CDN).
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
    routes.get("docs") { _ in
      Response(
        status: .ok,
        headers: [
          "Content-Type": "text/html; charset=utf-8",
          "Content-Security-Policy": Self.docsPolicy,
        ],
        body: .init(string: Self.docsPage))
    }
  }

  static let swaggerUI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14"
  static let docsPolicy =
    "default-src 'none'; script-src \(swaggerUI)/ 'sha256-"
    + "\(DocsScript.hash)'; style-src \(swaggerUI)/; img-src 'self' data: \(swaggerUI)/; "
    + "connect-src 'self'; frame-ancestors 'none'"

  static let docsPage = """
    <!doctype html>
    <html lang="en">
    <head>
      <meta charset="utf-8">
      <title>Promptsmith API</title>
      <link rel="stylesheet" href="\(swaggerUI)/swagger-ui.css">
    </head>
    <body>
      <div id="swagger-ui"></div>
      <script src="\(swaggerUI)/swagger-ui-bundle.js" crossorigin="anonymous"></script>
      <script>\(DocsScript.source)</script>
    </body>
    </html>
    """
}

/// The inline script of `/docs`, allowed by its hash in the page's content security policy.
enum DocsScript {
  static let source =
    "window.onload = function () { window.ui = SwaggerUIBundle({ url: '/openapi.yaml', "
    + "dom_id: '#swagger-ui', deepLinking: true }); };"
  static var hash: String {
    Data(SHA256Digest.of(source)).base64EncodedString()
  }
}
