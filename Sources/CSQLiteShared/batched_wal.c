// A VFS over SQLite's default one that gathers the writes of a transaction's write-ahead log
// frames and writes them with one `pwrite` when the log is synced (see CSQLiteShared.h,
// `ps_batched_wal_vfs_register`).
//
// SQLite writes each frame of a commit with two `pwrite`s, its 24-byte header and its page: a
// generation's commit is some 60 of them, and at 16 connections a group's several hundred.
// Here consecutive writes to a `-wal` file are appended to a buffer, and the buffer is written
// before anything could observe the file: before a sync (so a commit is on disk exactly as
// before when `synchronous` makes it durable), a read, a size query, a truncation, a write
// elsewhere in the file, closing it, and before the connection publishes new frames to other
// connections (the log index's memory barrier) or releases the log's write lock. Other files
// (the database, its shared-memory index) pass through untouched.
#include <stdlib.h>
#include <string.h>

#include "CSQLiteShared.h"
#include "sqlite_file.h"

// The parts of sqlite3.h's VFS interface used here, as its stable ABI lays them out (those of
// its files are in sqlite_file.h).
typedef struct ps_sqlite3_vfs ps_sqlite3_vfs;

struct ps_sqlite3_vfs {
  int iVersion;
  int szOsFile;
  int mxPathname;
  ps_sqlite3_vfs *pNext;
  const char *zName;
  void *pAppData;
  int (*xOpen)(ps_sqlite3_vfs *, const char *, ps_sqlite3_file *, int, int *);
  int (*xDelete)(ps_sqlite3_vfs *, const char *, int);
  int (*xAccess)(ps_sqlite3_vfs *, const char *, int, int *);
  int (*xFullPathname)(ps_sqlite3_vfs *, const char *, int, char *);
  void *(*xDlOpen)(ps_sqlite3_vfs *, const char *);
  void (*xDlError)(ps_sqlite3_vfs *, int, char *);
  void (*(*xDlSym)(ps_sqlite3_vfs *, void *, const char *))(void);
  void (*xDlClose)(ps_sqlite3_vfs *, void *);
  int (*xRandomness)(ps_sqlite3_vfs *, int, char *);
  int (*xSleep)(ps_sqlite3_vfs *, int);
  int (*xCurrentTime)(ps_sqlite3_vfs *, double *);
  int (*xGetLastError)(ps_sqlite3_vfs *, int, char *);
  int (*xCurrentTimeInt64)(ps_sqlite3_vfs *, ps_int64 *);
};

ps_sqlite3_vfs *sqlite_nio_sqlite3_vfs_find(const char *name);
int sqlite_nio_sqlite3_vfs_register(ps_sqlite3_vfs *vfs, int makeDefault);
ps_sqlite3_file *sqlite_nio_sqlite3_database_file_object(const char *name);

#define PS_SQLITE_NOMEM 7
#define PS_SQLITE_IOERR_WRITE (10 | (3 << 8))
#define PS_SQLITE_OPEN_WAL 0x00080000
#define PS_SQLITE_SHM_UNLOCK 1
#define PS_SQLITE_SHM_EXCLUSIVE 8
/// The log's write lock is the first of the shared-memory locks (WAL_WRITE_LOCK).
#define PS_WAL_WRITE_LOCK 0
/// A write past this many buffered bytes flushes first; a larger one goes straight through.
#define PS_BUFFER_LIMIT (16 * 1024 * 1024)
/// The most the default VFS writes in one call: it masks a write's length with 0x1ffff (its
/// pages are at most 64 KiB), so the buffer goes out in pieces of 124 KiB (whole 4 KiB blocks).
#define PS_WRITE_LIMIT (31 * 4096)

typedef struct ps_file ps_file;
struct ps_file {
  ps_sqlite3_file base;
  /// The default VFS's file, in the memory right after this struct.
  ps_sqlite3_file *real;
  /// For a `-wal` file: the pending bytes, which belong at `start` in the file.
  unsigned char *pending;
  int length;
  int capacity;
  ps_int64 start;
  /// For a `-wal` file, its database's file; for a database file, its open log.
  ps_file *database;
  ps_file *log;
};

static ps_sqlite3_vfs *ps_real_vfs;
static ps_sqlite3_vfs ps_vfs;
static _Thread_local ps_batched_wal_counts ps_counts;

ps_batched_wal_counts ps_batched_wal_statistics(void) {
  ps_batched_wal_counts counts;
  counts.writes = ps_counts.writes;
  counts.flushes = ps_counts.flushes;
  return counts;
}

/// Writes the pending bytes, if any. A failed write drops them and says so: SQLite then fails
/// the sync, read or write that asked, and with it the transaction.
static int ps_flush(ps_file *file) {
  if (file == NULL || file->length == 0) return PS_SQLITE_OK;
  int status = PS_SQLITE_OK;
  for (int done = 0; done < file->length && status == PS_SQLITE_OK; done += PS_WRITE_LIMIT) {
    int amount = file->length - done < PS_WRITE_LIMIT ? file->length - done : PS_WRITE_LIMIT;
    status = file->real->pMethods->xWrite(file->real, file->pending + done, amount, file->start + done);
    ps_counts.flushes += 1;
  }
  file->length = 0;
  return status;
}

static int ps_close(ps_sqlite3_file *f) {
  ps_file *file = (ps_file *)f;
  int flushed = ps_flush(file);
  if (file->database != NULL && file->database->log == file) file->database->log = NULL;
  if (file->log != NULL) file->log->database = NULL;
  free(file->pending);
  file->pending = NULL;
  int status = file->real->pMethods->xClose(file->real);
  return flushed != PS_SQLITE_OK ? flushed : status;
}

static int ps_read(ps_sqlite3_file *f, void *buffer, int amount, ps_int64 offset) {
  ps_file *file = (ps_file *)f;
  int status = ps_flush(file);
  if (status != PS_SQLITE_OK) return status;
  return file->real->pMethods->xRead(file->real, buffer, amount, offset);
}

static int ps_write(ps_sqlite3_file *f, const void *buffer, int amount, ps_int64 offset) {
  ps_file *file = (ps_file *)f;
  if (file->database == NULL) {
    return file->real->pMethods->xWrite(file->real, buffer, amount, offset);
  }
  ps_counts.writes += 1;
  int follows = file->length > 0 && offset == file->start + file->length;
  if (!follows || file->length + amount > PS_BUFFER_LIMIT) {
    int status = ps_flush(file);
    if (status != PS_SQLITE_OK) return status;
    if (amount > PS_WRITE_LIMIT) {
      // Never from SQLite's log (a frame is a page and its header), but kept whole if it were.
      return file->real->pMethods->xWrite(file->real, buffer, amount, offset);
    }
    file->start = offset;
  }
  if (file->length + amount > file->capacity) {
    int capacity = file->capacity == 0 ? 256 * 1024 : file->capacity;
    while (capacity < file->length + amount) capacity *= 2;
    unsigned char *grown = realloc(file->pending, (size_t)capacity);
    if (grown == NULL) {
      // No memory for the buffer: write what is there and this one directly.
      int status = ps_flush(file);
      if (status != PS_SQLITE_OK) return status;
      return file->real->pMethods->xWrite(file->real, buffer, amount, offset);
    }
    file->pending = grown;
    file->capacity = capacity;
  }
  memcpy(file->pending + file->length, buffer, (size_t)amount);
  file->length += amount;
  return PS_SQLITE_OK;
}

static int ps_truncate(ps_sqlite3_file *f, ps_int64 size) {
  ps_file *file = (ps_file *)f;
  int status = ps_flush(file);
  if (status != PS_SQLITE_OK) return status;
  return file->real->pMethods->xTruncate(file->real, size);
}

static int ps_sync(ps_sqlite3_file *f, int flags) {
  ps_file *file = (ps_file *)f;
  int status = ps_flush(file);
  if (status != PS_SQLITE_OK) return status;
  return file->real->pMethods->xSync(file->real, flags);
}

static int ps_file_size(ps_sqlite3_file *f, ps_int64 *size) {
  ps_file *file = (ps_file *)f;
  int status = ps_flush(file);
  if (status != PS_SQLITE_OK) return status;
  return file->real->pMethods->xFileSize(file->real, size);
}

static int ps_lock(ps_sqlite3_file *f, int level) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xLock(file->real, level);
}

static int ps_unlock(ps_sqlite3_file *f, int level) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xUnlock(file->real, level);
}

static int ps_check_reserved_lock(ps_sqlite3_file *f, int *result) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xCheckReservedLock(file->real, result);
}

static int ps_file_control(ps_sqlite3_file *f, int op, void *argument) {
  ps_file *file = (ps_file *)f;
  int status = ps_flush(file);
  if (status != PS_SQLITE_OK) return status;
  return file->real->pMethods->xFileControl(file->real, op, argument);
}

static int ps_sector_size(ps_sqlite3_file *f) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xSectorSize(file->real);
}

static int ps_device_characteristics(ps_sqlite3_file *f) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int ps_shm_map(ps_sqlite3_file *f, int page, int size, int extend, void volatile **map) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xShmMap(file->real, page, size, extend, map);
}

static int ps_shm_lock(ps_sqlite3_file *f, int offset, int count, int flags) {
  ps_file *file = (ps_file *)f;
  // The log's pending frames go out before another connection may write after them.
  if (offset == PS_WAL_WRITE_LOCK && (flags & PS_SQLITE_SHM_UNLOCK)
      && (flags & PS_SQLITE_SHM_EXCLUSIVE)) {
    int status = ps_flush(file->log);
    if (status != PS_SQLITE_OK) return status;
  }
  return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void ps_shm_barrier(ps_sqlite3_file *f) {
  ps_file *file = (ps_file *)f;
  // Written before the log index tells other connections about the frames. With `synchronous`
  // FULL, as the writer runs, the commit's sync has written them already and nothing is
  // pending here; the barrier cannot report an error, so this is only a safety net.
  (void)ps_flush(file->log);
  file->real->pMethods->xShmBarrier(file->real);
}

static int ps_shm_unmap(ps_sqlite3_file *f, int deleteFlag) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xShmUnmap(file->real, deleteFlag);
}

static int ps_fetch(ps_sqlite3_file *f, ps_int64 offset, int amount, void **pointer) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xFetch(file->real, offset, amount, pointer);
}

static int ps_unfetch(ps_sqlite3_file *f, ps_int64 offset, void *pointer) {
  ps_file *file = (ps_file *)f;
  return file->real->pMethods->xUnfetch(file->real, offset, pointer);
}

static const ps_sqlite3_io_methods ps_methods = {
  3, ps_close, ps_read, ps_write, ps_truncate, ps_sync, ps_file_size, ps_lock, ps_unlock,
  ps_check_reserved_lock, ps_file_control, ps_sector_size, ps_device_characteristics,
  ps_shm_map, ps_shm_lock, ps_shm_barrier, ps_shm_unmap, ps_fetch, ps_unfetch,
};

static int ps_open(
  ps_sqlite3_vfs *vfs, const char *name, ps_sqlite3_file *f, int flags, int *outFlags)
{
  (void)vfs;
  ps_file *file = (ps_file *)f;
  memset(file, 0, sizeof(ps_file));
  file->real = (ps_sqlite3_file *)(file + 1);
  int status = ps_real_vfs->xOpen(ps_real_vfs, name, file->real, flags, outFlags);
  if (status != PS_SQLITE_OK || file->real->pMethods == NULL) {
    // SQLite closes a file only if its methods are set.
    file->base.pMethods = NULL;
    return status;
  }
  if ((flags & PS_SQLITE_OPEN_WAL) && name != NULL) {
    // The log's database is this VFS's file too: the connection opened it first.
    ps_file *database = (ps_file *)sqlite_nio_sqlite3_database_file_object(name);
    if (database != NULL && database->base.pMethods == &ps_methods) {
      file->database = database;
      database->log = file;
    }
  }
  file->base.pMethods = &ps_methods;
  return PS_SQLITE_OK;
}

static int ps_delete(ps_sqlite3_vfs *vfs, const char *name, int syncDirectory) {
  (void)vfs;
  return ps_real_vfs->xDelete(ps_real_vfs, name, syncDirectory);
}

static int ps_access(ps_sqlite3_vfs *vfs, const char *name, int flags, int *result) {
  (void)vfs;
  return ps_real_vfs->xAccess(ps_real_vfs, name, flags, result);
}

static int ps_full_pathname(ps_sqlite3_vfs *vfs, const char *name, int size, char *out) {
  (void)vfs;
  return ps_real_vfs->xFullPathname(ps_real_vfs, name, size, out);
}

static void *ps_dl_open(ps_sqlite3_vfs *vfs, const char *name) {
  (void)vfs;
  return ps_real_vfs->xDlOpen(ps_real_vfs, name);
}

static void ps_dl_error(ps_sqlite3_vfs *vfs, int size, char *message) {
  (void)vfs;
  ps_real_vfs->xDlError(ps_real_vfs, size, message);
}

static void (*ps_dl_sym(ps_sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
  (void)vfs;
  return ps_real_vfs->xDlSym(ps_real_vfs, handle, symbol);
}

static void ps_dl_close(ps_sqlite3_vfs *vfs, void *handle) {
  (void)vfs;
  ps_real_vfs->xDlClose(ps_real_vfs, handle);
}

static int ps_randomness(ps_sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs;
  return ps_real_vfs->xRandomness(ps_real_vfs, size, out);
}

static int ps_sleep(ps_sqlite3_vfs *vfs, int microseconds) {
  (void)vfs;
  return ps_real_vfs->xSleep(ps_real_vfs, microseconds);
}

static int ps_current_time(ps_sqlite3_vfs *vfs, double *now) {
  (void)vfs;
  return ps_real_vfs->xCurrentTime(ps_real_vfs, now);
}

static int ps_get_last_error(ps_sqlite3_vfs *vfs, int size, char *message) {
  (void)vfs;
  return ps_real_vfs->xGetLastError(ps_real_vfs, size, message);
}

static int ps_current_time_int64(ps_sqlite3_vfs *vfs, ps_int64 *now) {
  (void)vfs;
  return ps_real_vfs->xCurrentTimeInt64(ps_real_vfs, now);
}

int ps_batched_wal_vfs_register(void) {
  static int registered = 0;
  static int status = PS_SQLITE_OK;
  // Called once, from Swift's lazy static initialiser (thread-safe there).
  if (registered) return status;
  registered = 1;
  ps_real_vfs = sqlite_nio_sqlite3_vfs_find(NULL);
  if (ps_real_vfs == NULL || ps_real_vfs->iVersion < 2) return status = PS_SQLITE_NOMEM;
  ps_vfs.iVersion = 2;
  ps_vfs.szOsFile = (int)sizeof(ps_file) + ps_real_vfs->szOsFile;
  ps_vfs.mxPathname = ps_real_vfs->mxPathname;
  ps_vfs.zName = PS_BATCHED_WAL_VFS;
  ps_vfs.xOpen = ps_open;
  ps_vfs.xDelete = ps_delete;
  ps_vfs.xAccess = ps_access;
  ps_vfs.xFullPathname = ps_full_pathname;
  ps_vfs.xDlOpen = ps_dl_open;
  ps_vfs.xDlError = ps_dl_error;
  ps_vfs.xDlSym = ps_dl_sym;
  ps_vfs.xDlClose = ps_dl_close;
  ps_vfs.xRandomness = ps_randomness;
  ps_vfs.xSleep = ps_sleep;
  ps_vfs.xCurrentTime = ps_current_time;
  ps_vfs.xGetLastError = ps_get_last_error;
  ps_vfs.xCurrentTimeInt64 = ps_current_time_int64;
  return status = sqlite_nio_sqlite3_vfs_register(&ps_vfs, 0);
}
