// The module is mostly its header (include/CSQLiteShared.h): the functions live in SQLiteNIO's
// copy of SQLite. batched_wal.c adds a VFS over it.
#include "CSQLiteShared.h"
