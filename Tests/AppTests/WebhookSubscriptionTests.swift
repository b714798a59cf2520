import Crypto
import Fluent
import Foundation
import Jobs
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// A local receiver of webhook deliveries: `/flaky` fails its first `failures` requests with
/// 500, `/never` holds every request far past the delivery timeout.
final class WebhookReceiver: Sendable {
  struct Received: Sendable {
    let path: String
    let headers: HTTPHeaders
    let body: Data
  }

  let app: Application
  let received = NIOLockedValueBox<[Received]>([])
  let failures: NIOLockedValueBox<Int>

  var baseURL: String { "http://127.0.0.1:\(app.http.server.shared.localAddress?.port ?? 0)" }

  static func start(failing failures: Int) async throws -> WebhookReceiver {
    let receiver = WebhookReceiver(app: try await Application.make(.testing), failures: failures)
    receiver.app.http.server.configuration.port = 0
    receiver.app.http.server.configuration.hostname = "127.0.0.1"
    receiver.app.post("flaky") { [receiver] req async -> HTTPStatus in
      receiver.record(req)
      return receiver.failures.withLockedValue { left in
        guard left > 0 else { return .noContent }
        left -= 1
        return .internalServerError
      }
    }
    receiver.app.post("never") { [receiver] req async throws -> HTTPStatus in
      receiver.record(req)
      try await Task.sleep(for: .seconds(5))
      return .ok
    }
    try receiver.app.server.start()
    return receiver
  }

  private init(app: Application, failures: Int) {
    self.app = app
    self.failures = NIOLockedValueBox(failures)
  }

  private func record(_ req: Request) {
    let body = req.body.data.map { Data(buffer: $0) } ?? Data()
    received.withLockedValue {
      $0.append(Received(path: req.url.path, headers: req.headers, body: body))
    }
  }

  func stop() async throws {
    await app.server.shutdown()
    try await app.asyncShutdown()
  }
}

@Suite struct WebhookSubscriptionTests {
  /// The receiver-side check the docs show: `t` within five minutes, then the HMAC over
  /// `t + "." + body` with the secret, compared in constant time.
  static func verify(_ header: String?, body: Data, secret: String, now: Date = Date()) -> Bool {
    guard let header else { return false }
    var parts: [String: String] = [:]
    for item in header.split(separator: ",") {
      let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
      if pair.count == 2 { parts[pair[0]] = pair[1] }
    }
    guard let t = parts["t"], let seconds = Double(t), let v1 = parts["v1"],
      abs(now.timeIntervalSince1970 - seconds) <= 300
    else { return false }
    let mac = HMAC<SHA256>.authenticationCode(
      for: Data((t + ".").utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
    return mac.map { String(format: "%02x", $0) }.joined() == v1
  }

  @Test(arguments: TestDatabase.all)
  func subscribersHearOfEveryChangeThroughRetries(_ database: TestDatabase) async throws {
    let receiver = try await WebhookReceiver.start(failing: 2)
    let shortTimeout: (inout AppConfig) -> Void = { $0.webhookTimeout = .seconds(1) }
    do {
      try await withTestApp(database, configure: shortTimeout) { ctx in
        let f = try await CoreLoopTests.fixture(ctx)
        // act: subscribe, then change a template twice
        let flaky = try await ctx.send(
          .POST, "/webhook-subscriptions", token: f.admin,
          object: [
            "url": receiver.baseURL + "/flaky",
            "events": ["template.version.created", "template.label.moved"],
          ])
        let never = try await ctx.send(
          .POST, "/webhook-subscriptions", token: f.admin,
          object: ["url": receiver.baseURL + "/never", "events": ["template.label.moved"]])
        let listed = try await ctx.send(.GET, "/webhook-subscriptions", token: f.admin)
        let template = try await CoreLoopTests().createTemplate(f)
        _ = try await TemplateLabelTests.move(f, template.id, "production", to: 1, token: f.lead)
        let states = try await Self.runDeliveries(ctx, expected: 3)
        // check: the answers
        #expect(flaky.status == .created)
        let secret = try #require(flaky.json?["secret"] as? String)
        #expect(secret.hasPrefix("whsec_") && secret.count > 40)
        let list =
          try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]]
        #expect(list?.count == 2 && list?.allSatisfy { $0["secret"] == nil } == true)
        // the flaky receiver got each event until it answered 2xx, same bytes every time
        let flakyID = try #require(flaky.json?["id"] as? String)
        let neverID = try #require(never.json?["id"] as? String)
        #expect(states[flakyID]?.allSatisfy { $0 == "succeeded" } == true)
        #expect(states[neverID] != ["succeeded"])
        let hits = receiver.received.withLockedValue { $0 }.filter { $0.path == "/flaky" }
        #expect(hits.count == 4)
        for hit in hits {
          #expect(
            Self.verify(
              hit.headers.first(name: "X-Promptsmith-Signature"), body: hit.body, secret: secret))
          #expect(
            !Self.verify(
              hit.headers.first(name: "X-Promptsmith-Signature"), body: hit.body + Data(" ".utf8),
              secret: secret))
        }
        let events = try hits.map {
          try JSONSerialization.jsonObject(with: $0.body) as? [String: Any]
        }
        let types = Set(events.compactMap { $0?["type"] as? String })
        #expect(types == ["template.version.created", "template.label.moved"])
        let ids = Set(events.compactMap { $0?["id"] as? String })
        #expect(ids.count == 2)
        let moved = events.first { $0?["type"] as? String == "template.label.moved" }
        let data = moved??["data"] as? [String: Any]
        #expect(data?["label"] as? String == "production" && data?["version"] as? Int == 1)
        // the delivery log, newest first: two failures with the receiver's code, then success
        let log = try await ctx.send(
          .GET, "/webhook-subscriptions/\(flakyID)/deliveries", token: f.admin)
        let entries =
          try JSONSerialization.jsonObject(with: Data(buffer: log.body)) as? [[String: Any]] ?? []
        #expect(entries.count == 4)
        #expect(
          entries.filter { $0["status"] as? String == "failed" }.map { $0["responseCode"] as? Int }
            == [500, 500])
        #expect(entries.first?["status"] as? String == "delivered")
        // the receiver that never answers cost one timeout per attempt, nothing more
        let stalled = try await ctx.send(
          .GET, "/webhook-subscriptions/\(neverID)/deliveries", token: f.admin)
        let stalledEntries =
          try JSONSerialization.jsonObject(with: Data(buffer: stalled.body)) as? [[String: Any]]
          ?? []
        #expect(stalledEntries.first?["status"] as? String == "failed")
        #expect(stalledEntries.first?["responseCode"] is NSNull)
        #expect((stalledEntries.first?["durationMs"] as? Int ?? 0) < 5000)
        // deleting a subscription deletes its log
        let deleted = try await ctx.send(
          .DELETE, "/webhook-subscriptions/\(flakyID)", token: f.admin)
        let gone = try await ctx.send(
          .GET, "/webhook-subscriptions/\(flakyID)/deliveries", token: f.admin)
        #expect(deleted.status == .noContent)
        #expect(gone.status == .notFound)
      }
    } catch {
      try await receiver.stop()
      throw error
    }
    try await receiver.stop()
  }

  /// Runs a webhook worker until `expected` delivery jobs settled, making each retry due at
  /// once instead of after its backoff: the flaky receiver's until they succeed, the stalled
  /// receiver's once. The states of each subscription's jobs, by subscription id.
  static func runDeliveries(_ ctx: TestContext, expected: Int) async throws -> [String: [String]] {
    let queue = ctx.app.jobs.queue
    let flaky = Set(
      try await WebhookSubscription.query(on: ctx.app.db).all()
        .filter { $0.url.hasSuffix("/flaky") }.map { try $0.requireID() })
    let worker = ctx.app.jobs.worker(
      queues: [TemplateEvents.queueName], concurrency: 4, logger: ctx.app.logger)
    let running = Task { try await worker.run() }
    var states: [String: [String]] = [:]
    for _ in 0..<400 {
      let jobs = try await queue.list(JobListQuery(kind: .deliverWebhook)).jobs
      var settled = 0
      states = [:]
      for job in jobs {
        let subscription = try job.decodePayload(as: TemplateEvents.Delivery.self).subscriptionId
        states[subscription.uuidString.lowercased(), default: []].append(job.state.rawValue)
        let retries = flaky.contains(subscription) ? 10 : 2
        switch job.state {
        case .retryable where job.attempt < retries: _ = try? await queue.retry(id: job.id)
        case .retryable, .succeeded, .dead: settled += 1
        default: break
        }
      }
      if jobs.count == expected && settled == expected { break }
      try await Task.sleep(for: .milliseconds(50))
    }
    worker.stop()
    _ = try? await running.value
    return states
  }

  @Test(arguments: TestDatabase.all)
  func aSubscriptionIsCheckedBeforeItIsSaved(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      // act
      let privateAddress = try await ctx.send(
        .POST, "/webhook-subscriptions", token: f.admin,
        object: ["url": "http://10.0.0.1/hook", "events": ["template.label.moved"]])
      let unknownEvent = try await ctx.send(
        .POST, "/webhook-subscriptions", token: f.admin,
        object: ["url": "http://127.0.0.1:9/hook", "events": ["template.deleted"]])
      let byLead = try await ctx.send(
        .POST, "/webhook-subscriptions", token: f.lead,
        object: ["url": "http://127.0.0.1:9/hook", "events": ["template.label.moved"]])
      let unknown = try await ctx.send(
        .DELETE, "/webhook-subscriptions/\(UUID().uuidString.lowercased())", token: f.admin)
      // check
      #expect(privateAddress.status == .unprocessableEntity)
      #expect(privateAddress.problem?.errors?.first?.field == "url")
      #expect(unknownEvent.status == .unprocessableEntity || unknownEvent.status == .badRequest)
      #expect(byLead.status == .forbidden)
      #expect(unknown.status == .notFound)
      #expect(try await WebhookSubscription.query(on: ctx.app.db).count() == 0)
    }
  }
}
