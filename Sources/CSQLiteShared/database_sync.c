// Syncs a connection's database file through SQLite's own file object (CSQLiteShared.h,
// `ps_sync_database_file`): the checkpointer's checkpoints that cannot copy the whole log leave
// their pages unsynced, and SQLite would sync them all in the one that finally does.
#include <stddef.h>

#include "CSQLiteShared.h"
#include "sqlite_file.h"

int sqlite_nio_sqlite3_file_control(sqlite3 *db, const char *name, int op, void *argument);

#define PS_SQLITE_FCNTL_FILE_POINTER 7
#define PS_SQLITE_SYNC_NORMAL 2
#define PS_SQLITE_IOERR_FSYNC (10 | (4 << 8))

int ps_sync_database_file(sqlite3 *db) {
  ps_sqlite3_file *file = NULL;
  int status = sqlite_nio_sqlite3_file_control(db, "main", PS_SQLITE_FCNTL_FILE_POINTER, &file);
  if (status != PS_SQLITE_OK) return status;
  if (file == NULL || file->pMethods == NULL) return PS_SQLITE_IOERR_FSYNC;
  return file->pMethods->xSync(file, PS_SQLITE_SYNC_NORMAL);
}
