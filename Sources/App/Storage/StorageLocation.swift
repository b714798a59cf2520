import Foundation

/// `STORAGE_URL`: a local folder (`file://./uploads`, `file:///srv/uploads`) or an
/// S3-compatible bucket (`s3://BUCKET?endpoint=…&region=…&pathStyle=true`).
public enum StorageLocation: Sendable, Equatable {
  case file(path: String)
  case s3(S3Location)

  static func parse(_ url: String) -> Result<StorageLocation, ConfigErrorMessage> {
    if url.hasPrefix("file://") {
      let path = String(url.dropFirst("file://".count))
      guard !path.isEmpty else { return .failure("file:// needs a folder path") }
      return .success(.file(path: path))
    }
    if url.hasPrefix("s3://") {
      return S3Location.parse(url).map(StorageLocation.s3)
    }
    return .failure("must start with file:// or s3://")
  }
}

/// A bucket and how to reach it. Without `endpoint`, AWS itself in `region`.
public struct S3Location: Sendable, Equatable {
  public var bucket: String
  /// `scheme://host[:port]`, no path.
  public var endpoint: String
  public var region: String
  /// `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO, moto and most
  /// self-hosted stores need it).
  public var pathStyle: Bool

  static func parse(_ url: String) -> Result<S3Location, ConfigErrorMessage> {
    guard let components = URLComponents(string: url), let bucket = components.host,
      !bucket.isEmpty
    else { return .failure("s3:// needs a bucket name: s3://BUCKET?endpoint=…&region=…") }
    var options: [String: String] = [:]
    for item in components.queryItems ?? [] { options[item.name] = item.value ?? "" }
    let region = options["region"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
    var endpoint = options["endpoint"] ?? "https://s3.\(region).amazonaws.com"
    while endpoint.hasSuffix("/") { endpoint.removeLast() }
    guard let parsed = URLComponents(string: endpoint), parsed.host != nil,
      ["http", "https"].contains(parsed.scheme ?? ""), parsed.path.isEmpty
    else { return .failure("endpoint must be an http:// or https:// URL without a path") }
    let pathStyle: Bool
    switch options["pathStyle"]?.lowercased() {
    case nil, "false", "0": pathStyle = false
    case "true", "1", "": pathStyle = true
    default: return .failure("pathStyle must be true or false")
    }
    return .success(
      S3Location(bucket: bucket, endpoint: endpoint, region: region, pathStyle: pathStyle))
  }
}
