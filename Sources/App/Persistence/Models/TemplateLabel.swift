import Fluent
import Foundation

/// A label naming one version of a template (`production`, `staging`, a custom name).
final class TemplateLabel: Model, @unchecked Sendable {
  static let schema = "template_labels"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "template_id") var template: PromptTemplate
  @Field(key: "label") var label: String
  @Field(key: "version") var version: Int
  @Parent(key: "moved_by") var movedBy: User
  @Field(key: "moved_at") var movedAt: Date

  init() {}

  init(templateID: UUID, label: String, version: Int, movedBy: UUID, movedAt: Date) {
    self.id = .v7()
    self.$template.id = templateID
    self.label = label
    self.version = version
    self.$movedBy.id = movedBy
    self.movedAt = movedAt
  }
}

/// One move of a label, kept forever; `version` is nil where the label was removed.
final class TemplateLabelMove: Model, @unchecked Sendable {
  static let schema = "template_label_moves"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "template_id") var template: PromptTemplate
  @Field(key: "label") var label: String
  /// The move's place in the label's history (1, 2, …), in commit order.
  @Field(key: "sequence") var sequence: Int
  @OptionalField(key: "version") var version: Int?
  @OptionalField(key: "previous_version") var previousVersion: Int?
  @Parent(key: "moved_by") var movedBy: User
  @Field(key: "moved_at") var movedAt: Date

  init() {}

  init(
    templateID: UUID, label: String, sequence: Int, version: Int?, previousVersion: Int?,
    movedBy: UUID, movedAt: Date
  ) {
    self.id = .v7()
    self.$template.id = templateID
    self.label = label
    self.sequence = sequence
    self.version = version
    self.previousVersion = previousVersion
    self.$movedBy.id = movedBy
    self.movedAt = movedAt
  }
}
