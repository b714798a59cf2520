import NIOCore
import NIOPosix
import Testing
import Vapor

@testable import App

/// `Request.onItsEventLoop`: work awaited on another thread resumes on the request's loop.
@Suite struct RequestEventLoopTests {
  @Test func awaitsOnAnotherThreadResumeOnTheRequestsLoop() async throws {
    let app = try await Application.make(.testing)
    let pool = NIOThreadPool(numberOfThreads: 1)
    pool.start()
    let loops = MultiThreadedEventLoopGroup.singleton
    var resumedOnTheLoop = 0
    for index in 0..<40 {
      let loop = loops.next()
      let request = Request(application: app, on: loop)
      // The answer comes from the pool's thread, as a SQLite reader's or the writer's does.
      let onLoop = try await loop.flatSubmit {
        loop.makeFutureWithTask {
          try await request.onItsEventLoop {
            _ = try await pool.runIfActive { index }
            return loop.inEventLoop
          }
        }
      }.get()
      if onLoop { resumedOnTheLoop += 1 }
    }
    #expect(resumedOnTheLoop == 40)
    try await pool.shutdownGracefully()
    try await app.asyncShutdown()
  }
}
