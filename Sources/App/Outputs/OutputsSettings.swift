import Foundation

/// The outputs pipeline's environment: `STORAGE_URL`, `UPLOADS_DIR`, `S3_ACCESS_KEY_ID`,
/// `S3_SECRET_ACCESS_KEY`, `CLAMD_URL` and `CLAMD_REQUIRED`.
struct OutputsSettings {
  var storage: StorageLocation
  var s3AccessKeyID: String?
  var s3SecretAccessKey: String?
  var clamd: ClamdAddress?
  var clamdRequired: Bool

  /// Reads the variables, appending a message naming the variable for each problem.
  static func load(
    environment: [String: String], isProduction: Bool, problems: inout [String]
  ) -> OutputsSettings {
    func value(_ name: String) -> String? {
      environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
    var storage = StorageLocation.file(path: value("UPLOADS_DIR") ?? "./uploads")
    if let url = value("STORAGE_URL") {
      switch StorageLocation.parse(url) {
      case .success(let location): storage = location
      case .failure(let message): problems.append("STORAGE_URL: \(message)")
      }
    }
    let accessKey = value("S3_ACCESS_KEY_ID")
    let secretKey = value("S3_SECRET_ACCESS_KEY")
    if case .s3 = storage {
      if accessKey == nil {
        problems.append("S3_ACCESS_KEY_ID: required with an s3:// STORAGE_URL")
      }
      if secretKey == nil {
        problems.append("S3_SECRET_ACCESS_KEY: required with an s3:// STORAGE_URL")
      }
    }
    var clamd: ClamdAddress?
    if let url = value("CLAMD_URL") {
      switch ClamdAddress.parse(url) {
      case .success(let address): clamd = address
      case .failure(let message): problems.append("CLAMD_URL: \(message)")
      }
    }
    var required = isProduction || value("CLAMD_URL") != nil
    if let raw = value("CLAMD_REQUIRED") {
      switch raw.lowercased() {
      case "true", "1", "yes": required = true
      case "false", "0", "no": required = false
      default: problems.append("CLAMD_REQUIRED: must be true or false, got \"\(raw)\"")
      }
    }
    return OutputsSettings(
      storage: storage, s3AccessKeyID: accessKey, s3SecretAccessKey: secretKey, clamd: clamd,
      clamdRequired: required)
  }

  func apply(to config: inout AppConfig) {
    config.storage = storage
    config.s3AccessKeyID = s3AccessKeyID
    config.s3SecretAccessKey = s3SecretAccessKey
    config.clamd = clamd
    config.clamdRequired = clamdRequired
  }
}
