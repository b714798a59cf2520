import Fluent
import Logging
import NIOPosix
import Vapor

/// What one MCP request may use: the caller, the database and the services the REST API uses,
/// so that a tool and its REST twin cannot drift apart.
struct MCPContext: Sendable {
  let principal: Principal
  let database: any Database
  let templates: TemplateService
  let generationMetrics: GenerationMetrics
  let outputs: OutputsDependencies
  let threadPool: NIOThreadPool
  let client: ClientInfo
  let logger: Logger
  /// The assistant calling, from the session id; recorded as the `ide` of what it creates.
  let tag: MCPClientTag?
  /// Writes the audit rows of what the tools create, as the REST routes do.
  let auditor: Auditor
  let generationGroup: GenerationGroup

  init(_ req: Request, principal: Principal, tag: MCPClientTag?) throws {
    self.principal = principal
    database = req.db
    templates = try req.templates
    generationMetrics = GenerationMetrics(registry: req.application.httpMetrics.registry)
    outputs = req.application.outputs
    threadPool = req.application.threadPool
    client = req.clientInfo
    logger = req.logger
    self.tag = tag
    auditor = try req.auditor
    generationGroup = req.application.generationGroup
  }

  var generation: GenerationService {
    GenerationService(
      database: database, templates: templates, metrics: generationMetrics, auditor: auditor,
      group: generationGroup)
  }

  var outputService: OutputService {
    OutputService(
      database: database, dependencies: outputs, threadPool: threadPool, logger: logger,
      auditor: auditor)
  }
}
