// SQLite's default page cache with one page number filed differently (see CSQLiteShared.h,
// `ps_page_cache_install`).
//
// When a B-tree split swaps two new pages' numbers, SQLite (`balance_nonroot`) parks one page
// for a moment under the number of the page that holds the file's lock bytes: 262,145 for
// 4 KiB pages, a page no database ever uses. SQLite's cache (`pcache1`) remembers the largest
// number it has seen since it was last cut back, and at every commit cuts back to the file's
// size: when that largest number is further above the size than the cache has hash slots, it
// scans every slot and every page. On a file below 1 GiB every split made the next commit scan
// the whole cache: 220 µs with the writer's 32 MB (perf probes, 2026-12-07), at the commit
// that every request of a group waits for. Here that parked number is filed under 0, a number
// SQLite never gives a page, so the largest number seen stays within the file.
#include <stdlib.h>

#include "CSQLiteShared.h"

// The parts of sqlite3.h's page cache interface used here, as its stable ABI lays them out.
typedef struct ps_sqlite3_pcache ps_sqlite3_pcache;
typedef struct ps_sqlite3_pcache_page ps_sqlite3_pcache_page;

typedef struct ps_sqlite3_pcache_methods2 {
  int iVersion;
  void *pArg;
  int (*xInit)(void *);
  void (*xShutdown)(void *);
  ps_sqlite3_pcache *(*xCreate)(int szPage, int szExtra, int bPurgeable);
  void (*xCachesize)(ps_sqlite3_pcache *, int nCachesize);
  int (*xPagecount)(ps_sqlite3_pcache *);
  ps_sqlite3_pcache_page *(*xFetch)(ps_sqlite3_pcache *, unsigned key, int createFlag);
  void (*xUnpin)(ps_sqlite3_pcache *, ps_sqlite3_pcache_page *, int discard);
  void (*xRekey)(ps_sqlite3_pcache *, ps_sqlite3_pcache_page *, unsigned oldKey, unsigned newKey);
  void (*xTruncate)(ps_sqlite3_pcache *, unsigned iLimit);
  void (*xDestroy)(ps_sqlite3_pcache *);
  void (*xShrink)(ps_sqlite3_pcache *);
} ps_sqlite3_pcache_methods2;

#define PS_SQLITE_CONFIG_PCACHE2 18
#define PS_SQLITE_CONFIG_GETPCACHE2 19
// SQLite's PENDING_BYTE: the first byte past 1 GiB.
#define PS_PENDING_BYTE 0x40000000

int sqlite_nio_sqlite3_config(int option, ...);

typedef struct ps_cache {
  ps_sqlite3_pcache *inner;
  // The lock bytes' page number at this cache's page size.
  unsigned parkedKey;
} ps_cache;

static ps_sqlite3_pcache_methods2 ps_inner;
static int ps_installed;
// Per thread, so that a test counts its own connection's splits only.
static _Thread_local int64_t ps_parked_count;

static unsigned ps_key(ps_cache *cache, unsigned key) {
  return key == cache->parkedKey ? 0 : key;
}

static int ps_init(void *argument) {
  (void)argument;
  return ps_inner.xInit ? ps_inner.xInit(ps_inner.pArg) : PS_SQLITE_OK;
}

static void ps_shutdown(void *argument) {
  (void)argument;
  if (ps_inner.xShutdown) ps_inner.xShutdown(ps_inner.pArg);
}

static ps_sqlite3_pcache *ps_create(int pageSize, int extraSize, int purgeable) {
  ps_cache *cache = malloc(sizeof(ps_cache));
  if (cache == NULL) return NULL;
  cache->inner = ps_inner.xCreate(pageSize, extraSize, purgeable);
  if (cache->inner == NULL) {
    free(cache);
    return NULL;
  }
  cache->parkedKey = (unsigned)(PS_PENDING_BYTE / pageSize) + 1;
  return (ps_sqlite3_pcache *)cache;
}

static void ps_cache_size(ps_sqlite3_pcache *c, int pages) {
  ps_inner.xCachesize(((ps_cache *)c)->inner, pages);
}

static int ps_page_count(ps_sqlite3_pcache *c) {
  return ps_inner.xPagecount(((ps_cache *)c)->inner);
}

static ps_sqlite3_pcache_page *ps_fetch(ps_sqlite3_pcache *c, unsigned key, int create) {
  ps_cache *cache = (ps_cache *)c;
  return ps_inner.xFetch(cache->inner, ps_key(cache, key), create);
}

static void ps_unpin(ps_sqlite3_pcache *c, ps_sqlite3_pcache_page *page, int discard) {
  ps_inner.xUnpin(((ps_cache *)c)->inner, page, discard);
}

static void ps_rekey(
  ps_sqlite3_pcache *c, ps_sqlite3_pcache_page *page, unsigned oldKey, unsigned newKey)
{
  ps_cache *cache = (ps_cache *)c;
  if (newKey == cache->parkedKey) ps_parked_count += 1;
  ps_inner.xRekey(cache->inner, page, ps_key(cache, oldKey), ps_key(cache, newKey));
}

static void ps_truncate(ps_sqlite3_pcache *c, unsigned limit) {
  ps_inner.xTruncate(((ps_cache *)c)->inner, limit);
}

static void ps_destroy(ps_sqlite3_pcache *c) {
  ps_cache *cache = (ps_cache *)c;
  ps_inner.xDestroy(cache->inner);
  free(cache);
}

static void ps_shrink(ps_sqlite3_pcache *c) {
  if (ps_inner.xShrink) ps_inner.xShrink(((ps_cache *)c)->inner);
}

static const ps_sqlite3_pcache_methods2 ps_methods = {
  1, NULL, ps_init, ps_shutdown, ps_create, ps_cache_size, ps_page_count, ps_fetch, ps_unpin,
  ps_rekey, ps_truncate, ps_destroy, ps_shrink,
};

int ps_page_cache_install(void) {
  if (ps_installed) return PS_SQLITE_OK;
  int status = sqlite_nio_sqlite3_config(PS_SQLITE_CONFIG_GETPCACHE2, &ps_inner);
  if (status != PS_SQLITE_OK) return status;
  status = sqlite_nio_sqlite3_config(PS_SQLITE_CONFIG_PCACHE2, &ps_methods);
  if (status == PS_SQLITE_OK) ps_installed = 1;
  return status;
}

// At load, before `main` and before anything can have used SQLite: one thread, and in every
// binary that links this module, the tests included.
__attribute__((constructor)) static void ps_page_cache_install_at_load(void) {
  (void)ps_page_cache_install();
}

int ps_page_cache_installed(void) {
  return ps_installed;
}

int64_t ps_page_cache_parked_pages(void) {
  return ps_parked_count;
}
