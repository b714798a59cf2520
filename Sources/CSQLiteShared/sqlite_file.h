// The parts of sqlite3.h's file interface that the C files here use, as its stable ABI lays
// them out (the copy of SQLite that SQLiteNIO vendors exports no header to include).
#ifndef PS_SQLITE_FILE_H
#define PS_SQLITE_FILE_H

#include <stdint.h>

typedef int64_t ps_int64;
typedef struct ps_sqlite3_file ps_sqlite3_file;
typedef struct ps_sqlite3_io_methods ps_sqlite3_io_methods;

struct ps_sqlite3_file {
  const ps_sqlite3_io_methods *pMethods;
};

struct ps_sqlite3_io_methods {
  int iVersion;
  int (*xClose)(ps_sqlite3_file *);
  int (*xRead)(ps_sqlite3_file *, void *, int, ps_int64);
  int (*xWrite)(ps_sqlite3_file *, const void *, int, ps_int64);
  int (*xTruncate)(ps_sqlite3_file *, ps_int64);
  int (*xSync)(ps_sqlite3_file *, int);
  int (*xFileSize)(ps_sqlite3_file *, ps_int64 *);
  int (*xLock)(ps_sqlite3_file *, int);
  int (*xUnlock)(ps_sqlite3_file *, int);
  int (*xCheckReservedLock)(ps_sqlite3_file *, int *);
  int (*xFileControl)(ps_sqlite3_file *, int, void *);
  int (*xSectorSize)(ps_sqlite3_file *);
  int (*xDeviceCharacteristics)(ps_sqlite3_file *);
  int (*xShmMap)(ps_sqlite3_file *, int, int, int, void volatile **);
  int (*xShmLock)(ps_sqlite3_file *, int, int, int);
  void (*xShmBarrier)(ps_sqlite3_file *);
  int (*xShmUnmap)(ps_sqlite3_file *, int);
  int (*xFetch)(ps_sqlite3_file *, ps_int64, int, void **);
  int (*xUnfetch)(ps_sqlite3_file *, ps_int64, void *);
};

#endif
