import Crypto
import Fluent
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Tokenizer

/// What an upload came to.
struct CreatedOutput: Sendable {
  let output: Output
  let deduplicated: Bool
}

/// The upload pipeline: validate the form, check the type by content, scan, store the bytes
/// once by their SHA-256, and record the output and its token count.
struct OutputService: Sendable {
  let database: any Database
  let dependencies: OutputsDependencies
  let threadPool: NIOThreadPool
  let logger: Logger
  /// Writes the output's audit row in the transaction that stores it.
  var auditor: Auditor?

  func create(_ form: UploadForm, by principal: Principal, client: ClientInfo?) async throws
    -> CreatedOutput
  {
    let fields = try ValidatedUpload(form)
    // Only the encoding, with SQL: the version's model would read its whole prompt text.
    guard
      let versionEncoding = try await database.firstRow(
        VersionEncoding(versionID: fields.promptVersionID, companyID: principal.companyID)
      ).map({ try $0.decode(column: "encoding", as: String.self) })
    else { throw AppError.notFound("Prompt version") }

    let detected = ContentSniffer.detect(fields.content, filename: fields.filename)
    try Self.checkType(detected, kind: fields.kind)
    let sha256 = S3Signer.hex(SHA256.hash(data: fields.content.readableBytesView))
    let scanStatus = try await scan(
      fields, sha256: sha256, versionID: fields.promptVersionID, principal: principal,
      client: client)

    var tokensOut = fields.tokensOut
    if tokensOut == nil, let text = detected.text {
      tokensOut = try await countTokens(text, encoding: versionEncoding)
    }
    let output = Output()
    output.id = .v7()
    output.$company.id = principal.companyID
    output.$promptVersion.id = fields.promptVersionID
    output.$creator.id = principal.userID
    output.$blob.id = sha256
    output.kind = fields.kind.rawValue
    output.filename = fields.filename
    output.contentType = detected.contentType
    output.size = fields.content.readableBytes
    output.scanStatus = scanStatus.rawValue
    output.tokensOut = tokensOut
    output.ide = fields.ide
    let deduplicated = try await store(output, content: fields.content, sha256: sha256)
    logger.debug(
      "Output stored",
      metadata: [
        "outputId": .string(output.id!.lowercasedText), "sha256": .string(sha256),
        "size": .stringConvertible(output.size), "contentType": .string(output.contentType),
        "deduplicated": .stringConvertible(deduplicated), "storage": .string(storage.kind),
      ])
    return CreatedOutput(output: output, deduplicated: deduplicated)
  }

  private var storage: any BlobStorage { dependencies.storage }

  private static func blobExists(_ sha256: String, on database: any Database) async throws -> Bool {
    try await database.firstRow(BlobExists(sha256: sha256)) != nil
  }

  static func checkType(_ detected: ContentSniffer.Detected, kind: UploadForm.Kind) throws {
    let accepted =
      "only UTF-8 text (Markdown, code, JSON, diffs), PNG, JPEG, GIF, WebP, PDF and ZIP are accepted"
    let problem: String? =
      if !detected.accepted {
        "Detected \(detected.contentType) (\(detected.name)): \(accepted)."
      } else if kind == .text && !detected.isText {
        "The text field must be UTF-8 text; detected \(detected.contentType) (\(detected.name))."
      } else {
        nil
      }
    guard let problem else { return }
    throw AppError(
      .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
      detail: problem, errors: [.init(field: kind.rawValue, reason: problem)])
  }

  /// clamd's verdict; infected content is refused (and audited), an unreachable daemon is a 503
  /// when scanning is required and a skipped scan otherwise.
  private func scan(
    _ fields: ValidatedUpload, sha256: String, versionID: UUID, principal: Principal,
    client: ClientInfo?
  ) async throws -> ScanStatus {
    let unavailable = AppError(
      .serviceUnavailable, type: "scanner-unavailable", title: "Service unavailable",
      detail:
        "The content could not be scanned for malware, so it was not stored. Try again later.",
      headers: ["Retry-After": "30"])
    guard let scanner = dependencies.scanner else {
      if dependencies.scanRequired {
        logger.error("Upload refused: scanning is required but CLAMD_URL is not set")
        throw unavailable
      }
      logger.warning("Upload stored unscanned: CLAMD_URL is not set")
      return .skipped
    }
    let verdict: ScanVerdict
    do {
      verdict = try await scanner.scan(fields.content)
    } catch let error as ScannerUnavailable {
      if dependencies.scanRequired {
        logger.warning(
          "Upload refused: clamd unavailable", metadata: ["error": .string(error.description)])
        throw unavailable
      }
      logger.warning(
        "Upload stored unscanned: clamd unavailable",
        metadata: ["error": .string(error.description)])
      return .skipped
    }
    switch verdict {
    case .clean:
      return .clean
    case .infected(let signature):
      var details = [
        "signature": signature, "sha256": sha256,
        "promptVersionId": versionID.lowercasedText,
        "size": "\(fields.content.readableBytes)", "field": fields.kind.rawValue,
      ]
      if let filename = fields.filename { details["filename"] = filename }
      try await AuditLog(database: database, logger: logger).record(
        .outputMalwareDetected, client: client, companyID: principal.companyID,
        userID: principal.userID, details: details)
      throw AppError(
        .unprocessableEntity, type: "malware-detected", title: "Malware detected",
        detail: "The content was refused: the virus scanner found \(signature).",
        errors: [.init(field: fields.kind.rawValue, reason: "contains \(signature)")])
    }
  }

  private func countTokens(_ text: String, encoding name: String) async throws -> Int? {
    guard let encoding = try? Encoding.named(name) else {
      logger.warning(
        "Unknown encoding; tokensOut left empty", metadata: ["encoding": .string(name)])
      return nil
    }
    // Seconds of CPU for megabytes of text: off the event loop.
    return try await threadPool.runIfActive { encoding.count(text) }
  }

  /// Writes the bytes (unless a blob row says they are there), then the rows in one transaction.
  /// A blob written without its row, by a crash or a lost race, is harmless: the cleanup
  /// removes it after a day. Returns whether the company already had these bytes.
  private func store(_ output: Output, content: ByteBuffer, sha256: String) async throws -> Bool {
    guard let key = BlobKey(sha256: sha256) else { throw StorageError("bad key \(sha256)") }
    var written = false
    if try await !Self.blobExists(sha256, on: database) {
      try await put(key, content, output.contentType)
      written = true
    } else if try await !storageCall({ try await storage.exists(key: key) }) {
      // The row outlived its object (a store switched or restored): write it again.
      try await put(key, content, output.contentType)
      written = true
    }
    let now = Date()
    let rows = OutputRows(
      output: InsertOutput(
        id: try output.requireID(), companyID: output.$company.id,
        versionID: output.$promptVersion.id, creatorID: output.$creator.id, sha256: sha256,
        kind: output.kind, filename: output.filename, contentType: output.contentType,
        size: output.size, scanStatus: output.scanStatus, tokensOut: output.tokensOut,
        ide: output.ide, now: now),
      audit: try auditor?.statement(
        .outputCreated, .output, id: try output.requireID(), changed: changedFields(output)))
    let deduplicated: Bool
    do {
      deduplicated = try await write(rows, bytesWritten: written)
    } catch is BlobRowGone {
      // The cleanup removed the unreferenced blob between our check and the write.
      try await put(key, content, output.contentType)
      written = true
      deduplicated = try await write(rows, bytesWritten: true)
    }
    output.createdAt = now
    if let auditor {
      auditor.logRecorded(
        .outputCreated, .output, id: try output.requireID(), changed: changedFields(output))
    }
    if written, try await !storageCall({ try await storage.exists(key: key) }) {
      // The cleanup took the object for an orphan before our row committed: put it back.
      try await put(key, content, output.contentType)
    }
    return deduplicated
  }

  private func changedFields(_ output: Output) -> [String] {
    ["promptVersionId", "content"] + (output.tokensOut == nil ? [] : ["tokensOut"])
  }

  /// The rows of one upload, built before the write.
  private struct OutputRows: Sendable {
    let output: InsertOutput
    let audit: InsertAuditEvent?
  }

  /// The blob's row turned out missing after its bytes were taken for present.
  private struct BlobRowGone: Error {}

  /// The rows in one transaction: on SQLite as one job on the writer's own connection, with
  /// statements prepared once (`SQLiteDirectConnection`), elsewhere as prepared statements of a
  /// transaction. Two uploads of new identical bytes: the loser of the blob row's insert
  /// retries and finds it. Across companies the answer stays false: `deduplicated` must not
  /// reveal that another company uploaded the same bytes.
  private func write(_ rows: OutputRows, bytesWritten: Bool) async throws -> Bool {
    let insert = rows.output
    let blob = InsertBlob(sha256: insert.sha256, size: insert.size, now: insert.now)
    let companyHadIt = CompanyHasBlob(sha256: insert.sha256, companyID: insert.companyID)
    let tokens = insert.tokensOut.map {
      RecordTokensOut(tokensOut: $0, versionID: insert.versionID, companyID: insert.companyID)
    }
    // Inside a write transaction there is no writer to ask (its database carries none), and
    // the rows join that transaction below.
    if database.engine == .sqlite, let writer = SQLiteWriterSetup.writer(of: database)?.group {
      return try await writer.direct { connection in
        var createdBlob = false
        if try BlobExists(sha256: insert.sha256).rows(on: connection).isEmpty {
          guard bytesWritten else { throw BlobRowGone() }
          _ = try blob.rows(on: connection)
          createdBlob = true
        }
        let hadIt = try !companyHadIt.rows(on: connection).isEmpty
        _ = try insert.rows(on: connection)
        _ = try rows.audit?.rows(on: connection)
        _ = try tokens?.rows(on: connection)
        return !createdBlob && hadIt
      }
    }
    return try await database.writeTransaction(attempts: 5) { transaction in
      var createdBlob = false
      if try await transaction.firstRow(BlobExists(sha256: insert.sha256)) == nil {
        guard bytesWritten else { throw BlobRowGone() }
        try await transaction.run(blob)
        createdBlob = true
      }
      let hadIt = try await transaction.firstRow(companyHadIt) != nil
      try await transaction.run(insert)
      if let audit = rows.audit { try await transaction.run(audit) }
      if let tokens { try await transaction.run(tokens) }
      return !createdBlob && hadIt
    }
  }

  private func put(_ key: BlobKey, _ content: ByteBuffer, _ contentType: String) async throws {
    try await storageCall {
      try await storage.put(key: key, bytes: content, contentType: contentType)
    }
  }

  private func storageCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as StorageError {
      logger.error(
        "Blob storage failed",
        metadata: ["storage": .string(storage.kind), "error": .string(error.description)])
      throw AppError(
        .serviceUnavailable, type: "storage-unavailable", title: "Service unavailable",
        detail: "The content could not be stored. Try again later.",
        headers: ["Retry-After": "30"])
    }
  }
}

/// The form's fields, checked.
struct ValidatedUpload: Sendable {
  let promptVersionID: UUID
  let kind: UploadForm.Kind
  let filename: String?
  let content: ByteBuffer
  let tokensOut: Int?
  let ide: String?

  init(_ form: UploadForm) throws {
    guard let rawID = form.promptVersionID else {
      throw AppError.badRequest("promptVersionId is required", field: "promptVersionId")
    }
    guard let id = UUID(text: rawID.trimmingCharacters(in: .whitespaces)) else {
      throw AppError.validation(field: "promptVersionId", reason: "must be a UUID")
    }
    guard let kind = form.kind, let content = form.content else {
      throw AppError.badRequest("text or file is required", field: "text")
    }
    guard content.readableBytes > 0 else {
      throw AppError.validation(field: kind.rawValue, reason: "must not be empty")
    }
    var tokensOut: Int?
    if let raw = form.tokensOut?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
      guard let value = Int(raw), value >= 0 else {
        throw AppError.validation(field: "tokensOut", reason: "must be a non-negative integer")
      }
      tokensOut = value
    }
    var ide = form.ide?.trimmingCharacters(in: .whitespacesAndNewlines)
    if ide?.isEmpty == true { ide = nil }
    if let ide, ide.count > 100 {
      throw AppError.validation(field: "ide", reason: "must be at most 100 characters")
    }
    promptVersionID = id
    self.kind = kind
    filename = form.filename
    self.content = content
    self.tokensOut = tokensOut
    self.ide = ide
  }
}
