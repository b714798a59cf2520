import Foundation
import Logging
import Templating
import Trackers

/// Everything the service reads from its environment, decoded once at start.
public struct AppConfig: Sendable {
  public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)
  }

  public var database: DatabaseLocation
  public var jwtSecret: [UInt8]
  public var adminEmail: String
  public var adminPassword: String?
  public var companyName: String
  public var logLevel: Logger.Level
  public var trustedProxies: TrustedProxies
  /// Bcrypt cost: 12 in every deployment; tests lower it to keep the suite fast.
  public var bcryptCost: Int
  public var isProduction: Bool
  public var dataDirectory: String
  /// Where output bytes go (`STORAGE_URL`, else `file://` + `UPLOADS_DIR`).
  public var storage: StorageLocation = .file(path: "./uploads")
  public var s3AccessKeyID: String?
  public var s3SecretAccessKey: String?
  /// clamd's address (`CLAMD_URL`); nil: no scanner.
  public var clamd: ClamdAddress?
  /// Refuse uploads that cannot be scanned (`CLAMD_REQUIRED`; by default true in production
  /// and whenever `CLAMD_URL` is set).
  public var clamdRequired = false
  /// AES-256 key sealing tracker credentials (`ENCRYPTION_KEY`, 32 bytes base64).
  public var encryptionKey: [UInt8] = Array(repeating: 7, count: 32)
  /// Older keys that still open existing credentials (`ENCRYPTION_KEY_PREVIOUS`, comma-separated).
  public var previousEncryptionKeys: [[UInt8]] = []
  /// Jira Cloud OAuth 2.0 (3LO) client (`JIRA_CLIENT_ID`, `JIRA_CLIENT_SECRET`).
  public var jiraClientID: String?
  public var jiraClientSecret: String?
  /// Failed logins per attempted e-mail and per IP in 15 minutes before 429 (0 disables).
  public var loginMaxFailures = 5
  /// The deployment's Teamwork API key (`TEAMWORK_API_KEY`): used only by trackers of the
  /// default company created without `auth` whose base URL has `teamworkBaseURL`'s origin.
  public var teamworkAPIKey: String?
  /// The Teamwork site `TEAMWORK_API_KEY` belongs to (`TEAMWORK_BASE_URL`); unset, the key is
  /// never used.
  public var teamworkBaseURL: String?
  /// What tenant-chosen URLs (tracker base URLs and the links their answers carry) may reach.
  public var outbound = OutboundPolicy()
  /// Budgets for rendering and linting user templates (`RENDER_MAX_*`).
  public var renderLimits = RenderLimits.default
  /// Who may read `/metrics` (`METRICS_TOKEN`, `METRICS_PORT`).
  var metricsAccess = MetricsAccess.open
  /// A session ends this many days after its login, however often it is refreshed
  /// (`SESSION_MAX_DAYS`).
  public var sessionMaxDays = 30
  /// Audit rows older than this many days are deleted by a daily job (`AUDIT_RETENTION_DAYS`;
  /// 0 keeps them forever).
  public var auditRetentionDays = 365
  /// How long one webhook delivery may take before it counts as failed
  /// (`WEBHOOK_TIMEOUT_SECONDS`, 1 to 60).
  public var webhookTimeout = Duration.seconds(10)
  /// A folder the console's files are read from on every page load instead of the copy in
  /// the binary (`CONSOLE_ASSETS_DIR`): for working on the console without rebuilding.
  public var consoleAssetsDirectory: String?
  /// The service's external URL (`PUBLIC_BASE_URL`), for OAuth redirects and webhook URLs.
  public var publicBaseURL: String?
  /// Browser origins besides `PUBLIC_BASE_URL`'s that may call `/mcp` (`MCP_ALLOWED_ORIGINS`).
  public var mcpExtraOrigins: [String] = []
  /// Atlassian's auth and API hosts (`ATLASSIAN_AUTH_URL`, `ATLASSIAN_API_URL`).
  public var atlassian = AtlassianEndpoints()
  /// Serve HTTPS in the process (`TLS_CERT_FILE`, `TLS_KEY_FILE`); nil: plain HTTP.
  public var tls: TLSFiles?
  /// With TLS, a plain-HTTP port that only answers 308 redirects to HTTPS (`HTTP_PORT`).
  public var httpRedirectPort: Int?
  /// Redirect (GET, HEAD) or refuse (others) requests that did not arrive over HTTPS
  /// (`REQUIRE_HTTPS`).
  public var requireHTTPS = false
  /// Browser origins allowed to call the API cross-origin (`CORS_ORIGINS`); empty: CORS off.
  public var corsOrigins: [String] = []
  /// Requests per minute per client IP and per user (`RATE_LIMIT_PER_MINUTE`; 0 disables).
  public var rateLimitPerMinute = RateLimiter.defaultPerMinute
  /// `serve --with-worker` / `--no-worker`; nil means the default: a worker on SQLite only.
  public var workerInServe: Bool?

  /// Whether `serve` also runs jobs: on SQLite one process does everything by default; on
  /// PostgreSQL workers are separate processes unless asked.
  public var runsWorkerInServe: Bool {
    if let workerInServe { return workerInServe }
    if case .postgres = database { return false }
    return true
  }

  public init(
    database: DatabaseLocation, jwtSecret: [UInt8], adminEmail: String = "admin@promptsmith.local",
    adminPassword: String? = nil, companyName: String = "Promptsmith",
    logLevel: Logger.Level = .info, trustedProxies: TrustedProxies = .none, bcryptCost: Int = 12,
    isProduction: Bool = false, dataDirectory: String = "./data"
  ) {
    self.database = database
    self.jwtSecret = jwtSecret
    self.adminEmail = adminEmail
    self.adminPassword = adminPassword
    self.companyName = companyName
    self.logLevel = logLevel
    self.trustedProxies = trustedProxies
    self.bcryptCost = bcryptCost
    self.isProduction = isProduction
    self.dataDirectory = dataDirectory
  }
}

/// A configuration problem that stops the process, naming the variable at fault.
public struct ConfigError: Error, CustomStringConvertible {
  public let problems: [String]
  public var description: String {
    "Invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
  }
}

extension AppConfig {
  static let minimumSecretBytes = 32

  /// Reads the configuration from environment variables, collecting every problem before failing.
  ///
  /// In development a missing `JWT_SECRET` is generated once and kept in the data folder; in
  /// production it must be given.
  public static func load(
    environment: [String: String], isProduction: Bool, warn: (String) -> Void = { _ in }
  ) throws -> AppConfig {
    var problems: [String] = []
    let databaseURL = environment["DATABASE_URL"] ?? "sqlite://./data/promptsmith.sqlite"
    let database: DatabaseLocation
    switch parseDatabaseURL(databaseURL) {
    case .success(let location): database = location
    case .failure(let message):
      problems.append("DATABASE_URL: \(message)")
      database = .sqliteMemory
    }
    let dataDirectory: String
    if case .sqliteFile(let path) = database {
      dataDirectory = (path as NSString).deletingLastPathComponent
    } else {
      dataDirectory = environment["DATA_DIR"] ?? "./data"
    }

    var secret: [UInt8] = []
    if let given = environment["JWT_SECRET"], !given.isEmpty {
      secret = Array(given.utf8)
      if secret.count < minimumSecretBytes {
        problems.append(
          "JWT_SECRET: must be at least \(minimumSecretBytes) bytes, got \(secret.count)")
      }
    } else if isProduction {
      problems.append(
        "JWT_SECRET: required in production (at least \(minimumSecretBytes) random bytes)")
    } else {
      do {
        secret = try DevelopmentSecret.loadOrCreate(in: dataDirectory)
        warn(
          "JWT_SECRET is not set: using a generated development secret stored in "
            + "\(dataDirectory)/\(DevelopmentSecret.fileName). Set JWT_SECRET in production.")
      } catch {
        problems.append("JWT_SECRET: not set, and no development secret could be stored: \(error)")
      }
    }

    let logLevel = Self.logLevel(named: environment["LOG_LEVEL"]) ?? .info
    if Self.logLevel(named: environment["LOG_LEVEL"]) == nil {
      problems.append(
        "LOG_LEVEL: must be one of error, warn, info, debug; got \"\(environment["LOG_LEVEL"] ?? "")\""
      )
    }

    var trustedProxies = TrustedProxies.none
    if let list = environment["TRUSTED_PROXIES"], !list.isEmpty {
      do {
        trustedProxies = try TrustedProxies(parsing: list)
      } catch {
        problems.append("TRUSTED_PROXIES: \(error)")
      }
    }

    var encryptionKey: [UInt8] = []
    if let given = environment["ENCRYPTION_KEY"], !given.isEmpty {
      if let key = Data(base64Encoded: given), key.count == 32 {
        encryptionKey = Array(key)
      } else {
        problems.append(
          "ENCRYPTION_KEY: must be 32 bytes, base64-encoded (openssl rand -base64 32)")
      }
    } else if isProduction {
      problems.append("ENCRYPTION_KEY: required in production (openssl rand -base64 32)")
    } else {
      do {
        encryptionKey = try DevelopmentSecret.loadOrCreateKey(in: dataDirectory)
      } catch {
        problems.append("ENCRYPTION_KEY: not set, and no development key could be stored: \(error)")
      }
    }
    var previousKeys: [[UInt8]] = []
    for item in (environment["ENCRYPTION_KEY_PREVIOUS"] ?? "").split(separator: ",") {
      guard let key = Data(base64Encoded: String(item).trimmingCharacters(in: .whitespaces)),
        key.count == 32
      else {
        problems.append("ENCRYPTION_KEY_PREVIOUS: each key must be 32 bytes, base64-encoded")
        continue
      }
      previousKeys.append(Array(key))
    }

    var loginMaxFailures = 5
    if let raw = environment["LOGIN_MAX_FAILURES"], !raw.isEmpty {
      if let value = Int(raw), value >= 0 {
        loginMaxFailures = value
      } else {
        problems.append("LOGIN_MAX_FAILURES: must be a whole number, 0 to disable")
      }
    }

    let adminPassword = environment["ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
    if let adminPassword, adminPassword.count < PasswordPolicy.minimumLength {
      problems.append(
        "ADMIN_PASSWORD: must be at least \(PasswordPolicy.minimumLength) characters")
    }
    let outputs = OutputsSettings.load(
      environment: environment, isProduction: isProduction, problems: &problems)
    let security = SecuritySettings.load(environment: environment, problems: &problems)
    let outbound = OutboundSettings.load(environment: environment, problems: &problems)
    let metricsAccess = MetricsAccess.load(environment: environment, problems: &problems)
    let renderLimits = RenderSettings.load(environment: environment, problems: &problems)
    func days(_ name: String, default value: Int, minimum: Int) -> Int {
      guard let raw = environment[name], !raw.isEmpty else { return value }
      guard let days = Int(raw), days >= minimum, days <= 36_500 else {
        problems.append("\(name): must be a whole number of days from \(minimum), got \"\(raw)\"")
        return value
      }
      return days
    }
    let sessionMaxDays = days("SESSION_MAX_DAYS", default: 30, minimum: 1)
    let auditRetentionDays = days("AUDIT_RETENTION_DAYS", default: 365, minimum: 0)
    var webhookTimeout = Duration.seconds(10)
    if let raw = environment["WEBHOOK_TIMEOUT_SECONDS"], !raw.isEmpty {
      if let seconds = Int(raw), (1...60).contains(seconds) {
        webhookTimeout = .seconds(seconds)
      } else {
        problems.append(
          "WEBHOOK_TIMEOUT_SECONDS: must be a whole number from 1 to 60, got \"\(raw)\"")
      }
    }
    let teamworkBaseURL = environment["TEAMWORK_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    if let teamworkBaseURL, OutboundPolicy.origin(of: teamworkBaseURL) == nil {
      problems.append("TEAMWORK_BASE_URL: must be an http(s) URL such as https://acme.teamwork.com")
    }
    if let problem = EventLoopCount.problem(in: environment) { problems.append(problem) }
    guard problems.isEmpty else { throw ConfigError(problems: problems) }
    var config = AppConfig(
      database: database, jwtSecret: secret,
      adminEmail: environment["ADMIN_EMAIL"] ?? "admin@promptsmith.local",
      adminPassword: adminPassword,
      companyName: environment["COMPANY_NAME"] ?? "Promptsmith", logLevel: logLevel,
      trustedProxies: trustedProxies, bcryptCost: 12, isProduction: isProduction,
      dataDirectory: dataDirectory)
    config.encryptionKey = encryptionKey
    config.jiraClientID = environment["JIRA_CLIENT_ID"].flatMap { $0.isEmpty ? nil : $0 }
    config.jiraClientSecret = environment["JIRA_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
    config.loginMaxFailures = loginMaxFailures
    config.teamworkAPIKey = environment["TEAMWORK_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    config.teamworkBaseURL = teamworkBaseURL
    config.outbound = outbound
    config.metricsAccess = metricsAccess
    config.renderLimits = renderLimits
    config.sessionMaxDays = sessionMaxDays
    config.auditRetentionDays = auditRetentionDays
    config.webhookTimeout = webhookTimeout
    config.consoleAssetsDirectory = environment["CONSOLE_ASSETS_DIR"].flatMap {
      $0.isEmpty ? nil : $0
    }
    config.publicBaseURL = environment["PUBLIC_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
      .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    config.atlassian = AtlassianEndpoints(environment: environment)
    config.previousEncryptionKeys = previousKeys
    outputs.apply(to: &config)
    security.apply(to: &config)
    return config
  }

  /// `LOG_LEVEL` as a level; unset means info, an unknown name nil.
  public static func logLevel(named name: String?) -> Logger.Level? {
    switch (name ?? "info").lowercased() {
    case "error": .error
    case "warn", "warning": .warning
    case "info": .info
    case "debug": .debug
    case "trace": .trace
    default: nil
    }
  }

  static func parseDatabaseURL(_ url: String) -> Result<DatabaseLocation, ConfigErrorMessage> {
    if url == "sqlite::memory:" || url == "sqlite://:memory:" {
      return .success(.sqliteMemory)
    }
    if url.hasPrefix("sqlite://") {
      let path = String(url.dropFirst("sqlite://".count))
      guard !path.isEmpty else { return .failure("sqlite:// needs a file path") }
      return .success(.sqliteFile(path: path))
    }
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
      guard URL(string: url)?.host != nil else {
        return .failure("not a valid postgres:// URL")
      }
      return .success(.postgres(url: url))
    }
    return .failure("must start with sqlite:// or postgres://")
  }
}

struct ConfigErrorMessage: Error, ExpressibleByStringLiteral, CustomStringConvertible {
  let description: String
  init(stringLiteral value: String) { description = value }
}
