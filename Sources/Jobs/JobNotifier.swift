/// Delivers PostgreSQL `NOTIFY` messages, so that workers start a new job within milliseconds
/// of its enqueue instead of at the next poll.
///
/// `LISTEN` needs a connection of its own that stays open and receives asynchronous messages,
/// which `SQLDatabase` cannot express; the App implements this with PostgresNIO
/// (`PostgresConnection.listen(on:consume:)`). Without a notifier workers poll.
public protocol JobNotifier: Sendable {
  /// Listens on `channel` until the task is cancelled, calling `onNotification` with each
  /// payload (the queue's name). Throwing (e.g. the connection dropped) makes the worker
  /// listen again after a pause.
  func listen(
    channel: String, onNotification: @escaping @Sendable (String) -> Void
  ) async throws
}
