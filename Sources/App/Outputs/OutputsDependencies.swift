import Vapor

/// What the outputs pipeline needs from outside: where bytes go and what scans them. Built
/// from the configuration at start; tests swap in another store or daemon.
struct OutputsDependencies: Sendable {
  var storage: any BlobStorage
  /// nil without `CLAMD_URL`.
  var scanner: (any VirusScanner)?
  /// Fail closed: refuse uploads that cannot be scanned (`CLAMD_REQUIRED`).
  var scanRequired: Bool

  init(storage: any BlobStorage, scanner: (any VirusScanner)?, scanRequired: Bool) {
    self.storage = storage
    self.scanner = scanner
    self.scanRequired = scanRequired
  }

  init(config: AppConfig, application app: Application) {
    switch config.storage {
    case .file(let path):
      storage = FileBlobStorage(root: path, threadPool: .fileSyncing)
    case .s3(let location):
      storage = S3BlobStorage(
        location: location, accessKeyID: config.s3AccessKeyID ?? "",
        secretAccessKey: config.s3SecretAccessKey ?? "", client: app.http.client.shared)
    }
    scanner = config.clamd.map { ClamdScanner(address: $0, group: app.eventLoopGroup) }
    scanRequired = config.clamdRequired
  }

  /// One line at start saying how uploads will be scanned.
  func logScanningMode(_ logger: Logger) {
    switch (scanner, scanRequired) {
    case (nil, true):
      logger.warning(
        "CLAMD_URL is not set but scanning is required: every upload will be refused with 503")
    case (nil, false):
      // Each unscanned upload logs its own warning; at start a notice is enough.
      logger.notice("CLAMD_URL is not set: uploads are stored unscanned (scanStatus skipped)")
    case (_?, false):
      logger.info("clamd scanning is not required: uploads are stored unscanned when it is down")
    case (_?, true):
      break
    }
  }
}

extension Application {
  private struct OutputsDependenciesKey: StorageKey {
    typealias Value = OutputsDependencies
  }

  var outputs: OutputsDependencies {
    get { storage.required(OutputsDependenciesKey.self) }
    set { storage[OutputsDependenciesKey.self] = newValue }
  }
}
