// The module is its header (include/CSQLiteShared.h): the functions live in SQLiteNIO's copy
// of SQLite.
#include "CSQLiteShared.h"
