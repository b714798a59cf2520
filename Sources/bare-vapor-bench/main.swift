// The framework floor for `scripts/bench-health.sh`: a Vapor application with nothing but
// `GET /health`, answering what Promptsmith's answers, built with the same flags in the same
// run, so that the ratio of the two says what Promptsmith's middleware costs on every request.
import Vapor

struct Health: Content {
  let status: String
}

var environment = try Environment.detect()
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
app.get("health") { _ in Health(status: "ok") }
do {
  try await app.execute()
} catch {
  try? await app.asyncShutdown()
  throw error
}
try await app.asyncShutdown()
