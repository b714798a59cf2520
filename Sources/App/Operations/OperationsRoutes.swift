import Fluent
import Prometheus
import SQLKit
import Vapor

struct HealthResponse: Content {
  let status: String
}

/// `GET /health`, `/ready` and `/metrics`: probes for orchestrators (`/metrics` as
/// `MetricsAccess` allows).
struct OperationsRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    routes.get("health") { _ in HealthResponse(status: "ok") }
    routes.get("ready", use: ready)
    routes.get("metrics", use: exposition)
  }

  func ready(req: Request) async throws -> Response {
    do {
      _ = try await req.db.sql.raw("SELECT 1").all()
    } catch {
      req.logger.warning("Database not reachable", metadata: ["error": "\(error)"])
      throw AppError(
        .serviceUnavailable, type: "not-ready", title: "Service Unavailable",
        detail: "The database is not reachable.")
    }
    return try await HealthResponse(status: "ready").encodeResponse(for: req)
  }

  func exposition(req: Request) async throws -> Response {
    switch req.application.appConfig.metricsAccess {
    case .separatePort: throw AppError.notFound("Route")
    case .token where !req.application.appConfig.metricsAccess.admits(req):
      throw AppError(
        .unauthorized, type: "unauthorized", title: "Unauthorized",
        detail: "Send the METRICS_TOKEN as Authorization: Bearer.",
        headers: ["WWW-Authenticate": "Bearer"])
    default: return await MetricsExposition.response(req.application)
    }
  }
}

/// The Prometheus text exposition, with the queue's current state.
enum MetricsExposition {
  static func response(_ app: Application) async -> Response {
    let metrics = app.httpMetrics
    do {
      try await PrometheusJobMetrics.recordQueueState(app.jobs.queue, into: metrics.registry)
    } catch {
      app.logger.warning("Queue depth unavailable", metadata: ["error": "\(error)"])
    }
    if let carrier = SQLiteWriterSetup.writer(of: app.db), let writer = carrier.group {
      // Writes per commit: how much the grouping saves (one sync per group).
      let counts = writer.counts
      for (name, value, help) in [
        ("commits", counts.groups, "Commits of the SQLite writer's groups"),
        ("writes", counts.writes, "Write transactions those commits held"),
        (
          "checkpoints", carrier.checkpointer?.checkpoints ?? 0,
          "Checkpoints of the write-ahead log run off the writer's thread"
        ),
        (
          "log_restarts", carrier.checkpointer?.restarts ?? 0,
          "Times the write-ahead log, entirely copied, started again from its beginning"
        ),
      ] {
        metrics.registry.makeGauge(
          descriptor: MetricNameDescriptor(
            namespace: "promptsmith", subsystem: "sqlite_writer", metricName: name,
            unitName: "total", helpText: help)
        ).set(Double(value))
      }
    }
    return Response(
      status: .ok,
      headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
      body: .init(string: metrics.exposition()))
  }
}
