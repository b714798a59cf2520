// The few libsqlite3 functions the SQLite writer calls directly (Sources/App/Persistence/
// SQLiteDirectConnection.swift), declared against the copy of SQLite that SQLiteNIO vendors
// and links into the binary under the `sqlite_nio_` prefix.
//
// Declared, not bundled: a second copy of SQLite in the process would keep its own table of
// POSIX locks, and closing a file in one copy drops the locks the other holds on it
// (https://www.sqlite.org/howtocorrupt.html, 2.2.1). One copy, shared with Fluent's
// connections, coordinates them all.
#ifndef CSQLITE_SHARED_H
#define CSQLITE_SHARED_H

#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

#define PS_SQLITE_OK 0
#define PS_SQLITE_ROW 100
#define PS_SQLITE_DONE 101
#define PS_SQLITE_OPEN_READWRITE 0x00000002
#define PS_SQLITE_OPEN_CREATE 0x00000004
#define PS_SQLITE_OPEN_URI 0x00000040
#define PS_SQLITE_OPEN_FULLMUTEX 0x00010000
#define PS_SQLITE_OPEN_EXRESCODE 0x02000000
#define PS_SQLITE_PREPARE_PERSISTENT 0x01
#define PS_SQLITE_STMTSTATUS_REPREPARE 5
#define PS_SQLITE_CHECKPOINT_PASSIVE 0

int sqlite_nio_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int sqlite_nio_sqlite3_close_v2(sqlite3 *db);
int sqlite_nio_sqlite3_busy_timeout(sqlite3 *db, int milliseconds);
int sqlite_nio_sqlite3_prepare_v3(
  sqlite3 *db, const char *sql, int bytes, unsigned int flags, sqlite3_stmt **statement,
  const char **tail);
int sqlite_nio_sqlite3_step(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_stmt_status(sqlite3_stmt *statement, int counter, int reset);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *statement, int index);
int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *statement, int index, int64_t value);
int sqlite_nio_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value);
int sqlite_nio_sqlite3_bind_text(
  sqlite3_stmt *statement, int index, const char *text, int bytes, void (*destructor)(void *));
int sqlite_nio_sqlite3_column_count(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_column_type(sqlite3_stmt *statement, int column);
int64_t sqlite_nio_sqlite3_column_int64(sqlite3_stmt *statement, int column);
double sqlite_nio_sqlite3_column_double(sqlite3_stmt *statement, int column);
const void *sqlite_nio_sqlite3_column_blob(sqlite3_stmt *statement, int column);
const char *sqlite_nio_sqlite3_column_name(sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *statement, int column);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *db);
int sqlite_nio_sqlite3_get_autocommit(sqlite3 *db);
void *sqlite_nio_sqlite3_wal_hook(
  sqlite3 *db, int (*callback)(void *context, sqlite3 *db, const char *name, int pages),
  void *context);
int sqlite_nio_sqlite3_wal_checkpoint_v2(
  sqlite3 *db, const char *name, int mode, int *logFrames, int *checkpointedFrames);
int sqlite_nio_sqlite3_extended_errcode(sqlite3 *db);

/// Syncs the connection's main database file through SQLite's own file object
/// (`SQLITE_FCNTL_FILE_POINTER`, then its VFS's `xSync`): no second descriptor, whose closing
/// would drop the process's POSIX locks on the file. SQLITE_OK, or the error.
int ps_sync_database_file(sqlite3 *db);

/// The name of the VFS that `ps_batched_wal_vfs_register` adds (batched_wal.c): SQLite's
/// default VFS, with the writes of each commit's log frames gathered into one `pwrite` at the
/// log's sync. For the writer's own connection, which syncs every commit (`synchronous` FULL).
#define PS_BATCHED_WAL_VFS "promptsmith-batched-wal"

/// Registers that VFS (not as the default); SQLITE_OK, or the error. Call it once.
int ps_batched_wal_vfs_register(void);

/// How many log writes SQLite asked that VFS for on the calling thread, and how many `pwrite`s
/// it made of them there: per thread, so that a writer's figures are its own in a process
/// where several run (the tests).
typedef struct ps_batched_wal_counts {
  int64_t writes;
  int64_t flushes;
} ps_batched_wal_counts;

ps_batched_wal_counts ps_batched_wal_statistics(void);

/// Installs SQLite's default page cache with the page number that B-tree splits park pages
/// under for a moment filed as 0 (`page_cache.c` says why). SQLite accepts a page cache only
/// before its first use in the process, so a constructor calls this when the binary loads.
/// SQLITE_OK (also when already installed), or SQLITE_MISUSE when SQLite is already in use.
int ps_page_cache_install(void);

/// Whether `ps_page_cache_install` succeeded in this process.
int ps_page_cache_installed(void);

/// How many times a split parked a page under the lock bytes' number on the calling thread.
int64_t ps_page_cache_parked_pages(void);

/// Binds a copy of `text` (SQLITE_TRANSIENT): the Swift string's bytes live only for the call.
static inline int ps_sqlite3_bind_text_copy(
  sqlite3_stmt *statement, int index, const char *text, int bytes)
{
  return sqlite_nio_sqlite3_bind_text(statement, index, text, bytes, (void (*)(void *))-1);
}

#endif
