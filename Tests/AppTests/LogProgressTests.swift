import Testing

@testable import App

/// How the writer's commits decide about checkpoints (`LogProgress`): one on the checkpointer's
/// thread per `pagesBeforeCheckpoint` new pages, whatever the log's size; the few pages it
/// leaves copied by the writer; and the count starting over when the log does.
@Suite struct LogProgressTests {
  let threshold = SQLiteCheckpointer.pagesBeforeCheckpoint
  let left = SQLiteCheckpointer.pagesLeftForTheWriter

  @Test func aCheckpointIsScheduledPerThresholdOfNewPagesNotPerCommitPastIt() {
    var progress = LogProgress()
    #expect(progress.next(afterCommitWith: threshold - 1) == .nothing)
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 0))
    // One at a time.
    #expect(progress.next(afterCommitWith: threshold + 100) == .nothing)
    progress.checkpointed(through: threshold + 100, log: 0)
    // All copied: the next group starts the log again, and the count starts from zero. A
    // log-size trigger would ask at every commit once the log had grown past the threshold.
    #expect(progress.next(afterCommitWith: 80) == .nothing)
    #expect(progress.restarts == 1)
    for pages in stride(from: 100, to: threshold, by: 500) {
      #expect(progress.next(afterCommitWith: pages) == .nothing)
    }
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 1))
  }

  @Test func theWriterCopiesTheFewPagesCommittedDuringACheckpoint() {
    var progress = LogProgress()
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 0))
    #expect(progress.next(afterCommitWith: threshold + left) == .nothing)
    progress.checkpointed(through: threshold, log: 0)
    #expect(progress.next(afterCommitWith: threshold + left + 10) == .copyHere)
    progress.writerCopied(threshold + left + 10, of: threshold + left + 10)
    #expect(progress.copied == threshold + left + 10)
    // Asked once: the next commit starts the log again (SQLite does, finding it all copied).
    #expect(progress.next(afterCommitWith: 40) == .nothing)
    #expect(progress.restarts == 1)
    #expect(progress.copied == 0)
    #expect(progress.next(afterCommitWith: threshold + 40) == .schedule(log: 1))
  }

  @Test func tooManyPagesLeftAreTheCheckpointersAgainNotTheWriters() {
    var progress = LogProgress()
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 0))
    #expect(progress.next(afterCommitWith: threshold + 3 * left) == .nothing)
    progress.checkpointed(through: threshold, log: 0)
    // Not a whole threshold later: at the next commit, so that a burst's last pages do not
    // wait in the log for the next burst.
    #expect(progress.next(afterCommitWith: threshold + 3 * left + 1) == .schedule(log: 0))
    progress.checkpointed(through: threshold + 3 * left, log: 0)
    #expect(progress.next(afterCommitWith: threshold + 3 * left + 2) == .copyHere)
  }

  @Test func aNewBeginningThatAReaderPreventedIsTriedAgainEverySoManyCommits() {
    var progress = LogProgress()
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 0))
    progress.checkpointed(through: threshold, log: 0)
    // All copied; the groups after it could not start the log again (a reader was in it) and
    // wrote after its end. The writer copies those few pages itself, but not at every commit.
    var pages = threshold
    var steps: [LogProgress.Step] = []
    for _ in 0..<(2 * LogProgress.commitsBetweenRetries) {
      pages += 5
      let step = progress.next(afterCommitWith: pages)
      steps.append(step)
      if step == .copyHere { progress.writerCopied(pages - 5, of: pages) }
    }
    #expect(steps.filter { $0 == .copyHere }.count == 2)
    #expect(steps.filter { $0 != .copyHere }.allSatisfy { $0 == .nothing })
    let copies = steps.indices.filter { steps[$0] == .copyHere }
    #expect(copies.count == 2 && copies[1] - copies[0] == LogProgress.commitsBetweenRetries)
    // Once the writer found it all copied, its next group starts the log again.
    progress.writerCopied(pages, of: pages)
    #expect(progress.next(afterCommitWith: 7) == .nothing)
    #expect(progress.restarts == 1)
  }

  @Test func manyPagesLeftGoBackToTheCheckpointerAndAFailedCheckpointIsAskedForAgain() {
    var progress = LogProgress()
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 0))
    progress.checkpointed(through: threshold, log: 0)
    // More pages than the writer should copy came after it (a burst, or writes after a failed
    // new beginning): the checkpointer's, at the next commit.
    #expect(progress.next(afterCommitWith: threshold + 4 * left) == .schedule(log: 0))
    // That one failed: asked for again after so many commits, not at each.
    progress.checkpointed(through: nil, log: 0)
    var steps: [LogProgress.Step] = []
    for commit in 1...LogProgress.commitsBetweenRetries {
      steps.append(progress.next(afterCommitWith: threshold + 4 * left + commit))
    }
    #expect(steps.dropLast().allSatisfy { $0 == .nothing })
    #expect(steps.last == .schedule(log: 0))
  }

  @Test func aCheckpointOfALogThatStartedAgainMeanwhileCountsForNothing() {
    var progress = LogProgress()
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 0))
    // Copied it all, and before its result was noted the writer started the log again.
    #expect(progress.next(afterCommitWith: 30) == .nothing)
    progress.checkpointed(through: threshold, log: 0)
    #expect(progress.copied == 0)
    #expect(progress.next(afterCommitWith: 60) == .nothing)
    #expect(progress.next(afterCommitWith: threshold) == .schedule(log: 1))
    // A failed checkpoint (nil) copied nothing, and the next commit past the threshold asks
    // again.
    progress.checkpointed(through: nil, log: 1)
    #expect(progress.next(afterCommitWith: threshold + 1) == .schedule(log: 1))
  }
}
