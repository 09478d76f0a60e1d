/*
 * password.c — argon2id hashing with a concurrency cap, and the password policy; see
 * password.h.
 */
#include "core/password.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/utf8.h"
#include "core/verr.h"

/* The parameters in force; lowered only by password_set_test_params. */
static _Atomic unsigned long long cur_ops = PASSWORD_OPSLIMIT;
static _Atomic size_t cur_mem = PASSWORD_MEMLIMIT;

/* ---- at most PASSWORD_CONCURRENCY argon2 runs at once ---- */

static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_cv = PTHREAD_COND_INITIALIZER;
static int slots_busy;

static void slot_acquire(void)
{
	pthread_mutex_lock(&slot_mu);
	while (slots_busy >= PASSWORD_CONCURRENCY)
		pthread_cond_wait(&slot_cv, &slot_mu);
	slots_busy++;
	pthread_mutex_unlock(&slot_mu);
}

static void slot_release(void)
{
	pthread_mutex_lock(&slot_mu);
	slots_busy--;
	pthread_cond_signal(&slot_cv);
	pthread_mutex_unlock(&slot_mu);
}

/* ---- hashing ---- */

enum tp_rc password_hash(const char *pw, char out[PASSWORD_PHC_MAX])
{
	int r;

	if (!pw)
		return TP_ERR_INVALID;
	if (sodium_init() < 0)
		return TP_ERR_INTERNAL;
	slot_acquire();
	r = crypto_pwhash_str_alg(out, pw, strlen(pw), atomic_load(&cur_ops),
				  atomic_load(&cur_mem), crypto_pwhash_ALG_ARGON2ID13);
	slot_release();
	return r == 0 ? TP_OK : TP_ERR_NOMEM;
}

int password_verify(const char *phc, const char *pw)
{
	int r;

	if (!phc || !pw || strnlen(phc, PASSWORD_PHC_MAX) == PASSWORD_PHC_MAX)
		return -1;
	if (sodium_init() < 0)
		return -1;
	slot_acquire();
	r = crypto_pwhash_str_verify(phc, pw, strlen(pw));
	slot_release();
	return r == 0 ? 0 : -1;
}

static char dummy_phc[PASSWORD_PHC_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	unsigned char secret[16];
	char pw[33];

	if (sodium_init() < 0)
		return;
	randombytes_buf(secret, sizeof secret);
	sodium_bin2hex(pw, sizeof pw, secret, sizeof secret);
	if (password_hash(pw, dummy_phc) != TP_OK)
		dummy_phc[0] = '\0';
	sodium_memzero(pw, sizeof pw);
}

/*
 * The dummy hash is made at first use with the parameters then in force, so tests that
 * lower them get a cheap dummy too.  Without a dummy (no memory at first use) it hashes
 * pw outright, which costs about the same.
 */
void password_verify_dummy(const char *pw)
{
	if (!pw)
		pw = "";
	pthread_once(&dummy_once, dummy_make);
	if (dummy_phc[0]) {
		(void)password_verify(dummy_phc, pw);
	} else {
		char tmp[PASSWORD_PHC_MAX];
		(void)password_hash(pw, tmp);
	}
}

/* Reads the decimal number after "key=" at *p; -1 when malformed. */
static long long phc_param(const char **p, const char *key)
{
	size_t kl = strlen(key);
	char *end;

	if (strncmp(*p, key, kl) != 0 || (*p)[kl] < '0' || (*p)[kl] > '9')
		return -1;
	long long v = strtoll(*p + kl, &end, 10);
	*p = end;
	return v;
}

/*
 * Weaker means: not argon2id v=19, or a smaller m or t than the parameters in force.  A
 * hash made with stronger parameters is kept (never downgraded).  Since the comparison is
 * with the parameters in force, a process that lowered them with password_set_test_params
 * treats hashes made at those lower parameters as current; restore the defaults with
 * password_set_test_params(PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT).  A string that is not a
 * PHC hash at all needs rehashing (1).
 */
int password_needs_rehash(const char *phc)
{
	static const char prefix[] = "$argon2id$v=19$";
	const char *p;
	long long m, t;

	if (!phc || strncmp(phc, prefix, sizeof prefix - 1) != 0)
		return 1;
	p = phc + sizeof prefix - 1;
	if ((m = phc_param(&p, "m=")) < 0 || *p++ != ',' || (t = phc_param(&p, "t=")) < 0 ||
	    *p++ != ',' || phc_param(&p, "p=") < 0 || *p != '$')
		return 1;
	return (unsigned long long)m < atomic_load(&cur_mem) / 1024 ||
	       (unsigned long long)t < atomic_load(&cur_ops);
}

void password_set_test_params(unsigned long long opslimit, size_t memlimit)
{
	if (opslimit < crypto_pwhash_OPSLIMIT_MIN)
		opslimit = crypto_pwhash_OPSLIMIT_MIN;
	if (memlimit < crypto_pwhash_MEMLIMIT_MIN)
		memlimit = crypto_pwhash_MEMLIMIT_MIN;
	atomic_store(&cur_ops, opslimit);
	atomic_store(&cur_mem, memlimit);
}

/* ---- policy ---- */

struct password_policy password_policy_preset(enum password_policy_kind kind)
{
	static const struct password_policy asvs = { PASSWORD_POLICY_ASVS, 12, 0, 0, 1 };
	static const struct password_policy dengbao3 = { PASSWORD_POLICY_DENGBAO3, 8, 3, 90, 1 };

	return kind == PASSWORD_POLICY_ASVS ? asvs : dengbao3;
}

int password_policy_parse(const char *name, enum password_policy_kind *out)
{
	if (!name)
		return -1;
	if (strcmp(name, "dengbao3") == 0)
		*out = PASSWORD_POLICY_DENGBAO3;
	else if (strcmp(name, "asvs") == 0)
		*out = PASSWORD_POLICY_ASVS;
	else
		return -1;
	return 0;
}

/* Compared case-insensitively with the whole password. */
static const char *const common_passwords[] = {
	"password",   "password1",  "password123", "passw0rd",   "p@ssw0rd",  "p@ssword",
	"12345678",   "123456789",  "1234567890",  "11111111",   "88888888",  "00000000",
	"66666666",   "87654321",   "12341234",    "abc12345",   "abcd1234",  "a123456789",
	"a1234567",   "aa123456",   "qwerty123",   "qwertyuiop", "1qaz2wsx",  "1q2w3e4r",
	"qwe123456",  "admin123",   "admin@123",   "administrator", "root1234", "iloveyou",
	"woaini1314", "5201314520", "zxcvbnm123",  "letmein1",   "welcome1",  "test1234",
	"Aa123456",   "Abc@1234",   "Admin@123456", "P@ssw0rd123",
};

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int eq_nocase(const char *a, const char *b)
{
	while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

/* 1 when needle (ASCII case folded) occurs in hay. */
static int contains_nocase(const char *hay, size_t hn, const char *needle, size_t nn)
{
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t j = 0;
		while (j < nn && ascii_lower((unsigned char)hay[i + j]) ==
					 ascii_lower((unsigned char)needle[j]))
			j++;
		if (j == nn)
			return 1;
	}
	return 0;
}

/* Code points in s[0..n); a byte that starts no well-formed sequence counts as one. */
static size_t utf8_count(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; count++) {
		size_t l = utf8_seq_len((const unsigned char *)s + i, n - i);
		i += l ? l : 1;
	}
	return count;
}

int password_policy_check(const struct password_policy *p, const char *pw, const char *username,
			  const char *field, struct verrors *ve)
{
	int bad = 0;
	size_t n;

	if (!pw)
		pw = "";
	n = strlen(pw);
	if (n > PASSWORD_MAX_LEN) {
		verr_addf(ve, field, "password_too_long", "密码最长 %d 字节",
			  "the password must be at most %d bytes", PASSWORD_MAX_LEN);
		bad = 1;
	} else if (utf8_count(pw, n) < (size_t)p->min_len) {
		verr_addf(ve, field, "password_too_short", "密码至少 %d 个字符",
			  "the password must be at least %d characters", p->min_len);
		bad = 1;
	}

	if (p->min_classes > 0) {
		int lower = 0, upper = 0, digit = 0, other = 0;
		for (const char *c = pw; *c; c++) {
			if (*c >= 'a' && *c <= 'z')
				lower = 1;
			else if (*c >= 'A' && *c <= 'Z')
				upper = 1;
			else if (*c >= '0' && *c <= '9')
				digit = 1;
			else
				other = 1;
		}
		if (lower + upper + digit + other < p->min_classes) {
			verr_addf(ve, field, "password_classes",
				  "密码须包含小写字母、大写字母、数字、其他字符中的至少 %d 类",
				  "the password must mix at least %d of: lower-case letters, "
				  "upper-case letters, digits, other characters",
				  p->min_classes);
			bad = 1;
		}
	}

	if (username && utf8_count(username, strlen(username)) >= 3 &&
	    contains_nocase(pw, n, username, strlen(username))) {
		verr_add(ve, field, "password_contains_username", "密码不能包含用户名",
			 "the password must not contain the user name");
		bad = 1;
	}

	for (size_t i = 0; i < sizeof common_passwords / sizeof common_passwords[0]; i++) {
		if (eq_nocase(pw, common_passwords[i])) {
			verr_add(ve, field, "password_common", "密码过于常见，请换一个",
				 "the password is too common; choose another");
			bad = 1;
			break;
		}
	}
	return bad ? -1 : 0;
}
