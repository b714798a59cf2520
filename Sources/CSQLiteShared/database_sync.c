// Syncs a connection's database file through SQLite's own file object (CSQLiteShared.h,
// `ps_sync_database_file`): the checkpointer's checkpoints that cannot copy the whole log leave
// their pages unsynced, and SQLite would sync them all in the one that finally does.
#include <stddef.h>

#include "CSQLiteShared.h"

typedef struct ps_file_methods ps_file_methods;
typedef struct ps_file {
  const ps_file_methods *methods;
} ps_file;

// The start of sqlite3.h's `sqlite3_io_methods`, as its stable ABI lays it out: only `xSync`
// is called here.
struct ps_file_methods {
  int iVersion;
  int (*xClose)(ps_file *);
  int (*xRead)(ps_file *, void *, int, int64_t);
  int (*xWrite)(ps_file *, const void *, int, int64_t);
  int (*xTruncate)(ps_file *, int64_t);
  int (*xSync)(ps_file *, int);
};

int sqlite_nio_sqlite3_file_control(sqlite3 *db, const char *name, int op, void *argument);

#define PS_SQLITE_FCNTL_FILE_POINTER 7
#define PS_SQLITE_SYNC_NORMAL 2
#define PS_SQLITE_IOERR_FSYNC (10 | (4 << 8))

int ps_sync_database_file(sqlite3 *db) {
  ps_file *file = NULL;
  int status = sqlite_nio_sqlite3_file_control(db, "main", PS_SQLITE_FCNTL_FILE_POINTER, &file);
  if (status != PS_SQLITE_OK) return status;
  if (file == NULL || file->methods == NULL) return PS_SQLITE_IOERR_FSYNC;
  return file->methods->xSync(file, PS_SQLITE_SYNC_NORMAL);
}
