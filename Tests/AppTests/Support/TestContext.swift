import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// A running test application with one company and its admin, and a client that checks every
/// response against the OpenAPI document.
struct TestContext: Sendable {
  let app: Application
  let companyID: UUID
  let adminEmail = "admin@example.com"
  let adminPassword = "admin-password-123"

  init(app: Application) async throws {
    self.app = app
    let (company, _) = try await CompanyService(database: app.db, hasher: app.passwordHasher)
      .create(name: "Acme", adminEmail: adminEmail, adminPassword: adminPassword)
    companyID = try company.requireID()
  }

  /// Sends a request; the response's status must be declared for the operation in openapi.yaml.
  @discardableResult
  func send(
    _ method: HTTPMethod, _ path: String, token: String? = nil, json: (any Encodable)? = nil,
    object: [String: Any]? = nil, rawBody: String? = nil, headers: HTTPHeaders = [:],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> TestingHTTPResponse {
    var allHeaders = headers
    if let token {
      allHeaders.replaceOrAdd(name: .authorization, value: "Bearer \(token)")
    }
    var body: ByteBuffer?
    if let json {
      let encoder = JSONEncoder()
      body = ByteBuffer(data: try encoder.encode(AnyEncodable(json)))
      allHeaders.replaceOrAdd(name: .contentType, value: "application/json")
    } else if let object {
      body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
      allHeaders.replaceOrAdd(name: .contentType, value: "application/json")
    } else if let rawBody {
      body = ByteBuffer(string: rawBody)
      if !allHeaders.contains(name: .contentType) {
        allHeaders.replaceOrAdd(name: .contentType, value: "application/json")
      }
    }
    let response = try await app.testing().sendRequest(
      method, path, headers: allHeaders, body: body)
    OpenAPIContract.shared.expectDeclared(
      method: method.rawValue, path: path, status: Int(response.status.code),
      sourceLocation: sourceLocation)
    OpenAPIContract.shared.expectConforming(
      method: method.rawValue, path: path, status: Int(response.status.code),
      contentType: response.headers.first(name: .contentType), body: Data(buffer: response.body),
      sourceLocation: sourceLocation)
    return response
  }

  func login(_ email: String, _ password: String) async throws -> TokenPairResponse {
    let response = try await send(
      .POST, "/auth/login", json: ["email": email, "password": password])
    #expect(response.status == .ok)
    return try response.content.decode(TokenPairResponse.self)
  }

  func adminToken() async throws -> String {
    try await login(adminEmail, adminPassword).accessToken
  }

  /// Creates a user through the API and returns its id and password.
  func createUser(
    role: Role, email: String? = nil, adminToken: String
  ) async throws -> (id: String, email: String, password: String) {
    let email = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))@example.com"
    let password = "password-for-\(role.rawValue)"
    let response = try await send(
      .POST, "/users", token: adminToken,
      json: [
        "email": email, "name": "A \(role.rawValue)", "role": role.rawValue, "password": password,
      ])
    #expect(response.status == .created)
    let user = try response.content.decode(UserResponse.self)
    return (user.id, email, password)
  }
}

struct AnyEncodable: Encodable {
  let value: any Encodable
  init(_ value: any Encodable) { self.value = value }
  func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension TestingHTTPResponse {
  var problem: ProblemDetails? {
    try? JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: body))
  }

  var bodyString: String { String(buffer: body) }

  /// A JSON object body, loosely typed.
  var json: [String: Any]? { problemJSON }

  /// The body as loosely typed JSON, for members the typed problem does not model.
  var problemJSON: [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
  }
}

extension TestContext {
  /// The stored issue with this tracker key, deleted or not.
  func issue(externalKey key: String) async throws -> App.Issue? {
    try await Issue.query(on: app.db).filter(\.$externalKey == key).first()
  }
}
