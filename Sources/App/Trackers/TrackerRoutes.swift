import Fluent
import Jobs
import SQLKit
import Trackers
import Vapor

/// `/trackers` (admin): connections to Jira Cloud, Jira Data Center and Teamwork.
struct TrackerRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let admins = routes.grouped("trackers").grouped(RequireRole(.admin))
    admins.post(use: create)
    admins.get(use: list)
    admins.get(":trackerID", use: show)
    admins.patch(":trackerID", use: update)
    admins.delete(":trackerID", use: archive)
    admins.post(":trackerID", "test", use: test)
    admins.post(":trackerID", "sync", use: sync)
  }

  func create(req: Request) async throws -> Response {
    let principal = try req.principal
    let service = try req.trackers
    let tracker = try await service.create(companyID: principal.companyID, body: JSONBody(req))
    let created = try await service.response(tracker)
    let response = Response(status: .created)
    try response.content.encode(created)
    response.headers.replaceOrAdd(name: .location, value: "/trackers/\(created.id)")
    return response
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    let service = try req.trackers
    let page = try await Tracker.query(on: req.db)
      .filter(\.$company.$id == principal.companyID).filter(\.$archivedAt == nil)
      .page(PageRequest(from: req))
    var items: [TrackerResponse] = []
    for tracker in page.items { items.append(try await service.response(tracker)) }
    return try Page(items: items, nextCursor: page.nextCursor).response(for: req)
  }

  func show(req: Request) async throws -> TrackerResponse {
    let service = try req.trackers
    return try await service.response(
      try await service.find(
        req.idParameter("trackerID", "Tracker"), companyID: req.principal.companyID))
  }

  func update(req: Request) async throws -> TrackerResponse {
    let service = try req.trackers
    let tracker = try await service.find(
      req.idParameter("trackerID", "Tracker"), companyID: req.principal.companyID)
    guard tracker.archivedAt == nil else { throw AppError.conflict("The tracker is archived.") }
    return try await service.response(try await service.update(tracker, body: JSONBody(req)))
  }

  /// Stops syncing and hides the tracker; its issues stay for the prompts made from them.
  func archive(req: Request) async throws -> HTTPStatus {
    let tracker = try await req.trackers.find(
      req.idParameter("trackerID", "Tracker"), companyID: req.principal.companyID)
    try await req.trackers.archive(tracker)
    return .noContent
  }

  func test(req: Request) async throws -> TrackerTestResponse {
    let service = try req.trackers
    let tracker = try await service.find(
      req.idParameter("trackerID", "Tracker"), companyID: req.principal.companyID)
    do {
      let account = try await service.client(for: tracker).authenticate()
      let who = [account.name, account.email.map { "<\($0)>" }].compactMap { $0 }
      return TrackerTestResponse(
        ok: true, detail: "Authenticated as \(who.joined(separator: " ")).")
    } catch let error as TrackerError {
      return TrackerTestResponse(ok: false, detail: "\(error)")
    }
  }
}

extension TrackerRoutes {
  /// Queues a sync now (202); a sync already pending for the tracker is returned instead.
  func sync(req: Request) async throws -> Response {
    let tracker = try await req.trackers.find(
      req.idParameter("trackerID", "Tracker"), companyID: req.principal.companyID)
    guard tracker.archivedAt == nil else { throw AppError.conflict("The tracker is archived.") }
    let id = try tracker.requireID()
    let queue = req.application.jobs.queue
    let auditor = try req.auditor
    let result = try await req.db.writeTransaction { transaction in
      let result = try await queue.enqueue(
        TrackerSyncJob.kind(for: tracker.trackerType),
        payload: TrackerSyncPayload(trackerId: id),
        uniqueKey: "manual-sync:\(id.lowercasedText)",
        tenant: JobTenant.of(company: tracker.$company.id),
        on: transaction.sql)
      if result.inserted {
        try await auditor.record(
          .jobCreated, .job, id: result.job.id, details: ["trackerId": id.lowercasedText],
          on: transaction)
      }
      return result
    }
    let response = Response(status: .accepted)
    try response.content.encode(JobAccepted(jobId: result.job.id.lowercasedText))
    response.headers.replaceOrAdd(
      name: .location, value: "/jobs/\(result.job.id.lowercasedText)")
    return response
  }
}

extension Request {
  /// The tracker service acting for the signed-in user, who is the author of its audit rows.
  /// Callers without a user (webhooks, the OAuth callback) use `TrackerSyncJob.service`.
  var trackers: TrackerService {
    get throws {
      var service = TrackerSyncJob.service(app: application, logger: logger)
      service.auditor = try auditor
      return service
    }
  }
}
