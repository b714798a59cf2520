import Foundation
import Testing

@Suite struct PostgresRequirementTests {
  /// CI sets `REQUIRE_POSTGRES_TESTS=1` so that a missing server fails instead of skipping.
  @Test func postgresIsAvailableWhenRequired() {
    let environment = ProcessInfo.processInfo.environment
    if environment["REQUIRE_POSTGRES_TESTS"] == "1" {
      #expect(
        Backend.postgresURL != nil,
        "REQUIRE_POSTGRES_TESTS=1 but POSTGRES_TEST_URL is unset: PostgreSQL cases would be skipped"
      )
    }
  }
}
