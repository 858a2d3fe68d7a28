/*
 * sqlite-deadline: a SQLite loadable extension that stops a statement at its deadline.
 *
 * SQLite has no statement timeout, better-sqlite3 is built without the progress callback,
 * and neither library exposes sqlite3_interrupt(). This extension gives each connection a
 * watchdog thread: `SELECT deadline_arm(ms, token)` arms it (0 disarms), and once the
 * deadline passes it calls sqlite3_interrupt() on the connection (documented as safe from
 * another thread) every millisecond until disarmed, so a statement started after one
 * interrupt cleared the flag is stopped as well. The statement fails with SQLITE_INTERRUPT
 * and its changes are rolled back.
 *
 * `deadline_token()` answers a random token once, to whoever loaded the extension; every
 * later arming must carry it, so SQL sent by clients cannot disarm its own deadline.
 *
 * Built at install time (build/native.mjs) with the machine's C compiler against the
 * sqlite3ext.h that better-sqlite3 ships; nothing is downloaded.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

typedef struct {
  sqlite3 *db;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  struct timespec deadline;
  int armed;
  /* When the watchdog will look again on its own (0: it waits until it is woken). */
  struct timespec wake_at;
  int sleeping;
  int stopping;
  sqlite3_int64 token;
  int token_given;
} Watchdog;

static int passed(const struct timespec *deadline) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > deadline->tv_sec || (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static struct timespec after_ms(double ms) {
  struct timespec at;
  clock_gettime(CLOCK_MONOTONIC, &at);
  int64_t ns = (int64_t)at.tv_nsec + (int64_t)(ms * 1e6);
  at.tv_sec += (time_t)(ns / 1000000000);
  at.tv_nsec = (long)(ns % 1000000000);
  return at;
}

static int earlier(const struct timespec *a, const struct timespec *b) {
  return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * The watchdog sleeps until the deadline it knows of, and is woken only when a call arms an
 * earlier one: disarming and re-arming later (every request does) wakes nobody, so the
 * connection's thread never waits on the watchdog's.
 */
static void *watch(void *data) {
  Watchdog *w = data;
  pthread_mutex_lock(&w->lock);
  while (!w->stopping) {
    if (!w->armed) {
      w->sleeping = 0;
      pthread_cond_wait(&w->wake, &w->lock);
    } else if (passed(&w->deadline)) {
      sqlite3_interrupt(w->db);
      w->wake_at = after_ms(1);
      w->sleeping = 1;
      pthread_cond_timedwait(&w->wake, &w->lock, &w->wake_at);
    } else {
      w->wake_at = w->deadline;
      w->sleeping = 1;
      pthread_cond_timedwait(&w->wake, &w->lock, &w->wake_at);
    }
  }
  pthread_mutex_unlock(&w->lock);
  return 0;
}

static void deadline_token(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Watchdog *w = sqlite3_user_data(ctx);
  (void)argc;
  (void)argv;
  if (w->token_given) {
    sqlite3_result_error(ctx, "deadline_token() answers once", -1);
    return;
  }
  w->token_given = 1;
  sqlite3_result_int64(ctx, w->token);
}

static void deadline_arm(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Watchdog *w = sqlite3_user_data(ctx);
  (void)argc;
  if (!w->token_given || sqlite3_value_int64(argv[1]) != w->token) {
    sqlite3_result_error(ctx, "deadline_arm(): not authorized", -1);
    return;
  }
  double ms = sqlite3_value_double(argv[0]);
  pthread_mutex_lock(&w->lock);
  w->armed = ms > 0;
  if (w->armed) {
    w->deadline = after_ms(ms);
    /* Asleep for good, or until later than this deadline: it must look sooner. */
    if (!w->sleeping || earlier(&w->deadline, &w->wake_at)) pthread_cond_signal(&w->wake);
  }
  pthread_mutex_unlock(&w->lock);
  sqlite3_result_null(ctx);
}

static void stop(void *data) {
  Watchdog *w = data;
  pthread_mutex_lock(&w->lock);
  w->stopping = 1;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, 0);
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->lock);
  sqlite3_free(w);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_extension_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  (void)error;
  Watchdog *w = sqlite3_malloc(sizeof(Watchdog));
  if (!w) return SQLITE_NOMEM;
  w->db = db;
  w->armed = 0;
  w->stopping = 0;
  w->token_given = 0;
  w->sleeping = 0;
  sqlite3_randomness(sizeof(w->token), &w->token);
  pthread_mutex_init(&w->lock, 0);
  pthread_condattr_t attributes;
  pthread_condattr_init(&attributes);
#ifndef __APPLE__
  pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
#endif
  pthread_cond_init(&w->wake, &attributes);
  pthread_condattr_destroy(&attributes);
  if (pthread_create(&w->thread, 0, watch, w) != 0) {
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    sqlite3_free(w);
    return SQLITE_ERROR;
  }
  /* The arming function owns the watchdog: it is stopped when the connection closes. */
  int rc = sqlite3_create_function_v2(db, "deadline_arm", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, w, deadline_arm, 0, 0, stop);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_create_function_v2(db, "deadline_token", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, w, deadline_token, 0, 0, 0);
}
