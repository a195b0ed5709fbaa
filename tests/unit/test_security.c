/*
 * test_security.c - unit tests for src/security: Django's password and
 * CSRF vectors, signing with key rotation and expiry, and the encoders.
 * Expected values were computed independently (Python hashlib/hmac/base64).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/wait.h>
#include <unistd.h>

#include "security/csrf_token.h"
#include "security/password_hasher.h"
#include "security/random.h"
#include "security/signing.h"

#define HASH_600K "pbkdf2_sha256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw="
#define PW_600K "correct horse"

static const char *const no_keys[1] = { NULL };

/* Must run before anything installs keys: the child inherits our state. */
static void test_signing_without_keys_dies(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char out[64];
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		signing_sign("x", STR("v"), out, sizeof(out));
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
}

static void test_password_django_vectors(void **state)
{
	(void)state;
	char out[PASSWORD_HASH_MAX];
	const char *pw = "l\xc3\xa8tmein";

	assert_int_equal(password_hash_with(pw, strlen(pw), "seasalt", 1000000, out, sizeof(out)), 0);
	assert_string_equal(out,
		"pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=");
	assert_int_equal(password_hash_with("", 0, "seasalt", 1000000, out, sizeof(out)), 0);
	assert_string_equal(out,
		"pbkdf2_sha256$1000000$seasalt$pAUSyZaoLVTQI7m08WQqxhpi1U0Xw2Y4lwUxv2L4sSs=");
}

static void test_password_verify_old_hash(void **state)
{
	(void)state;
	char out[PASSWORD_HASH_MAX];
	bool up = false;

	assert_int_equal(password_hash_with(PW_600K, strlen(PW_600K), "testsalt600k", 600000, out,
					    sizeof(out)), 0);
	assert_string_equal(out, HASH_600K);
	assert_true(password_verify(PW_600K, strlen(PW_600K), out, &up));
	assert_true(up);

	/* Each verify costs 600,000 iterations: one wrong password is enough. */
	up = true;
	assert_false(password_verify("correct horsE", 13, out, &up));
	assert_false(up);
}

static void test_password_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"pbkdf2_sha1$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"PBKDF2_SHA256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$0$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$99999999$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$10000001$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$0600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$+600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$-1$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$600000$$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$600000$testsalt600k$",
		"pbkdf2_sha256$600000$testsalt600k",
		"pbkdf2_sha256$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw=$",
		"pbkdf2_sha256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrw",
		"pbkdf2_sha256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hr*=",
		"pbkdf2_sha256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp-Yp7PDNeVT_D1+7XL/eOw0M9Hrw=",
		"pbkdf2_sha256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9Hrx=",
		"pbkdf2_sha256$600000$testsalt600k$YrWtzT0Ba8v6Ioxp+Yp7PDNeVT/D1+7XL/eOw0M9H===",
		"pbkdf2_sha256$600000$testsalt600k$YWJj",
		"!unusable",
		("!" HASH_600K),
		"",
		"$$$",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		bool up = true;
		if (password_verify(PW_600K, strlen(PW_600K), bad[i], &up))
			fail_msg("accepted malformed hash %s", bad[i]);
		assert_false(up);
	}
	assert_false(password_verify(PW_600K, strlen(PW_600K), NULL, NULL));

	/* Longer than PASSWORD_HASH_MAX: refused before parsing. */
	char big[PASSWORD_HASH_MAX + 16];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, HASH_600K, strlen(HASH_600K));
	assert_false(password_verify(PW_600K, strlen(PW_600K), big, NULL));

	/* password_hash_with refuses what it could not verify. */
	char out[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash_with("x", 1, "bad$salt", 1, out, sizeof(out)), -1);
	assert_int_equal(password_hash_with("x", 1, "", 1, out, sizeof(out)), -1);
	assert_int_equal(password_hash_with("x", 1, "salt", 0, out, sizeof(out)), -1);
	assert_int_equal(password_hash_with("x", 1, "salt", PASSWORD_MAX_ITERATIONS + 1, out,
					    sizeof(out)), -1);
	assert_int_equal(password_hash_with("x", 1, "salt", 1, out, 20), -1);
}

static void test_password_hash_round_trip(void **state)
{
	(void)state;
	char out[PASSWORD_HASH_MAX];
	bool up = true;
	const char *prefix = "pbkdf2_sha256$1000000$";

	assert_int_equal(password_hash("s3cret!", 7, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), strlen(prefix) + 22 + 1 + 44);
	assert_memory_equal(out, prefix, strlen(prefix));
	assert_int_equal(out[strlen(prefix) + 22], '$');
	for (size_t i = 0; i < 22; i++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
				       out[strlen(prefix) + i]));
	assert_true(password_verify("s3cret!", 7, out, &up));
	assert_false(up);
}

static void test_password_dummy_hash(void **state)
{
	(void)state;
	const char *h = password_dummy_hash();
	const char *prefix = "pbkdf2_sha256$1000000$";
	unsigned char key[32];

	assert_ptr_equal(h, password_dummy_hash());
	assert_int_equal(strlen(h), strlen(prefix) + 22 + 1 + 44);
	assert_memory_equal(h, prefix, strlen(prefix));
	assert_int_equal(b64_decode(h + strlen(h) - 44, 44, key, sizeof(key)), 32);
}

static void test_salted_hmac_vector(void **state)
{
	(void)state;
	unsigned char mac[32];
	char hex[65];

	salted_hmac("my-salt", "predictable-secret", "hello", 5, mac);
	hex_encode(mac, sizeof(mac), hex);
	assert_string_equal(hex, "addea0bbf70e857bf824ceb2338258aef9cf2eb797df987d8f71d8253427bc14");
}

static void test_sign_unsign_round_trip(void **state)
{
	(void)state;
	char out[128];
	str v;

	signing_set_keys("test-key-1", NULL, 0);
	assert_int_equal(signing_sign("session", STR("user42"), out, sizeof(out)), 50);
	assert_string_equal(out, "user42:meId9MJ-q-GCbf8JPQA0SVPZq6rGUHS6kSxXtdm2TtA");
	assert_int_equal(signing_unsign("session", str_from(out), &v), 0);
	assert_true(str_eq_lit(v, "user42"));

	/* Colons in the value are fine: the signature is after the last one. */
	assert_int_equal(signing_sign("session", STR("a:b:"), out, sizeof(out)), 4 + 1 + 43);
	assert_int_equal(signing_unsign("session", str_from(out), &v), 0);
	assert_true(str_eq_lit(v, "a:b:"));

	assert_int_equal(signing_sign("session", STR(""), out, sizeof(out)), 44);
	assert_int_equal(signing_unsign("session", str_from(out), &v), 0);
	assert_int_equal(v.len, 0);

	/* value + ':' + 43 + NUL is exactly enough; one byte less is not. */
	assert_int_equal(signing_sign("session", STR("user42"), out, 51), 50);
	assert_int_equal(signing_sign("session", STR("user42"), out, 50), -1);
}

static void test_unsign_rejects_tampering(void **state)
{
	(void)state;
	char out[128], bad[128];
	str v = STR("untouched");

	signing_set_keys("test-key-1", NULL, 0);
	assert_int_equal(signing_sign("session", STR("user42"), out, sizeof(out)), 50);

	memcpy(bad, out, sizeof(out));
	bad[5] = '3';
	assert_int_equal(signing_unsign("session", str_from(bad), &v), -1);

	memcpy(bad, out, sizeof(out));
	bad[49] = bad[49] == 'A' ? 'B' : 'A';
	assert_int_equal(signing_unsign("session", str_from(bad), &v), -1);

	memcpy(bad, out, sizeof(out));
	bad[49] = '\0';
	assert_int_equal(signing_unsign("session", str_from(bad), &v), -1);

	assert_int_equal(signing_unsign("session", STR("user42"), &v), -1);
	assert_int_equal(signing_unsign("session", STR(""), &v), -1);
	assert_int_equal(signing_unsign("session", STR_NULL, &v), -1);
	assert_int_equal(signing_unsign("session", STR(":"), &v), -1);
	assert_true(str_eq_lit(v, "untouched"));
}

static void test_signing_purpose_separation(void **state)
{
	(void)state;
	char out[128];
	unsigned char mac[32];
	char hex[65];
	str v;

	signing_set_keys("test-key-1", NULL, 0);
	assert_int_equal(signing_sign("a", STR("x"), out, sizeof(out)), 45);
	assert_int_equal(signing_unsign("a", str_from(out), &v), 0);
	assert_int_equal(signing_unsign("b", str_from(out), &v), -1);

	signing_mac("token", "abc", 3, mac);
	hex_encode(mac, sizeof(mac), hex);
	assert_string_equal(hex, "3a17bad0d74954373fdc843642e1a18ad68edb115aa68de2e24ac2c3e888c4b3");
}

static void test_signing_key_rotation(void **state)
{
	(void)state;
	char old_sig[128], new_sig[128], third_sig[128];
	const char *fallbacks[] = { "third-key", "old-key" };
	str v;

	signing_set_keys("old-key", NULL, 0);
	assert_int_equal(signing_sign("session", STR("user42"), old_sig, sizeof(old_sig)), 50);
	signing_set_keys("third-key", NULL, 0);
	assert_int_equal(signing_sign("session", STR("user42"), third_sig, sizeof(third_sig)), 50);

	signing_set_keys("new-key", fallbacks, 2);
	assert_int_equal(signing_unsign("session", str_from(old_sig), &v), 0);
	assert_true(str_eq_lit(v, "user42"));
	assert_int_equal(signing_unsign("session", str_from(third_sig), &v), 0);
	assert_int_equal(signing_sign("session", STR("user42"), new_sig, sizeof(new_sig)), 50);
	assert_string_not_equal(new_sig, old_sig);
	assert_int_equal(signing_unsign("session", str_from(new_sig), &v), 0);

	signing_set_keys("new-key", no_keys, 0);
	assert_int_equal(signing_unsign("session", str_from(old_sig), &v), -1);
	assert_int_equal(signing_unsign("session", str_from(third_sig), &v), -1);
	assert_int_equal(signing_unsign("session", str_from(new_sig), &v), 0);
	assert_true(str_eq_lit(v, "user42"));
}

static void test_signing_timed(void **state)
{
	(void)state;
	const int64_t ts = 1700000000, max_age = 3600;
	char out[128], bad[128];
	str v;

	signing_set_keys("test-key-1", NULL, 0);
	assert_int_equal(signing_sign_timed("reset", STR("user42"), ts, out, sizeof(out)), 57);
	assert_string_equal(out, "user42:1r31eq:phmO-koOrq1UxIvzhabdorcJCBHzdGlqq5A7_Opwvbg");

	assert_int_equal(signing_unsign_timed("reset", str_from(out), ts, max_age, &v), 0);
	assert_true(str_eq_lit(v, "user42"));
	assert_int_equal(signing_unsign_timed("reset", str_from(out), ts + max_age, max_age, &v), 0);
	assert_int_equal(signing_unsign_timed("reset", str_from(out), ts + max_age + 1, max_age, &v), -1);
	/* Clock skew: up to 60 s in the future is tolerated, not more. */
	assert_int_equal(signing_unsign_timed("reset", str_from(out), ts - 60, max_age, &v), 0);
	assert_int_equal(signing_unsign_timed("reset", str_from(out), ts - 61, max_age, &v), -1);
	assert_int_equal(signing_unsign_timed("session", str_from(out), ts, max_age, &v), -1);

	/* Changing the timestamp breaks the signature. */
	memcpy(bad, out, sizeof(out));
	bad[12] = 'r';
	assert_int_equal(signing_unsign_timed("reset", str_from(bad), ts, INT64_MAX, &v), -1);

	/* A plain signature has no timestamp to check. */
	assert_int_equal(signing_sign("reset", STR("user42"), out, sizeof(out)), 50);
	assert_int_equal(signing_unsign_timed("reset", str_from(out), ts, max_age, &v), -1);

	assert_int_equal(signing_sign_timed("reset", STR("user42"), 0, out, sizeof(out)), 52);
	assert_int_equal(signing_unsign_timed("reset", str_from(out), 0, 0, &v), 0);
	assert_int_equal(signing_sign_timed("reset", STR("user42"), -1, out, sizeof(out)), -1);
	assert_int_equal(signing_sign_timed("reset", STR("user42"), ts, out, 57), -1);
}

static void test_csrf_known_vector(void **state)
{
	(void)state;
	char secret[CSRF_SECRET_LEN + 1];
	const char *token = "0123456789ABCDEFGHIJKLMNOPQRSTUV02468acegiKMOQSUWY02468acegikmoq";

	assert_int_equal(csrf_unmask(str_from(token), secret), 0);
	assert_string_equal(secret, "abcdefghijklmnopqrstuvwxyzABCDEF");
	assert_true(csrf_token_matches(STR("abcdefghijklmnopqrstuvwxyzABCDEF"), str_from(token)));
}

static void test_csrf_mask_round_trip(void **state)
{
	(void)state;
	char secret[CSRF_SECRET_LEN + 1], t1[CSRF_TOKEN_LEN + 1], t2[CSRF_TOKEN_LEN + 1];
	char back[CSRF_SECRET_LEN + 1];

	csrf_new_secret(secret);
	assert_int_equal(strlen(secret), CSRF_SECRET_LEN);
	assert_true(csrf_secret_valid(str_from(secret)));

	csrf_mask(secret, t1);
	csrf_mask(secret, t2);
	assert_int_equal(strlen(t1), CSRF_TOKEN_LEN);
	assert_string_not_equal(t1, t2);
	assert_int_equal(csrf_unmask(str_from(t1), back), 0);
	assert_string_equal(back, secret);
	assert_int_equal(csrf_unmask(str_from(t2), back), 0);
	assert_string_equal(back, secret);

	assert_int_equal(csrf_unmask(STR("short"), back), -1);
	assert_false(csrf_secret_valid(STR("abcdefghijklmnopqrstuvwxyzABCDE")));
	assert_false(csrf_secret_valid(STR("abcdefghijklmnopqrstuvwxyzABCDE-")));
	assert_false(csrf_secret_valid(STR_NULL));
}

static void test_csrf_matches(void **state)
{
	(void)state;
	char secret[CSRF_SECRET_LEN + 1], other[CSRF_SECRET_LEN + 1];
	char token[CSRF_TOKEN_LEN + 1], bad[CSRF_TOKEN_LEN + 1];

	memcpy(secret, "abcdefghijklmnopqrstuvwxyzABCDEF", sizeof(secret));
	memcpy(other, "abcdefghijklmnopqrstuvwxyzABCDEG", sizeof(other));
	csrf_mask(secret, token);

	assert_true(csrf_token_matches(str_from(secret), str_from(token)));
	assert_true(csrf_token_matches(str_from(secret), str_from(secret)));
	assert_false(csrf_token_matches(str_from(other), str_from(token)));
	assert_false(csrf_token_matches(str_from(other), str_from(secret)));

	assert_false(csrf_token_matches(str_from(secret), (str){ token, 63 }));
	assert_false(csrf_token_matches(str_from(secret), (str){ token, 31 }));
	assert_false(csrf_token_matches(str_from(secret), (str){ secret, 31 }));
	assert_false(csrf_token_matches(str_from(secret), STR("")));
	assert_false(csrf_token_matches(str_from(secret), STR_NULL));
	char longer[CSRF_TOKEN_LEN + 2];
	memcpy(longer, token, CSRF_TOKEN_LEN);
	longer[CSRF_TOKEN_LEN] = 'a';
	longer[CSRF_TOKEN_LEN + 1] = '\0';
	assert_false(csrf_token_matches(str_from(secret), str_from(longer)));

	memcpy(bad, token, sizeof(bad));
	bad[40] = '-';
	assert_false(csrf_token_matches(str_from(secret), str_from(bad)));
	memcpy(bad, token, sizeof(bad));
	bad[3] = '\xc3';
	assert_false(csrf_token_matches(str_from(secret), str_from(bad)));
	assert_false(csrf_token_matches(str_from(secret), STR("abcdefghijklmnopqrstuvwxyzABCDE!")));

	/* A bad cookie matches nothing, not even itself. */
	assert_false(csrf_token_matches(STR("abcdefghijklmnopqrstuvwxyzABCDE!"),
					STR("abcdefghijklmnopqrstuvwxyzABCDE!")));
	assert_false(csrf_token_matches(STR("short"), STR("short")));

	/* An unvalidated secret yields a token that matches nothing. */
	csrf_mask("abcdefghijklmnopqrstuvwxyzABCDE!", token);
	assert_int_equal(strlen(token), CSRF_TOKEN_LEN);
	assert_false(csrf_token_matches(STR("abcdefghijklmnopqrstuvwxyzABCDEa"), str_from(token)));
}

static void test_random_alnum(void **state)
{
	(void)state;
	const char *alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static char big[62 * 400 + 1];
	size_t seen[256] = { 0 };
	char small[5];

	memset(small, 'x', sizeof(small));
	random_alnum(small, 3);
	assert_int_equal(small[3], '\0');
	assert_int_equal(small[4], 'x');

	random_alnum(big, sizeof(big) - 1);
	assert_int_equal(strlen(big), sizeof(big) - 1);
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		seen[(unsigned char)big[i]]++;
	/* Every character turns up (missing one by chance: p < 1e-100). */
	for (size_t i = 0; i < 256; i++) {
		bool in = i && strchr(alphabet, (int)i);
		if (in)
			assert_true(seen[i] > 0);
		else
			assert_int_equal(seen[i], 0);
	}
}

static void test_b64url(void **state)
{
	(void)state;
	unsigned char in[64], back[64];
	char enc[100];

	assert_int_equal(b64url_encode("\xfb\xff\xfe", 3, enc, sizeof(enc)), 4);
	assert_string_equal(enc, "-__-");
	assert_int_equal(b64url_encode("hello", 5, enc, sizeof(enc)), 7);
	assert_string_equal(enc, "aGVsbG8");
	assert_int_equal(b64url_encode("hi", 2, enc, sizeof(enc)), 3);
	assert_string_equal(enc, "aGk");
	assert_int_equal(b64url_encode("", 0, enc, sizeof(enc)), 0);
	assert_string_equal(enc, "");
	assert_int_equal(b64url_encode("hello", 5, enc, 7), -1);
	assert_int_equal(b64url_encode("hello", 5, enc, 8), 7);

	assert_int_equal(b64url_decode("-__-", 4, back, sizeof(back)), 3);
	assert_memory_equal(back, "\xfb\xff\xfe", 3);
	assert_int_equal(b64url_decode("aGVsbG8", 7, back, sizeof(back)), 5);
	assert_memory_equal(back, "hello", 5);
	assert_int_equal(b64url_decode("", 0, back, sizeof(back)), 0);

	for (size_t n = 0; n <= sizeof(in); n++) {
		random_bytes(in, n);
		int len = b64url_encode(in, n, enc, sizeof(enc));
		assert_int_equal(len, (int)((n * 4 + 2) / 3));
		assert_int_equal(b64url_decode(enc, (size_t)len, back, sizeof(back)), (int)n);
		assert_memory_equal(back, in, n);
	}

	assert_int_equal(b64url_decode("aGVsbG8=", 8, back, sizeof(back)), -1);
	assert_int_equal(b64url_decode("+//+", 4, back, sizeof(back)), -1);
	assert_int_equal(b64url_decode("aGV!", 4, back, sizeof(back)), -1);
	assert_int_equal(b64url_decode("aGVsb", 5, back, sizeof(back)), -1);
	assert_int_equal(b64url_decode("aGl", 3, back, sizeof(back)), -1);
	assert_int_equal(b64url_decode("aGk\0", 4, back, sizeof(back)), -1);
	assert_int_equal(b64url_decode("aGVsbG8", 7, back, 4), -1);
}

static void test_b64_and_hex(void **state)
{
	(void)state;
	unsigned char back[16];
	char enc[32];

	assert_int_equal(b64_encode("hello", 5, enc, sizeof(enc)), 8);
	assert_string_equal(enc, "aGVsbG8=");
	assert_int_equal(b64_encode("hi", 2, enc, sizeof(enc)), 4);
	assert_string_equal(enc, "aGk=");
	assert_int_equal(b64_encode("\xfb\xff\xfe", 3, enc, sizeof(enc)), 4);
	assert_string_equal(enc, "+//+");
	assert_int_equal(b64_encode("hi", 2, enc, 4), -1);

	assert_int_equal(b64_decode("aGVsbG8=", 8, back, sizeof(back)), 5);
	assert_memory_equal(back, "hello", 5);
	assert_int_equal(b64_decode("aGk=", 4, back, sizeof(back)), 2);
	assert_int_equal(b64_decode("aGk", 3, back, sizeof(back)), -1);
	assert_int_equal(b64_decode("aGl=", 4, back, sizeof(back)), -1);
	assert_int_equal(b64_decode("-__-", 4, back, sizeof(back)), -1);
	assert_int_equal(b64_decode("a===", 4, back, sizeof(back)), -1);
	assert_int_equal(b64_decode("====", 4, back, sizeof(back)), -1);

	hex_encode("\x00\x01\xab\xff", 4, enc);
	assert_string_equal(enc, "0001abff");
	hex_encode("", 0, enc);
	assert_string_equal(enc, "");
}

static void test_ct_equal(void **state)
{
	(void)state;
	assert_true(ct_equal("abc", 3, "abc", 3));
	assert_false(ct_equal("abc", 3, "abd", 3));
	assert_false(ct_equal("abc", 3, "abcd", 4));
	assert_false(ct_equal("abc", 3, "ab", 2));
	assert_true(ct_equal("", 0, "", 0));
	assert_true(ct_equal("a\0b", 3, "a\0b", 3));
	assert_false(ct_equal("a\0b", 3, "a\0c", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signing_without_keys_dies),
		cmocka_unit_test(test_password_django_vectors),
		cmocka_unit_test(test_password_verify_old_hash),
		cmocka_unit_test(test_password_malformed),
		cmocka_unit_test(test_password_hash_round_trip),
		cmocka_unit_test(test_password_dummy_hash),
		cmocka_unit_test(test_salted_hmac_vector),
		cmocka_unit_test(test_sign_unsign_round_trip),
		cmocka_unit_test(test_unsign_rejects_tampering),
		cmocka_unit_test(test_signing_purpose_separation),
		cmocka_unit_test(test_signing_key_rotation),
		cmocka_unit_test(test_signing_timed),
		cmocka_unit_test(test_csrf_known_vector),
		cmocka_unit_test(test_csrf_mask_round_trip),
		cmocka_unit_test(test_csrf_matches),
		cmocka_unit_test(test_random_alnum),
		cmocka_unit_test(test_b64url),
		cmocka_unit_test(test_b64_and_hex),
		cmocka_unit_test(test_ct_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
