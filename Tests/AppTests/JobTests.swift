import ConsoleKit
import Fluent
import Foundation
import Jobs
import SQLKit
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// The queue as the App wires it: admin API, manual tracker sync through a real worker, metrics.
@Suite struct JobTests {
  @Test(arguments: TestDatabase.all)
  func adminsInspectRetryAndCancelJobs(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let queued = try await ctx.app.jobs.queue.enqueue(.test, payload: ["note": "hello"])
      let id = queued.job.id.uuidString.lowercased()
      // act + check
      let list = try await ctx.send(.GET, "/jobs?state=available&kind=test", token: admin)
      #expect(try list.content.decode([JobResponse].self).map(\.id) == [id])
      #expect(
        try await ctx.send(.GET, "/jobs?state=sleeping", token: admin).status
          == .unprocessableEntity)
      let shown = try await ctx.send(.GET, "/jobs/\(id)", token: admin)
      #expect(try shown.content.decode(JobResponse.self).state == "available")
      let cancelled = try await ctx.send(.POST, "/jobs/\(id)/cancel", token: admin)
      #expect(try cancelled.content.decode(JobResponse.self).state == "cancelled")
      #expect(try await ctx.send(.POST, "/jobs/\(id)/cancel", token: admin).status == .conflict)
      #expect(try await ctx.send(.POST, "/jobs/\(id)/retry", token: admin).status == .conflict)
      #expect(try await ctx.send(.GET, "/jobs/\(UUID())", token: admin).status == .notFound)
      let lead = try await ctx.createUser(role: .lead, adminToken: admin)
      let leadToken = try await ctx.login(lead.email, lead.password).accessToken
      #expect(try await ctx.send(.GET, "/jobs", token: leadToken).status == .forbidden)
      let metrics = try await ctx.send(.GET, "/metrics")
      #expect(
        metrics.bodyString.contains(#"jobs_queue_depth{queue="default",state="cancelled"} 1"#))
    }
  }

  @Test(arguments: TestDatabase.all)
  func eachCompanySeesItsOwnJobsAndTheDefaultOneTheDeployments(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      // setup: a sync of a tracker of each company, and a job of the deployment's own
      let admin = try await ctx.adminToken()
      let (_, other) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      ).create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let stranger = try await ctx.login(other.email, "globex-password-1").accessToken
      func sync(_ token: String) async throws -> String {
        let created = try await ctx.send(
          .POST, "/trackers", token: token,
          object: [
            "type": "jira-dc", "name": "Jira", "baseUrl": "https://jira.example.com",
            "auth": ["kind": "pat", "token": "a-token"],
          ])
        let tracker = try created.content.decode(TrackerResponse.self)
        let queued = try await ctx.send(.POST, "/trackers/\(tracker.id)/sync", token: token)
        return try queued.content.decode(JobAccepted.self).jobId
      }
      let ours = try await sync(admin)
      let theirs = try await sync(stranger)
      let cleanup = try await ctx.app.jobs.queue.enqueue(JobRequest(kind: .cleanupOldOutputs))
      let deployment = cleanup.job.id.uuidString.lowercased()
      func listed(_ token: String) async throws -> [String] {
        try await ctx.send(.GET, "/jobs", token: token).content.decode([JobResponse].self)
          .map(\.id)
      }

      // check: the default company's admin sees its sync and the deployment's job; the other
      // company's admin sees its own sync only, and nothing of the first company's
      #expect(try await listed(admin) == [ours, deployment])
      #expect(try await listed(stranger) == [theirs])
      for path in ["/jobs/\(ours)", "/jobs/\(deployment)"] {
        #expect(try await ctx.send(.GET, path, token: stranger).status == .notFound)
        #expect(try await ctx.send(.POST, "\(path)/cancel", token: stranger).status == .notFound)
      }
      #expect(try await ctx.send(.GET, "/jobs/\(theirs)", token: admin).status == .notFound)
      #expect(try await ctx.send(.POST, "/jobs/\(theirs)/cancel", token: stranger).status == .ok)

      // the migration's backfill gives tracker jobs of the first version their company
      let sql = ctx.app.db.sql
      try await sql.raw("UPDATE jobs SET tenant = NULL").run()
      try await UpdateJobsAddTenant.backfill(on: sql)
      #expect(try await listed(admin) == [ours, deployment])
      #expect(try await listed(stranger) == [theirs])
    }
  }

  @Test(arguments: TestDatabase.all)
  func aManualSyncRunsOnAWorker(_ database: TestDatabase) async throws {
    let jira = try await FakeJiraDataCenter.start()
    defer { Task { try? await jira.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-dc", "name": "Acme Jira", "baseUrl": jira.baseURL,
          "auth": ["kind": "pat", "token": FakeJiraDataCenter.token],
          "acceptanceCriteriaField": "customfield_10500",
        ])
      let tracker = try created.content.decode(TrackerResponse.self)
      // act: queue twice (one pending job), then let a worker run it
      let first = try await ctx.send(.POST, "/trackers/\(tracker.id)/sync", token: admin)
      #expect(first.status == .accepted)
      let jobID = try first.content.decode(JobAccepted.self).jobId
      let second = try await ctx.send(.POST, "/trackers/\(tracker.id)/sync", token: admin)
      #expect(try second.content.decode(JobAccepted.self).jobId == jobID)
      let state = try await runWorker(ctx, until: jobID)
      // check
      #expect(state == "succeeded")
      #expect(try await Issue.query(on: ctx.app.db).count() == 2)
      let job = try await ctx.send(.GET, "/jobs/\(jobID)", token: admin)
      #expect(try job.content.decode(JobResponse.self).kind == "sync-jira-issues")
    }
  }

  @Test(arguments: TestDatabase.all)
  func theSchedulerPlansOneSyncPerLiveTracker(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let live = Tracker(
        companyID: ctx.companyID, type: "teamwork", name: "TW", baseURL: "https://tw.example")
      live.syncIntervalMinutes = 15
      try await live.create(on: ctx.app.db)
      let archived = Tracker(
        companyID: ctx.companyID, type: "teamwork", name: "Old", baseURL: "https://old.example")
      archived.archivedAt = Date()
      try await archived.create(on: ctx.app.db)
      let teamwork = try await TrackerSyncJob.scheduled(jira: false, on: ctx.app.db)
      #expect(teamwork.map(\.id) == [try live.requireID().uuidString.lowercased()])
      #expect(teamwork.first?.interval == .seconds(900))
      #expect(try await TrackerSyncJob.scheduled(jira: true, on: ctx.app.db).isEmpty)
      let runs = await ctx.app.jobs.scheduler(logger: ctx.app.logger).tick()
      #expect(
        Set(runs.map(\.kind)) == [.syncTeamworkIssues, .cleanupOldOutputs, .cleanupAuditEvents])
      let tenants = Dictionary(uniqueKeysWithValues: runs.map { ($0.kind, $0.tenant) })
      #expect(tenants[.syncTeamworkIssues] == JobTenant.of(company: ctx.companyID))
      #expect(tenants[.cleanupOldOutputs] == .some(nil))
      #expect(tenants[.cleanupAuditEvents] == .some(nil))
      #expect(await ctx.app.jobs.scheduler(logger: ctx.app.logger).tick().isEmpty)
    }
  }
}

/// Jira's webhook: signatures checked, events queued and processed by a worker.
@Suite struct WebhookTests {
  @Test(arguments: TestDatabase.all)
  func signedEventsAreQueuedAndUnsignedOnesRefused(_ database: TestDatabase) async throws {
    let jira = try await FakeJiraDataCenter.start()
    defer { Task { try? await jira.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let secret = "a-webhook-secret-of-some-length"
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-dc", "name": "Acme Jira", "baseUrl": jira.baseURL,
          "auth": ["kind": "pat", "token": FakeJiraDataCenter.token],
          "acceptanceCriteriaField": "customfield_10500", "webhookSecret": secret,
        ])
      let tracker = try created.content.decode(TrackerResponse.self)
      #expect(tracker.webhookSecretSet)
      let body = #"{"webhookEvent":"jira:issue_updated","issue":{"key":"BILL-2291"}}"#
      let signature = WebhookSignature.sign(body: Data(body.utf8), secret: secret)
      // act
      let unsigned = try await ctx.send(.POST, "/webhooks/jira/\(tracker.id)", rawBody: body)
      let forged = try await ctx.send(
        .POST, "/webhooks/jira/\(tracker.id)", rawBody: body,
        headers: ["X-Hub-Signature": "sha256=" + String(repeating: "0", count: 64)])
      let signed = try await ctx.send(
        .POST, "/webhooks/jira/\(tracker.id)", rawBody: body,
        headers: ["X-Hub-Signature": signature])
      let byToken = try await ctx.send(
        .POST, "/webhooks/jira/\(tracker.id)?token=\(secret)", rawBody: body)
      let unknown = try await ctx.send(.POST, "/webhooks/jira/\(UUID())", rawBody: body)
      // check
      #expect(unsigned.status == .unauthorized && forged.status == .unauthorized)
      #expect(signed.status == .accepted && byToken.status == .accepted)
      #expect(unknown.status == .notFound)
      let jobID = try signed.content.decode(JobAccepted.self).jobId
      let state = try await runWorker(ctx, until: jobID)
      #expect(state == "succeeded")
      let issue = try await Issue.query(on: ctx.app.db).filter(\.$externalKey == "BILL-2291")
        .first()
      #expect(issue != nil)
    }
  }
}

extension WebhookTests {
  /// A delivery replayed (same Jira identifier, or the same bytes) queues nothing; a deletion is
  /// believed only when the tracker no longer has the issue.
  @Test(arguments: TestDatabase.all)
  func replayedDeliveriesAreIgnoredAndDeletionsAreCheckedAtTheTracker(_ database: TestDatabase)
    async throws
  {
    let jira = try await FakeJiraDataCenter.start()
    defer { Task { try? await jira.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let secret = "a-webhook-secret-of-some-length"
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-dc", "name": "Acme Jira", "baseUrl": jira.baseURL,
          "auth": ["kind": "pat", "token": FakeJiraDataCenter.token], "webhookSecret": secret,
          "acceptanceCriteriaField": "customfield_10500",
        ])
      let tracker = try created.content.decode(TrackerResponse.self)
      func deliver(_ body: String, id: String? = nil) async throws -> String {
        var headers: HTTPHeaders = [
          "X-Hub-Signature": WebhookSignature.sign(body: Data(body.utf8), secret: secret)
        ]
        if let id { headers.add(name: "X-Atlassian-Webhook-Identifier", value: id) }
        let response = try await ctx.send(
          .POST, "/webhooks/jira/\(tracker.id)", rawBody: body, headers: headers)
        #expect(response.status == .accepted)
        return try response.content.decode(JobAccepted.self).jobId
      }
      // a forged deletion of an issue the tracker still has
      let stillThere = #"{"webhookEvent":"jira:issue_deleted","issue":{"key":"BILL-2291"}}"#
      let first = try await deliver(stillThere)
      let replayed = try await deliver(stillThere)
      #expect(replayed == first)
      #expect(try await runWorker(ctx, until: first) == "succeeded")
      let kept = try await Issue.query(on: ctx.app.db).filter(\.$externalKey == "BILL-2291").first()
      #expect(kept != nil && kept?.deletedAt == nil)
      // Jira's delivery identifier dedupes retries whose bytes differ
      let gone = #"{"webhookEvent":"jira:issue_deleted","issue":{"key":"BILL-2291"},"n":1}"#
      let a = try await deliver(gone, id: "delivery-42")
      let b = try await deliver(gone + " ", id: "delivery-42")
      #expect(a == b)
      // the tracker no longer has the issue: now it is marked deleted
      let original = jira.issues.withLockedValue { issues in
        let index = issues.firstIndex { $0["key"] as? String == "BILL-2291" }
        return index.map { issues.remove(at: $0) }
      }
      #expect(try await runWorker(ctx, until: a) == "succeeded")
      let deleted = try #require(
        try await Issue.query(on: ctx.app.db).filter(\.$externalKey == "BILL-2291").first())
      #expect(deleted.deletedAt != nil)
      try await DeletedIssueTests.expectGone(ctx, issueID: try deleted.requireID(), admin: admin)
      let webhookJobs = try await ctx.app.jobs.queue.list(JobListQuery(kind: .processWebhook))
      #expect(webhookJobs.jobs.count == 2)
      // restored at the tracker: the next event brings it back into the lists
      let removed = try #require(original)
      jira.issues.withLockedValue { $0.append(removed) }
      let back = try await deliver(
        #"{"webhookEvent":"jira:issue_updated","issue":{"key":"BILL-2291"}}"#)
      #expect(try await runWorker(ctx, until: back) == "succeeded")
      let restored = try await Issue.find(deleted.id, on: ctx.app.db)
      #expect(restored?.deletedAt == nil)
    }
  }
}

/// Runs a worker until the job finishes (or 10 s pass) and returns the job's final state.
func runWorker(_ ctx: TestContext, until jobID: String) async throws -> String {
  let worker = ctx.app.jobs.worker(concurrency: 2, logger: ctx.app.logger)
  let running = Task { try await worker.run() }
  var state = ""
  for _ in 0..<200 where state != "succeeded" && state != "dead" {
    try await Task.sleep(for: .milliseconds(50))
    state = try await ctx.app.jobs.queue.job(id: UUID(uuidString: jobID)!)?.state.rawValue ?? ""
  }
  worker.stop()
  _ = try? await running.value
  return state
}

/// The worker that `serve` runs on SQLite, and the services `promptsmith worker` runs.
@Suite struct EmbeddedWorkerTests {
  @Test(arguments: TestDatabase.all)
  func theEmbeddedWorkerRunsJobsUntilTheServerStops(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let worker = EmbeddedWorker()
      worker.start(ctx.app)
      let queued = try await ctx.app.jobs.queue.enqueue(.test, payload: ["note": "embedded"])
      var state = ""
      for _ in 0..<200 where state != "succeeded" {
        try await Task.sleep(for: .milliseconds(50))
        state = try await ctx.app.jobs.queue.job(id: queued.job.id)?.state.rawValue ?? ""
      }
      await worker.shutdownAsync(ctx.app)
      #expect(state == "succeeded")
      // outside `serve` (the test binary) the lifecycle hook starts nothing
      try await EmbeddedWorker().didBootAsync(ctx.app)
      // `promptsmith worker --queues " default," --concurrency 2` itself, stopped by cancelling
      // its task (a signal would stop the test runner)
      let app = ctx.app
      let command = Task {
        var context = CommandContext(
          console: Terminal(),
          input: CommandInput(arguments: [
            "promptsmith", "--queues", " default,", "--concurrency", "2",
          ]))
        context.application = app
        try await WorkerCommand().run(using: &context)
      }
      let second = try await ctx.app.jobs.queue.enqueue(.test, payload: ["note": "command"])
      state = ""
      for _ in 0..<200 where state != "succeeded" {
        try await Task.sleep(for: .milliseconds(50))
        state = try await ctx.app.jobs.queue.job(id: second.job.id)?.state.rawValue ?? ""
      }
      command.cancel()
      _ = await command.result
      #expect(state == "succeeded")
    }
  }
}
