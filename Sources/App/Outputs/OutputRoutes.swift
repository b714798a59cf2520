import Fluent
import Vapor

/// `POST /outputs` (multipart upload), `GET /outputs`, `GET /outputs/:id`,
/// `GET /outputs/:id/content`.
struct OutputRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let developers = routes.grouped(RequireRole(.developer))
    // Streamed: the size limit is enforced while the body arrives, not after buffering it.
    developers.on(.POST, "outputs", body: .stream, use: create)
    developers.get("outputs", use: list)
    developers.get("outputs", ":outputID", use: show)
    developers.get("outputs", ":outputID", "content", use: content)
  }

  func create(req: Request) async throws -> Response {
    let principal = try req.principal
    let length = req.headers.first(name: .contentLength).flatMap(Int.init)
    if let length, length > UploadForm.maximumContentBytes + UploadForm.maximumOverheadBytes {
      throw MultipartFormReader.tooLarge(MultipartFormReader.contentLimitMessage)
    }
    let reader = try MultipartFormReader(
      contentType: req.headers.contentType, contentLength: length)
    try await Self.read(req.body, into: reader)
    let form = try reader.finish()
    let service = OutputService(
      database: req.db, dependencies: req.application.outputs,
      threadPool: req.application.threadPool, logger: req.logger, auditor: try req.auditor)
    let created = try await req.onItsEventLoop {
      try await service.create(form, by: principal, client: req.clientInfo)
    }
    let answer = try OutputResponse(created.output, deduplicated: created.deduplicated)
    let response = Response(
      status: .created, body: .init(buffer: answer.uploadJSON(allocator: req.byteBufferAllocator)))
    response.headers.contentType = .json
    response.headers.replaceOrAdd(
      name: .location, value: "/outputs/\(try created.output.requireID().lowercasedText)")
    return response
  }

  /// Feeds the body to the reader. A body the reader refuses is still read to its end
  /// (discarded, up to the upload limit) before the refusal is answered: Vapor stops reading
  /// the connection while a started body stream is unfinished, so the client's next request
  /// on that keep-alive connection would never be read.
  static func read(_ body: Request.Body, into reader: MultipartFormReader) async throws {
    let limit = UploadForm.maximumContentBytes + UploadForm.maximumOverheadBytes
    var refusal: (any Error)?
    var received = 0
    for try await chunk in body {
      received += chunk.readableBytes
      if refusal == nil {
        do {
          try reader.feed(chunk)
        } catch {
          refusal = error
        }
      } else if received > limit {
        break
      }
    }
    if let refusal { throw refusal }
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    var query = Output.query(on: req.db).filter(\.$company.$id == principal.companyID)
    if let raw = req.query[String.self, at: "promptVersionId"] {
      guard let versionID = UUID(text: raw) else {
        throw AppError.validation(field: "promptVersionId", reason: "must be a UUID")
      }
      query = query.filter(\.$promptVersion.$id == versionID)
    }
    switch req.query[String.self, at: "verdict"] {
    case nil: break
    case "none"?:
      query = query.join(
        OutputReview.self, on: \Output.$id == \OutputReview.$output.$id, method: .left
      )
      .filter(OutputReview.self, \.$verdict == .null)
    case let verdict? where OutputReviewService.Verdict(rawValue: verdict) != nil:
      query = query.join(OutputReview.self, on: \Output.$id == \OutputReview.$output.$id)
        .filter(OutputReview.self, \.$verdict == verdict)
    default:
      throw AppError.validation(
        field: "verdict", reason: "must be accepted, changes_requested, rejected or none")
    }
    let page = try await query.page(PageRequest(from: req))
    let reviews = try await OutputReviewService.reviews(
      of: page.items.compactMap(\.id), on: req.db)
    let names = try await UserNames.load(reviews.values.map(\.$reviewedBy.id), on: req.db)
    return try page.map { try OutputResponse($0, review: reviews[$0.id!], names: names) }
      .response(for: req)
  }

  func show(req: Request) async throws -> OutputResponse {
    let output = try await find(req)
    let review = try await OutputReviewService.reviews(of: [output.requireID()], on: req.db)
      .values.first
    let names = try await UserNames.load(review.map { [$0.$reviewedBy.id] } ?? [], on: req.db)
    return try OutputResponse(output, review: review, names: names)
  }

  func content(req: Request) async throws -> Response {
    let output = try await find(req)
    guard let key = BlobKey(sha256: output.$blob.id) else { throw AppError.notFound("Output") }
    let storage = req.application.outputs.storage
    let bytes: ByteBuffer?
    do {
      bytes = try await storage.get(key: key)
    } catch {
      req.logger.error(
        "Blob storage failed",
        metadata: ["storage": .string(storage.kind), "error": .string("\(error)")])
      throw AppError(
        .serviceUnavailable, type: "storage-unavailable", title: "Service unavailable",
        detail: "The content could not be read. Try again later.",
        headers: ["Retry-After": "30"])
    }
    guard let bytes else {
      req.logger.error(
        "Stored content missing", metadata: ["sha256": .string(key.sha256)])
      throw AppError(
        .internalServerError, type: "content-missing", title: "Internal Server Error",
        detail: "The output's stored content is missing; this has been logged.")
    }
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .contentType, value: output.contentType)
    headers.replaceOrAdd(
      name: .contentDisposition,
      value: Self.attachment(
        output.filename ?? "output-\(output.id!.lowercasedText)"
          + Self.fileExtension(for: output.contentType)))
    headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
    headers.replaceOrAdd(name: "ETag", value: "\"\(key.sha256)\"")
    return Response(status: .ok, headers: headers, body: .init(buffer: bytes))
  }

  private func find(_ req: Request) async throws -> Output {
    let principal = try req.principal
    guard
      let output = try await Output.query(on: req.db)
        .filter(\.$id == req.idParameter("outputID", "Output"))
        .filter(\.$company.$id == principal.companyID).first()
    else { throw AppError.notFound("Output") }
    return output
  }

  /// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback without
  /// quotes or controls, and the exact name percent-encoded.
  static func attachment(_ filename: String) -> String {
    let fallback = String(
      filename.unicodeScalars.map { scalar -> Character in
        scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\"
          && scalar.value != 0x7F ? Character(scalar) : "_"
      })
    return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(S3Signer.encode(filename))"
  }

  static func fileExtension(for contentType: String) -> String {
    switch contentType.split(separator: ";").first.map(String.init) ?? "" {
    case "text/markdown": ".md"
    case "application/json": ".json"
    case "text/x-diff": ".diff"
    case "image/png": ".png"
    case "image/jpeg": ".jpg"
    case "image/gif": ".gif"
    case "image/webp": ".webp"
    case "application/pdf": ".pdf"
    case "application/zip": ".zip"
    default: ".txt"
    }
  }
}
