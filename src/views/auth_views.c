/*
 * auth_views.c - sign-in, sign-out, the home redirect and the health check.
 * Password checks run on the worker pool (PBKDF2 takes ~0.3 s), and a
 * wrong username costs the same as a wrong password: it is checked against
 * a dummy hash, and both get the same message.
 */
#include <openssl/crypto.h>

#include "views.h"
#include "../db/db.h"
#include "../domain/usuario.h"
#include "../security/password_hasher.h"
#include "../web/render.h"
#include "../web/session.h"

#define LOGIN_FAILED_MESSAGE "Credenciales inválidas"
#define PASSWORD_MAX_LEN 4096

struct login_job {
	char *password;
	size_t password_len;
	char stored_hash[PASSWORD_HASH_MAX];
	bool user_found;
	struct user user;
	char next[256];
	/* results from the worker */
	bool ok;
	bool needs_upgrade;
	char new_hash[PASSWORD_HASH_MAX];
};

static const char *home_for(const struct user *u)
{
	switch (u->rol) {
	case ROL_SUPERUSER: return "/admin/";
	case ROL_ADMIN: return "/dashboard/";
	case ROL_VENDEDOR: return "/ventas/";
	}
	return "/login/";
}

/* Only a local path: never "//host" or a scheme, so ?next= cannot send people away. */
static bool next_is_safe(str next)
{
	if (next.len < 1 || next.len > 200 || next.ptr[0] != '/')
		return false;
	if (next.len > 1 && (next.ptr[1] == '/' || next.ptr[1] == '\\'))
		return false;
	for (size_t i = 0; i < next.len; i++)
		if ((unsigned char)next.ptr[i] < 0x21 || next.ptr[i] == '\\' || next.ptr[i] == 0x7f)
			return false;
	return true;
}

static int render_login(struct request *req, int status, const char *username, const char *error,
			const char *next)
{
	json_t *ctx = json_pack("{s:s, s:s, s:s}", "title", "Iniciar sesión", "username", username,
				"next", next);
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	return render_page(req, status, "auth/login.html", ctx);
}

int view_home(struct request *req)
{
	return resp_redirect(req, req->user ? home_for(req->user) : "/login/");
}

int view_login_form(struct request *req)
{
	str next = req_query(req, "next");
	if (req->user)
		return resp_redirect(req, home_for(req->user));
	return render_login(req, 200, "", NULL, next_is_safe(next) ? req_query_cstr(req, "next") : "");
}

static void check_password(void *arg)
{
	struct login_job *job = arg;
	const char *hash = job->user_found ? job->stored_hash : password_dummy_hash();
	job->ok = password_verify(job->password, job->password_len, hash, &job->needs_upgrade) &&
		  job->user_found;
	if (job->ok && job->needs_upgrade &&
	    password_hash(job->password, job->password_len, job->new_hash, sizeof(job->new_hash)) < 0)
		job->new_hash[0] = '\0';
	OPENSSL_cleanse(job->password, job->password_len);
}

static int finish_login(struct request *req, void *arg)
{
	struct login_job *job = arg;
	if (!job->ok || !job->user.activo) {
		fprintf(stderr, "{\"event\":\"login_failed\",\"ip\":\"%.*s\"}\n", (int)req->client_ip.len,
			req->client_ip.ptr);
		return render_login(req, 200, req_form_cstr(req, "username"), LOGIN_FAILED_MESSAGE, job->next);
	}
	if (job->needs_upgrade && job->new_hash[0])
		usuario_set_password(req->db, job->user.id, job->new_hash);
	if (session_start(req, job->user.id) < 0)
		return render_error(req, 500, "ERROR", NULL);
	usuario_touch_login(req->db, job->user.id, req->now);
	/* A new CSRF secret at login, as Django rotates it. */
	req->csrf_secret[0] = '\0';
	csrf_token_for(req);
	fprintf(stderr, "{\"event\":\"login\",\"user\":%lld,\"ip\":\"%.*s\"}\n", (long long)job->user.id,
		(int)req->client_ip.len, req->client_ip.ptr);
	return resp_redirect(req, job->next[0] ? job->next : home_for(&job->user));
}

int view_login(struct request *req)
{
	str username = str_trim(req_form(req, "username"));
	str password = req_form(req, "password");
	str next = req_form(req, "next");
	struct login_job *job = arena_alloc(&req->arena, sizeof(*job));

	if (!job)
		return render_error(req, 413, "TOO_LARGE", "Solicitud demasiado grande.");
	if (next_is_safe(next))
		memcpy(job->next, next.ptr, next.len);
	if (!username.len || !password.ptr || !password.len || username.len > 254 ||
	    password.len > PASSWORD_MAX_LEN)
		return render_login(req, 200, req_form_cstr(req, "username"), LOGIN_FAILED_MESSAGE, job->next);

	job->password = arena_strndup(&req->arena, password.ptr, password.len);
	job->password_len = password.len;
	if (!job->password)
		return render_error(req, 413, "TOO_LARGE", "Solicitud demasiado grande.");
	job->user_found = usuario_for_login(req->db, username, &job->user, job->stored_hash,
					    sizeof(job->stored_hash)) == 0;
	return req_defer(req, check_password, finish_login, job);
}

int view_logout(struct request *req)
{
	if (req->user)
		fprintf(stderr, "{\"event\":\"logout\",\"user\":%lld}\n", (long long)req->user->id);
	session_end(req);
	return resp_redirect(req, "/login/");
}

int view_healthz(struct request *req)
{
	static const char sql[] = "SELECT 1";
	struct db_stmt *st = db_prepare(req->db, sql);
	bool ok = db_step(st) == DB_ROW && db_col_int(st, 0) == 1;
	db_done(st);
	if (!ok)
		return resp_text(req, 503, "text/plain; charset=utf-8", "database unavailable\n", 21);
	return resp_text(req, 200, "text/plain; charset=utf-8", "ok", 2);
}
