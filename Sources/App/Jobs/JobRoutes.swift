import Jobs
import Vapor

struct JobAccepted: Content {
  let jobId: String
}

/// `/jobs` (admin): the queue's dashboard back end, limited to the admin's company's jobs (and,
/// for the default company, the deployment's own; see ``JobTenant``). Another company's job
/// answers 404.
struct JobRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let admins = routes.grouped("jobs").grouped(RequireRole(.admin))
    admins.get(use: list)
    admins.get(":jobID", use: show)
    admins.post(":jobID", "retry", use: retry)
    admins.post(":jobID", "cancel", use: cancel)
  }

  func list(req: Request) async throws -> Response {
    let page = try PageRequest(from: req)
    var states: [JobState] = []
    if let state = req.query[String.self, at: "state"] {
      guard let parsed = JobState(rawValue: state) else {
        throw AppError.validation(
          field: "state",
          reason: "must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      states = [parsed]
    }
    let kind = req.query[String.self, at: "kind"].map { JobKind($0) }
    let result = try await req.application.jobs.queue.list(
      JobListQuery(
        states: states, kind: kind, after: page.after, limit: page.limit,
        scope: try await JobTenant.scope(for: req)))
    return try Page(
      items: result.jobs.map(JobResponse.init),
      nextCursor: result.nextCursor.map(PageRequest.encode(cursor:))
    ).response(for: req)
  }

  func show(req: Request) async throws -> JobResponse {
    guard
      let job = try await req.application.jobs.queue.job(
        id: req.idParameter("jobID", "Job"), in: JobTenant.scope(for: req))
    else { throw AppError.notFound("Job") }
    return JobResponse(job)
  }

  // The queue changes a job in its own statement, so these audit rows follow the change
  // instead of sharing its transaction.
  func retry(req: Request) async throws -> JobResponse {
    let scope = try await JobTenant.scope(for: req)
    let job = try await Self.mapped {
      try await req.application.jobs.queue.retry(id: req.idParameter("jobID", "Job"), in: scope)
    }
    try await req.auditor.record(
      .jobRetried, .job, id: try req.idParameter("jobID", "Job"), changed: ["state"],
      on: req.db)
    return job
  }

  func cancel(req: Request) async throws -> JobResponse {
    let scope = try await JobTenant.scope(for: req)
    let job = try await Self.mapped {
      try await req.application.jobs.queue.cancel(id: req.idParameter("jobID", "Job"), in: scope)
    }
    try await req.auditor.record(
      .jobCancelled, .job, id: try req.idParameter("jobID", "Job"), changed: ["state"],
      on: req.db)
    return job
  }

  static func mapped(_ body: () async throws -> JobRecord) async throws -> JobResponse {
    do {
      return JobResponse(try await body())
    } catch let error as JobsError {
      if error.isConflict { throw AppError.conflict("\(error)") }
      throw AppError.notFound("Job")
    }
  }
}
