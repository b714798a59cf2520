import AsyncKit
import Fluent
import Foundation
import PostgresKit
import SQLKit
import Testing
import Vapor

@testable import App

/// How errors become problem documents, and which database errors a write may retry.
@Suite struct ErrorMappingTests {
  struct ConstraintViolation: Error, DatabaseError {
    var isSyntaxError: Bool { false }
    var isConstraintFailure: Bool { true }
    var isConnectionClosed: Bool { false }
  }

  struct Unexpected: Error {}

  struct Body: Decodable {
    let name: String
    let count: Int
    let tags: [String]
  }

  static func decodingError(_ json: String) -> DecodingError {
    do {
      _ = try JSONDecoder().decode(Body.self, from: Data(json.utf8))
    } catch let error as DecodingError {
      return error
    } catch {}
    return DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "none"))
  }

  @Test func everyKindOfErrorBecomesAProblem() async throws {
    let app = try await Application.make(.testing)
    do {
      let request = Request(application: app, on: app.eventLoopGroup.next())
      let middleware = ProblemErrorMiddleware()
      func problem(_ error: any Error) throws -> (HTTPResponseStatus, ProblemDetails, HTTPHeaders) {
        let response = middleware.problemResponse(for: error, request: request)
        let body = try #require(response.body.data)
        return (
          response.status, try JSONDecoder().decode(ProblemDetails.self, from: body),
          response.headers
        )
      }
      let (poolStatus, pool, poolHeaders) = try problem(
        ConnectionPoolTimeoutError.connectionRequestTimeout)
      #expect(poolStatus == .serviceUnavailable && pool.type == "overloaded")
      #expect(poolHeaders.first(name: .retryAfter) == "1")
      let (conflictStatus, conflict, _) = try problem(ConstraintViolation())
      #expect(conflictStatus == .conflict && conflict.type == "conflict")
      let (unexpectedStatus, unexpected, _) = try problem(Unexpected())
      #expect(unexpectedStatus == .internalServerError && unexpected.type == "internal-error")
      #expect(unexpected.detail?.contains("Unexpected") == false)
      let (abortStatus, abort, _) = try problem(Abort(.gone, reason: "away"))
      #expect(abortStatus == .gone && abort.type == "gone" && abort.detail == "away")

      let cases: [(String, String, String)] = [
        (#"{"count": 1, "tags": []}"#, "name", "is required"),
        (#"{"name": 5, "count": 1, "tags": []}"#, "name", "must be"),
        (#"{"name": "n", "count": null, "tags": []}"#, "count", "not null"),
        (#"{"name": "n", "count": 1, "tags": [1]}"#, "tags[0]", "must be"),
        ("not json", "body", "is not valid JSON"),
      ]
      for (json, field, reason) in cases {
        let (status, decoded, _) = try problem(Self.decodingError(json))
        #expect(status == .badRequest, "\(json)")
        #expect(decoded.errors?.first?.field == field, "\(json)")
        #expect(decoded.errors?.first?.reason.contains(reason) == true, "\(json)")
      }
    } catch {
      try await app.asyncShutdown()
      throw error
    }
    try await app.asyncShutdown()
  }

  @Test(arguments: TestDatabase.all)
  func writeConflictsAreRetryableAndOtherErrorsAreNot(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let sql = ctx.app.db.sql
      // a unique index lost to another writer
      let duplicate = Company(id: ctx.companyID, name: "Again")
      do {
        try await duplicate.create(on: ctx.app.db)
        Issue.record("a duplicate id must be refused")
      } catch {
        #expect(WriteConflict.isRetryable(error))
      }
      #expect(!WriteConflict.isRetryable(Unexpected()))
      do {
        try await sql.raw("SELECT * FROM no_such_table").run()
      } catch {
        #expect(!WriteConflict.isRetryable(error))
      }
      guard database == .postgres else { return }
      // PostgreSQL's deadlock and serialization failures, raised with their real SQLSTATEs
      for state in ["40P01", "40001"] {
        do {
          try await sql.raw(
            "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '\(unsafeRaw: state)'; END $$"
          ).run()
          Issue.record("the statement must fail")
        } catch {
          #expect(WriteConflict.isRetryable(error), "\(state)")
        }
      }
    }
  }
}
