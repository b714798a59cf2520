import Fluent
import SQLKit
import Vapor

struct HealthResponse: Content {
  let status: String
}

/// `GET /health`, `/ready` and `/metrics`: unauthenticated probes for orchestrators.
struct OperationsRoutes: RouteCollection {
  let metrics: HTTPMetrics

  func boot(routes: any RoutesBuilder) throws {
    routes.get("health") { _ in HealthResponse(status: "ok") }
    routes.get("ready", use: ready)
    routes.get("metrics", use: exposition)
  }

  func ready(req: Request) async throws -> Response {
    do {
      _ = try await (req.db as! any SQLDatabase).raw("SELECT 1").all()
    } catch {
      req.logger.warning("Database not reachable", metadata: ["error": "\(error)"])
      throw AppError(
        .serviceUnavailable, type: "not-ready", title: "Service Unavailable",
        detail: "The database is not reachable.")
    }
    return try await HealthResponse(status: "ready").encodeResponse(for: req)
  }

  func exposition(req: Request) async throws -> Response {
    do {
      try await PrometheusJobMetrics.recordQueueState(
        req.application.jobs.queue, into: metrics.registry)
    } catch {
      req.logger.warning("Queue depth unavailable", metadata: ["error": "\(error)"])
    }
    return Response(
      status: .ok,
      headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
      body: .init(string: metrics.exposition()))
  }
}
