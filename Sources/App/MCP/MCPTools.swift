import Fluent
import Foundation
import MCP
import NIOCore
import SQLKit
import Templating

/// `tools/list` and `tools/call`. A tool's failure is a tool result with `isError`, carrying the
/// reasons the REST API gives, so that the model can read them and try again; only an unknown
/// tool is a protocol error.
struct MCPTools: Sendable {
  let context: MCPContext

  static var tools: [MCP.Tool] {
    MCPToolDefinitions.all.map { definition in
      MCP.Tool(
        name: definition.name, title: definition.title, description: definition.description,
        inputSchema: (try? MCPValue.mcp(definition.schema)) ?? .object([:]),
        annotations: .init(
          title: definition.title, readOnlyHint: definition.readOnly,
          destructiveHint: definition.readOnly ? nil : false, openWorldHint: false))
    }
  }

  func call(_ params: CallTool.Parameters) async throws -> CallTool.Result {
    guard let definition = MCPToolDefinitions.all.first(where: { $0.name == params.name }) else {
      throw MCPError.invalidParams("Unknown tool: \(params.name)")
    }
    do {
      let arguments = try Self.arguments(params.arguments ?? [:], definition: definition)
      switch definition.name {
      case MCPToolDefinitions.listMyIssues.name: return try await listMyIssues(arguments)
      case MCPToolDefinitions.getIssue.name: return try await getIssue(arguments)
      case MCPToolDefinitions.listTemplates.name: return try await listTemplates()
      case MCPToolDefinitions.generatePrompt.name: return try await generatePrompt(arguments)
      case MCPToolDefinitions.submitOutput.name: return try await submitOutput(arguments)
      default: return try await reviewOutput(arguments)
      }
    } catch let error as AppError {
      return Self.failure(error)
    } catch {
      context.logger.error(
        "MCP tool failed", metadata: ["tool": .string(params.name), "error": "\(error)"])
      return Self.failure(
        AppError(
          .internalServerError, type: "internal-error", title: "Internal error",
          detail: "The tool failed on the server; the error has been logged."))
    }
  }

  /// The arguments checked against the tool's input schema, every violation at once, with the
  /// schema's defaults filled in.
  static func arguments(_ raw: [String: MCP.Value], definition: MCPToolDefinitions.Definition)
    throws -> JSONValue
  {
    let value = try MCPValue.json(.object(raw))
    var (filled, violations) = definition.validator.applyingDefaultsAndValidating(value)
    violations += NULCharacter.violations(in: value)
    guard violations.isEmpty else {
      throw AppError.validation(
        violations.map { .init(field: MCPPrompts.fieldName($0.pointer), reason: $0.reason) })
    }
    return filled
  }

  static func failure(_ error: AppError) -> CallTool.Result {
    var lines = [
      "Error \(error.status.code) \(error.title)" + (error.detail.map { ": \($0)" } ?? "")
    ]
    if let limit = error.limit { lines.append("limit: \(limit.rawValue) (\(error.type))") }
    lines += error.errors.map { "- \($0.field): \($0.reason)" }
    let problem = ProblemDetails(error)
    return CallTool.Result(
      content: [.text(text: lines.joined(separator: "\n"), annotations: nil, _meta: nil)],
      structuredContent: try? MCPValue.mcp(problem), isError: true)
  }

  private static func success(_ text: String, structured: some Encodable) -> CallTool.Result {
    CallTool.Result(
      content: [.text(text: text, annotations: nil, _meta: nil)],
      structuredContent: try? MCPValue.mcp(structured), isError: false)
  }

  // MARK: - Tools

  private func listMyIssues(_ arguments: JSONValue) async throws -> CallTool.Result {
    let status = arguments["status"]?.stringValue ?? "open"
    let limit = arguments["limit"]?.intValue ?? 25
    let filter = IssueFilter(
      companyID: context.principal.companyID,
      statusCategories: try IssueFilter.categories(status), assigneeID: context.principal.userID,
      text: arguments["query"]?.stringValue?.trimmingCharacters(in: .whitespaces))
    let issues = try await filter.query(on: context.database).with(\.$tracker)
      .sort(\.$externalUpdatedAt, .descending).sort(\.$id, .descending).limit(limit).all()
    let summaries = try issues.map(IssueSummary.init)
    var text = "\(issues.count) \(status) issue\(issues.count == 1 ? "" : "s") assigned to you"
    text += issues.isEmpty ? "." : ":\n"
    text += summaries.map { "- \($0.key) · \($0.status) · \($0.title) (\($0.tracker))" }
      .joined(separator: "\n")
    return Self.success(text, structured: ["issues": summaries])
  }

  private func getIssue(_ arguments: JSONValue) async throws -> CallTool.Result {
    let issue = try await context.issues.issue(
      key: arguments["key"]?.stringValue ?? "", tracker: arguments["tracker"]?.stringValue)
    return Self.success(
      issue.markdown(trackerName: issue.tracker.name), structured: try IssueSummary(issue))
  }

  private func listTemplates() async throws -> CallTool.Result {
    let templates = try await PromptTemplate.query(on: context.database)
      .filter(\.$company.$id == context.principal.companyID).filter(\.$archivedAt == nil)
      .sort(\.$name).limit(200).all()
    let summaries = try templates.map(TemplateSummary.init)
    var lines = ["\(summaries.count) template\(summaries.count == 1 ? "" : "s"):"]
    for template in summaries {
      lines.append("- \(template.name) (version \(template.version), id \(template.id))")
      for variable in template.variables {
        var facts = [variable.type ?? "any"]
        if variable.required { facts.append("required") }
        if let value = variable.defaultValue { facts.append("default \(value)") }
        let description = variable.description.map { ": \($0)" } ?? ""
        lines.append("  - \(variable.name) (\(facts.joined(separator: ", ")))\(description)")
      }
    }
    return Self.success(lines.joined(separator: "\n"), structured: ["templates": summaries])
  }

  private func generatePrompt(_ arguments: JSONValue) async throws -> CallTool.Result {
    let issue = try await context.issues.issue(
      key: arguments["issueKey"]?.stringValue ?? "", tracker: arguments["tracker"]?.stringValue)
    let template = try await context.template(named: arguments["template"]?.stringValue ?? "")
    let result = try await context.generation.generate(
      GenerationRequest(
        issueID: try issue.requireID(), templateID: try template.requireID(),
        vars: arguments["vars"] ?? .object([:]),
        templateVersion: arguments["templateVersion"]?.intValue,
        templateLabel: arguments["templateLabel"]?.stringValue, ide: context.tag?.name,
        allowOverBudget: arguments["allowOverBudget"]?.boolValue ?? false),
      by: context.principal)
    let generated = GeneratedPrompt(result, template: template.name, issueKey: issue.externalKey)
    let summary = """
      Prompt version \(generated.promptVersionId) (\(result.tokens) tokens, \(result.encoding)) \
      from template \(template.name) v\(result.templateVersion) and issue \(issue.externalKey). \
      Pass promptVersionId \(generated.promptVersionId) to submit_output with your result.
      """
    return CallTool.Result(
      content: [
        .text(text: result.text, annotations: nil, _meta: nil),
        .text(text: summary, annotations: nil, _meta: nil),
      ],
      structuredContent: Optional(try MCPValue.mcp(generated)), isError: false)
  }

  private func submitOutput(_ arguments: JSONValue) async throws -> CallTool.Result {
    let text = arguments["text"]?.stringValue ?? ""
    guard text.utf8.count <= UploadForm.maximumContentBytes else {
      throw MultipartFormReader.tooLarge(MultipartFormReader.contentLimitMessage)
    }
    var form = UploadForm()
    form.promptVersionID = arguments["promptVersionId"]?.stringValue
    form.kind = .text
    form.content = ByteBuffer(string: text)
    form.ide = context.tag?.name
    let created = try await context.outputService.create(
      form, by: context.principal, client: context.client)
    let output = created.output
    let submitted = SubmittedOutput(
      outputId: try output.requireID().lowercasedText,
      promptVersionId: output.$promptVersion.id.lowercasedText,
      deduplicated: created.deduplicated, scanStatus: output.scanStatus,
      tokensOut: output.tokensOut, size: output.size)
    let message =
      "Output \(submitted.outputId) recorded for prompt version \(submitted.promptVersionId)"
      + (created.deduplicated ? " (identical content was already stored)." : ".")
    return Self.success(message, structured: submitted)
  }
}

extension MCPTools {
  fileprivate func reviewOutput(_ arguments: JSONValue) async throws -> CallTool.Result {
    // The tool's schema has checked both (a UUID pattern, the verdicts' enum).
    guard let outputID = UUID(text: arguments["outputId"]?.stringValue ?? "") else {
      throw AppError.validation(field: "outputId", reason: "must be a UUID")
    }
    guard
      let verdict = OutputReviewService.Verdict(rawValue: arguments["verdict"]?.stringValue ?? "")
    else { throw AppError.validation(field: "verdict", reason: "is not a verdict") }
    let review = try await OutputReviewService(
      database: context.database, auditor: context.auditor
    ).review(
      outputID: outputID, verdict: verdict, comment: arguments["comment"]?.stringValue,
      links: arguments["links"]?.arrayValue?.compactMap(\.stringValue) ?? [],
      by: context.principal)
    let names = try await UserNames.load([review.$reviewedBy.id], on: context.database)
    return Self.success(
      "Output \(outputID.lowercasedText) reviewed: \(verdict.rawValue).",
      structured: ReviewResponse(review, names: names))
  }
}

extension MCPContext {
  var issues: MCPIssueLookup {
    MCPIssueLookup(database: database, companyID: principal.companyID)
  }

  /// A template of the caller's company by id, or by name among the live ones (an archived
  /// template's name may be taken again). Generating refuses an archived one.
  func template(named nameOrID: String) async throws -> PromptTemplate {
    let trimmed = nameOrID.trimmingCharacters(in: .whitespaces)
    if let id = UUID(text: trimmed) {
      return try await templates.find(id, companyID: principal.companyID)
    }
    guard
      let template = try await PromptTemplate.query(on: database)
        .filter(\.$company.$id == principal.companyID).filter(\.$name == trimmed)
        .filter(\.$archivedAt == nil).first()
    else { throw AppError.notFound("Template \(trimmed)") }
    return template
  }
}
