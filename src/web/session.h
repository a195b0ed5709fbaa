/*
 * session.h - server-side sessions. The sessionid cookie carries a random
 * 256-bit id, signed with the SECRET_KEY; the database keeps only the
 * SHA-256 of the id, so a leaked table cannot be replayed. The cookie has
 * no Max-Age (it ends when the browser closes); the server adds an idle and
 * an absolute limit (SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT).
 * State lives only in the database, so any instance serves any request.
 */
#ifndef SESSION_H
#define SESSION_H

#include "../http/request.h"

#define SESSION_COOKIE "sessionid"

struct session {
	char id_hash[65];
	int64_t user_id;
	int64_t created_at;
	int64_t last_seen;
	char *flash_json;      /* pending flash messages ("" when none) */
};

/*
 * Reads the cookie and, when it names a live session of an active user,
 * sets req->session and req->user. Expired sessions are deleted.
 * Returns -1 only on a database error.
 */
int session_load(struct request *req);

/* Ends any current session and starts a new one (a new id) for user_id. */
int session_start(struct request *req, int64_t user_id);

/* Deletes the current session and clears the cookie. */
int session_end(struct request *req);

/* Ends every session of a user, but keep_hash (may be NULL). */
int session_end_all_for_user(struct db *db, int64_t user_id, const char *keep_hash);

/* Replaces the pending flash messages of the current session. */
int session_set_flash(struct request *req, const char *flash_json);

#endif
