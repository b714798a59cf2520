import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOCore
import Templating
import Vapor

/// Builds the application production runs and tests exercise, from one configuration.
public func configure(_ app: Application, config: AppConfig) async throws {
  app.appConfig = config
  app.logger.logLevel = config.logLevel
  try configureDatabase(app, config: config)
  for migration in AppMigrations.all {
    app.migrations.add(migration)
  }
  app.passwordHasher = try PasswordHasher(cost: config.bcryptCost)
  app.jwtAccessTokens = await JWTAccessTokens(secret: config.jwtSecret)
  app.templateCache = TemplateCache(capacity: 1024)

  let encoder = JSONEncoder()
  encoder.dateEncodingStrategy = .iso8601
  encoder.outputFormatting = [.sortedKeys]
  let decoder = JSONDecoder()
  decoder.dateDecodingStrategy = .iso8601
  ContentConfiguration.global.use(encoder: encoder, for: .json)
  ContentConfiguration.global.use(decoder: decoder, for: .json)

  if let port = Environment.get("PORT").flatMap(Int.init) {
    app.http.server.configuration.port = port
  }
  app.routes.defaultMaxBodySize = "1mb"
  if let tls = config.tls {
    try app.configureTLS(tls, redirectPort: config.httpRedirectPort)
  }
  app.unknownRefreshTokens = UnknownRefreshTokens(limit: 4 * config.loginMaxFailures)
  app.rateLimiter =
    config.rateLimitPerMinute > 0 ? RateLimiter(perMinute: config.rateLimitPerMinute) : nil

  app.eventLoopsLeaveACore = app.eventLoopCount < System.coreCount
  let metrics = HTTPMetrics()
  app.httpMetrics = metrics
  app.generationGroup = GenerationGroup(largest: GenerationGroup.largestGeneration)
  app.generationSourcesGroup = GenerationSourcesGroup(largest: GenerationSourcesGroup.largestRead)
  let errors = ProblemErrorMiddleware()
  app.middleware = Middlewares()
  app.middleware.use(RequestContextMiddleware(metrics: metrics, errors: errors))
  if !config.corsOrigins.isEmpty {
    app.middleware.use(CORSPolicy(origins: Set(config.corsOrigins)))
  }
  app.middleware.use(SecurityHeadersMiddleware())
  app.middleware.use(errors)
  app.middleware.use(HeaderSizeLimitMiddleware())
  if config.requireHTTPS {
    app.middleware.use(RequireHTTPSMiddleware())
  }
  if app.rateLimiter != nil {
    app.middleware.use(RateLimitMiddleware())
  }
  let openAPI = try OpenAPIRoutes()
  app.requestSchemas = try RequestSchemas(yaml: openAPI.yaml)
  app.middleware.use(RequestValidationMiddleware())

  try app.register(collection: OperationsRoutes())
  try app.register(collection: openAPI)
  try app.register(collection: AuthRoutes())
  try app.register(collection: UserRoutes())
  try app.register(collection: StatsRoutes())
  try app.register(collection: TemplateRoutes())
  try app.register(collection: TemplateLabelRoutes())
  try app.register(collection: CompanyRoutes())
  try app.register(collection: WebhookSubscriptionRoutes())
  try app.register(collection: PromptRoutes())
  try app.register(collection: PreviewRoutes())
  app.outputs = OutputsDependencies(config: config, application: app)
  app.outputs.logScanningMode(app.logger)
  try app.register(collection: OutputRoutes())
  try app.register(collection: OutputReviewRoutes())
  try app.register(collection: TrackerRoutes())
  try app.register(collection: IssueRoutes())
  try app.register(collection: JobRoutes())
  try app.register(collection: JobStatsRoutes())
  try app.register(collection: WebhookRoutes())
  try app.register(collection: JiraOAuthRoutes())
  try app.register(collection: PersonalAccessTokenRoutes())
  try app.register(collection: MCPRoutes())
  try app.register(collection: AuditRoutes())
  try app.register(collection: ConsoleRoutes(source: try consoleSource(config)))

  app.jobs = try JobSetup(app: app)
  app.lifecycle.use(ServeBootstrap())
  app.lifecycle.use(MetricsListener())
  if config.isProduction, config.metricsAccess == .open {
    app.logger.warning(
      "GET /metrics is open to anyone who reaches the API: set METRICS_TOKEN or METRICS_PORT")
  }
  app.lifecycle.use(EmbeddedWorker())
  for (name, command) in CommandCatalog.applicationCommands {
    app.asyncCommands.use(command, as: name)
  }
}

private func configureDatabase(_ app: Application, config: AppConfig) throws {
  switch config.database {
  case .sqliteMemory:
    SQLiteWriterSetup.useTemporary(on: app)
  case .sqliteFile(let path):
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
    }
    SQLiteWriterSetup.use(path: path, on: app)
  case .postgres(let url):
    let loops = app.eventLoopCount
    let perLoop = EventLoopCount.connectionsPerLoop(loops: loops, cores: System.coreCount)
    app.databases.use(
      try .postgres(
        url: url, maxConnectionsPerEventLoop: perLoop, connectionPoolTimeout: .seconds(10)),
      as: .psql)
  }
}

extension Application {
  /// The event loops the application runs on (`EVENT_LOOPS`).
  var eventLoopCount: Int { Array(eventLoopGroup.makeIterator()).count }

  /// Whether a core is left without an event loop (PostgreSQL on this machine, by default):
  /// CPU-heavy work a request can hand to the thread pool then runs beside the loops rather
  /// than in their place.
  var eventLoopsLeaveACore: Bool {
    get { storage[EventLoopsLeaveACoreKey.self] ?? false }
    set { storage[EventLoopsLeaveACoreKey.self] = newValue }
  }

  private struct EventLoopsLeaveACoreKey: StorageKey {
    typealias Value = Bool
  }

  private struct HTTPMetricsKey: StorageKey {
    typealias Value = HTTPMetrics
  }

  /// The Prometheus registry every feature records into.
  var httpMetrics: HTTPMetrics {
    get { storage.required(HTTPMetricsKey.self) }
    set { storage[HTTPMetricsKey.self] = newValue }
  }

  private struct GenerationGroupKey: StorageKey {
    typealias Value = GenerationGroup
  }

  /// The process's group of concurrent generations (PostgreSQL; `GenerationService.group`).
  var generationGroup: GenerationGroup {
    get { storage.required(GenerationGroupKey.self) }
    set { storage[GenerationGroupKey.self] = newValue }
  }

  private struct GenerationSourcesGroupKey: StorageKey {
    typealias Value = GenerationSourcesGroup
  }

  /// The process's group of concurrent generations' reads (PostgreSQL; `RequireRole`).
  var generationSourcesGroup: GenerationSourcesGroup {
    get { storage.required(GenerationSourcesGroupKey.self) }
    set { storage[GenerationSourcesGroupKey.self] = newValue }
  }

  private struct AppConfigKey: StorageKey {
    typealias Value = AppConfig
  }

  /// The configuration the application was built from.
  public var appConfig: AppConfig {
    get { storage.required(AppConfigKey.self) }
    set { storage[AppConfigKey.self] = newValue }
  }
}

/// The console's files: the copy in the binary, or `CONSOLE_ASSETS_DIR` while working on them.
private func consoleSource(_ config: AppConfig) throws -> ConsoleSource {
  guard let folder = config.consoleAssetsDirectory else { return try .bundled() }
  return try ConsoleSource(folder: URL(fileURLWithPath: folder), rereads: true)
}
