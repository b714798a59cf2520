import Fluent
import Foundation
import Vapor

/// `/companies/current`: the signed-in user's company and its settings; admins change them.
struct CompanyRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let current = routes.grouped("companies", "current")
    current.grouped(RequireRole(.developer)).get(use: show)
    current.grouped(RequireRole(.admin)).patch(use: update)
  }

  func show(req: Request) async throws -> CompanyResponse {
    try CompanyResponse(try await Self.company(req))
  }

  /// `{requireReviewFor: [label]}`: the labels only a second person may move a version to.
  func update(req: Request) async throws -> CompanyResponse {
    let company = try await Self.company(req)
    let body = try req.decodeBody(UpdateCompanyRequest.self)
    guard let labels = body.requireReviewFor else { return try CompanyResponse(company) }
    var seen: [String] = []
    for (index, label) in labels.enumerated() where !seen.contains(label) {
      seen.append(try TemplateLabelName.settable(label, field: "requireReviewFor/\(index)"))
    }
    let protected = seen
    guard protected != company.requireReviewFor else { return try CompanyResponse(company) }
    company.requireReviewFor = protected
    let auditor = try req.auditor
    try await req.db.writeTransaction { transaction in
      try await company.save(on: transaction)
      try await auditor.record(
        .companyUpdated, .company, id: try company.requireID(), changed: ["requireReviewFor"],
        details: ["requireReviewFor": protected.joined(separator: ",")], on: transaction)
    }
    return try CompanyResponse(company)
  }

  private static func company(_ req: Request) async throws -> Company {
    guard let company = try await Company.find(try req.principal.companyID, on: req.db) else {
      throw AppError.notFound("Company")
    }
    return company
  }
}

struct UpdateCompanyRequest: Decodable {
  let requireReviewFor: [String]?
}

struct CompanyResponse: Content {
  let id: String
  let name: String
  /// Labels under four-eyes review; empty when the company leaves it off.
  let requireReviewFor: [String]
  let createdAt: Date?

  init(_ company: Company) throws {
    id = try company.requireID().lowercasedText
    name = company.name
    requireReviewFor = company.requireReviewFor
    createdAt = company.createdAt
  }
}
