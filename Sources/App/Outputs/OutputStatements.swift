import Foundation

/// The statements of an upload (`OutputService.create`), prepared once per connection: on
/// SQLite Fluent's path compiled the `outputs` insert with its statistics triggers for every
/// upload (12 % of the server's CPU under `POST /outputs`, perf, 2026-12-06).
extension OutputService {
  /// Only the version's encoding: its row holds the whole prompt text.
  struct VersionEncoding: FixedStatement {
    static let readsByKey = true
    static let sql = """
      SELECT encoding FROM prompt_versions WHERE id = $1 AND company_id = $2
      """
    let versionID: UUID
    let companyID: UUID
    var values: [BoundValue] { [.uuid(versionID), .uuid(companyID)] }
  }

  struct BlobExists: FixedStatement {
    static let readsByKey = true
    static let sql = "SELECT 1 AS found FROM blobs WHERE sha256 = $1"
    let sha256: String
    var values: [BoundValue] { [.text(sha256)] }
  }

  struct InsertBlob: FixedStatement {
    static let sql = "INSERT INTO blobs (sha256, size, created_at) VALUES ($1, $2, $3)"
    let sha256: String
    let size: Int
    let now: Date
    var values: [BoundValue] { [.text(sha256), .int(size), .date(now)] }
  }

  /// Whether the company already stored these bytes (never another company's uploads).
  struct CompanyHasBlob: FixedStatement {
    static let sql = """
      SELECT 1 AS found FROM outputs WHERE blob_sha256 = $1 AND company_id = $2 LIMIT 1
      """
    let sha256: String
    let companyID: UUID
    var values: [BoundValue] { [.text(sha256), .uuid(companyID)] }
  }

  struct InsertOutput: FixedStatement {
    static let sql = """
      INSERT INTO outputs (id, company_id, prompt_version_id, creator_id, blob_sha256, kind,
        filename, content_type, size, scan_status, tokens_out, ide, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      """
    let id: UUID
    let companyID: UUID
    let versionID: UUID
    let creatorID: UUID
    let sha256: String
    let kind: String
    let filename: String?
    let contentType: String
    let size: Int
    let scanStatus: String
    let tokensOut: Int?
    let ide: String?
    let now: Date
    var values: [BoundValue] {
      [
        .uuid(id), .uuid(companyID), .uuid(versionID), .uuid(creatorID), .text(sha256),
        .text(kind), .text(filename), .text(contentType), .int(size), .text(scanStatus),
        .int(tokensOut), .text(ide), .date(now),
      ]
    }
  }

  /// The generation's event learns how many tokens came back.
  struct RecordTokensOut: FixedStatement {
    static let sql = """
      UPDATE generation_events SET tokens_out = $1 WHERE prompt_version_id = $2 AND company_id = $3
      """
    let tokensOut: Int
    let versionID: UUID
    let companyID: UUID
    var values: [BoundValue] { [.int(tokensOut), .uuid(versionID), .uuid(companyID)] }
  }
}
