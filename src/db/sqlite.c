/*
 * sqlite.c - the embedded SQLite driver. One connection per thread, in WAL
 * mode so readers never wait for the writer; a busy timeout lets concurrent
 * writers queue instead of failing. Prepared statements are cached per
 * connection keyed by the address of their SQL text (SQL is always a string
 * literal), so the hot path never re-parses SQL.
 */
#include <pthread.h>
#include <time.h>
#include <sqlite3.h>

#include "db_internal.h"

#define STMT_CACHE_SIZE 256

struct db_stmt {
	const struct db_driver *driver;
	sqlite3_stmt *stmt;
	struct sqlite_db *owner;
};

struct sqlite_db {
	struct db base;
	sqlite3 *conn;
	struct {
		const char *sql;
		struct db_stmt st;
	} cache[STMT_CACHE_SIZE];
	size_t n_cached;
};

static int map_rc(struct sqlite_db *sdb, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: return DB_OK;
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: return DB_DONE;
	case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_BUSY;
	default:
		fprintf(stderr, "sqlite error %d: %s\n", rc, sqlite3_errmsg(sdb->conn));
		return DB_ERROR;
	}
}

/*
 * Before the library initialises: connections are never shared between
 * threads (one per thread), and memory statistics are off, because keeping
 * them takes a process-wide mutex on every allocation SQLite makes.
 */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;

static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * Waiting for another connection's write lock: SQLite's own timeout
 * handler sleeps 1 ms, 2 ms, 5 ms... while a sale holds the lock for
 * about 0.1 ms, so the waiter slept ten times longer than needed. Poll
 * every 100 µs instead, for up to 10 s (10^5 tries), then report busy.
 */
#define BUSY_POLL_NS 100000L
#define BUSY_MAX_TRIES 100000

static int wait_briefly(void *unused, int n_tries)
{
	UNUSED(unused);
	if (n_tries >= BUSY_MAX_TRIES)
		return 0;
	struct timespec ts = { 0, BUSY_POLL_NS };
	nanosleep(&ts, NULL);
	return 1;
}

static int sq_open(const char *path, struct db **out, char *err, size_t err_len)
{
	pthread_once(&sqlite_configured, sqlite_configure);
	struct sqlite_db *sdb = xcalloc(1, sizeof(*sdb));
	int rc = sqlite3_open_v2(path, &sdb->conn,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		xsnprintf(err, err_len, "cannot open SQLite database %s: %s", path,
			  sdb->conn ? sqlite3_errmsg(sdb->conn) : "out of memory");
		sqlite3_close(sdb->conn);
		free(sdb);
		return -1;
	}
	sqlite3_busy_handler(sdb->conn, wait_briefly, NULL);
	sqlite3_extended_result_codes(sdb->conn, 1);
	/* WAL: readers and the one writer do not block each other. NORMAL
	 * synchronous is durable against process crashes, which is what a
	 * till needs; the OS crash window is a few milliseconds of commits. */
	if (sqlite3_exec(sdb->conn,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
			 NULL, NULL, NULL) != SQLITE_OK) {
		xsnprintf(err, err_len, "cannot configure SQLite database %s: %s", path,
			  sqlite3_errmsg(sdb->conn));
		sqlite3_close(sdb->conn);
		free(sdb);
		return -1;
	}
	sdb->base.driver = &db_sqlite_driver;
	*out = &sdb->base;
	return 0;
}

static void sq_close(struct db *db)
{
	struct sqlite_db *sdb = (struct sqlite_db *)db;
	for (size_t i = 0; i < sdb->n_cached; i++)
		sqlite3_finalize(sdb->cache[i].st.stmt);
	sqlite3_close(sdb->conn);
	free(sdb);
}

static struct db_stmt *sq_prepare(struct db *db, const char *sql)
{
	struct sqlite_db *sdb = (struct sqlite_db *)db;
	for (size_t i = 0; i < sdb->n_cached; i++)
		if (sdb->cache[i].sql == sql)
			return &sdb->cache[i].st;
	if (sdb->n_cached == STMT_CACHE_SIZE)
		die("sqlite: more than %d distinct statements; raise STMT_CACHE_SIZE", STMT_CACHE_SIZE);
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v3(sdb->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite prepare failed: %s\n  in: %s\n", sqlite3_errmsg(sdb->conn), sql);
		return NULL;
	}
	size_t i = sdb->n_cached++;
	sdb->cache[i].sql = sql;
	sdb->cache[i].st.driver = &db_sqlite_driver;
	sdb->cache[i].st.stmt = stmt;
	sdb->cache[i].st.owner = sdb;
	return &sdb->cache[i].st;
}

static int sq_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	return map_rc(st->owner, sqlite3_bind_int64(st->stmt, idx, v));
}

static int sq_bind_text(struct db_stmt *st, int idx, const char *s, size_t len)
{
	if (len > INT32_MAX)
		return DB_ERROR;
	return map_rc(st->owner, sqlite3_bind_text(st->stmt, idx, s, (int)len, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct db_stmt *st, int idx)
{
	return map_rc(st->owner, sqlite3_bind_null(st->stmt, idx));
}

static int sq_step(struct db_stmt *st)
{
	return map_rc(st->owner, sqlite3_step(st->stmt));
}

static int64_t sq_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->stmt, col);
}

static const char *sq_col_text(struct db_stmt *st, int col, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(st->stmt, col);
	if (len)
		*len = t ? (size_t)sqlite3_column_bytes(st->stmt, col) : 0;
	return t ? (const char *)t : "";
}

static bool sq_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

static void sq_done(struct db_stmt *st)
{
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
}

static int sq_exec(struct db *db, const char *sql)
{
	struct sqlite_db *sdb = (struct sqlite_db *)db;
	char *msg = NULL;
	int rc = sqlite3_exec(sdb->conn, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "sqlite exec failed: %s\n", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERROR;
	}
	return DB_OK;
}

/* Transaction control through cached statements: sqlite3_exec would
 * parse "BEGIN" again on every page view that reads in a transaction. */
static int run_control(struct db *db, const char *sql)
{
	struct db_stmt *st = sq_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	int rc = sq_step(st);
	sq_done(st);
	return rc == DB_DONE ? DB_OK : rc;
}

static const char sql_begin[] = "BEGIN";
static const char sql_begin_immediate[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";

static int sq_begin(struct db *db, bool for_write)
{
	return run_control(db, for_write ? sql_begin_immediate : sql_begin);
}

static int sq_commit(struct db *db)
{
	return run_control(db, sql_commit);
}

static int sq_rollback(struct db *db)
{
	struct sqlite_db *sdb = (struct sqlite_db *)db;
	if (sqlite3_get_autocommit(sdb->conn))
		return DB_OK;
	return run_control(db, sql_rollback);
}

static int64_t sq_last_insert_id(struct db *db)
{
	return sqlite3_last_insert_rowid(((struct sqlite_db *)db)->conn);
}

static int64_t sq_changes(struct db *db)
{
	return sqlite3_changes64(((struct sqlite_db *)db)->conn);
}

static const char *sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(((struct sqlite_db *)db)->conn);
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_is_null = sq_col_is_null,
	.done = sq_done,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.last_insert_id = sq_last_insert_id,
	.changes = sq_changes,
	.errmsg = sq_errmsg,
};
