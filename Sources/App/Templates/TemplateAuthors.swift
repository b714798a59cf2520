import Fluent
import Foundation

/// Who wrote templates and versions, by name, so that a list shows people rather than ids:
/// one query for a whole page.
struct TemplateAuthors: Sendable {
  /// The user's name, or the e-mail when the name is empty.
  private let names: UserNames
  /// The author of each template's latest version, by template.
  private let latestAuthors: [UUID: UUID]

  static let empty = TemplateAuthors(names: .none, latestAuthors: [:])

  func name(_ user: UUID) -> String? { names[user] }
  func latestAuthor(of template: UUID) -> UUID? { latestAuthors[template] }

  /// The authors of the templates, of their latest versions and of the given versions.
  static func load(
    templates: [PromptTemplate] = [], versions: [PromptTemplateVersion] = [],
    on database: any Database
  ) async throws -> TemplateAuthors {
    var latestAuthors: [UUID: UUID] = [:]
    let latest = Dictionary(
      templates.compactMap { template in template.id.map { ($0, template.latestVersion) } },
      uniquingKeysWith: { first, _ in first })
    if !latest.isEmpty {
      let rows = try await PromptTemplateVersion.query(on: database)
        .filter(\.$template.$id ~~ Array(latest.keys))
        .field(\.$id).field(\.$template.$id).field(\.$version).field(\.$createdBy.$id)
        .all()
      for row in rows where latest[row.$template.id] == row.version {
        latestAuthors[row.$template.id] = row.$createdBy.id
      }
    }
    let names = try await UserNames.load(
      templates.map(\.$createdBy.id) + versions.map(\.$createdBy.id) + latestAuthors.values,
      on: database)
    return TemplateAuthors(names: names, latestAuthors: latestAuthors)
  }
}
