/*
 * policy_run.c — whole-population evaluation (policy_run.h): the pack over every talent
 * and enterprise, on all cores, written in one transaction.
 *
 * Threads: the talents (in id order) are cut into one contiguous slice per thread; each
 * thread has its own filler (src/policy/columns.c) and its own output, so nothing is
 * shared but the read-only pack and columns.  The outputs are joined in slice order,
 * which is talent-id order, so the rows and their order do not depend on the number of
 * threads.  The calling thread meanwhile reports progress.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "domain/audit.h"
#include "domain/audit_int.h"
#include "domain/policy_run.h"
#include "policy/policy.h"
#include "policy/standard.h"
#include "store/store.h"

#define PACK_MAX_FILES 256
#define PACK_MAX_FILE (1u << 20) /* the loader's cap (policy/yaml.h): a larger file is refused */

/* ---- the pack: its files read once, hashed and loaded from the same bytes ---- */

struct pack_files {
	size_t n;
	char *names[PACK_MAX_FILES];
	char *texts[PACK_MAX_FILES];
	size_t lens[PACK_MAX_FILES];
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pack_files_free(struct pack_files *pf)
{
	for (size_t i = 0; i < pf->n; i++) {
		free(pf->names[i]);
		free(pf->texts[i]);
	}
	pf->n = 0;
}

/* The *.yaml files of dir (as pol_pack_load() picks them), sorted by name, read whole. */
static int pack_files_read(const char *dir, struct pack_files *pf, char *err, size_t errlen)
{
	DIR *dp = opendir(dir);
	struct dirent *de;

	memset(pf, 0, sizeof(*pf));
	if (!dp) {
		snprintf(err, errlen, "%s: cannot open the pack directory / 无法打开策略包目录",
		         dir);
		return -1;
	}
	while ((de = readdir(dp)) != NULL && pf->n < PACK_MAX_FILES) {
		size_t l = strlen(de->d_name);
		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0 || de->d_name[0] == '.')
			continue;
		if (!(pf->names[pf->n] = strdup(de->d_name)))
			break;
		pf->n++;
	}
	closedir(dp);
	qsort(pf->names, pf->n, sizeof(pf->names[0]), cmp_name);
	for (size_t i = 0; i < pf->n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, pf->names[i]);
		FILE *fp = fopen(path, "rb");
		pf->texts[i] = malloc(PACK_MAX_FILE + 2);
		if (!fp || !pf->texts[i]) {
			if (fp)
				fclose(fp);
			snprintf(err, errlen, "%.400s: cannot read", path);
			pack_files_free(pf);
			return -1;
		}
		pf->lens[i] = fread(pf->texts[i], 1, PACK_MAX_FILE + 1, fp);
		pf->texts[i][pf->lens[i]] = '\0';
		int bad = ferror(fp);
		fclose(fp);
		if (bad) {
			snprintf(err, errlen, "%.400s: cannot read", path);
			pack_files_free(pf);
			return -1;
		}
	}
	return 0;
}

/* BLAKE2b-256 over each file in name order: its name, a NUL, its length as 8 bytes
 * little-endian, its bytes. */
static void pack_hash(const struct pack_files *pf, char out[65])
{
	crypto_generichash_state h;
	unsigned char d[32];

	crypto_generichash_init(&h, NULL, 0, sizeof(d));
	for (size_t i = 0; i < pf->n; i++) {
		unsigned char len[8];
		for (int k = 0; k < 8; k++)
			len[k] = (unsigned char)((uint64_t)pf->lens[i] >> (8 * k));
		crypto_generichash_update(&h, (const unsigned char *)pf->names[i],
		                          strlen(pf->names[i]) + 1);
		crypto_generichash_update(&h, len, sizeof(len));
		crypto_generichash_update(&h, (const unsigned char *)pf->texts[i], pf->lens[i]);
	}
	crypto_generichash_final(&h, d, sizeof(d));
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* Loads the pack from pf (names as dir/name, as pol_pack_load() reports them); on errors
 * every message goes into err, one per line. */
static struct pol_pack *pack_load(const char *dir, const struct pack_files *pf, char *err,
                                  size_t errlen)
{
	char *paths[PACK_MAX_FILES];
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	size_t n = 0;

	for (; n < pf->n; n++) {
		size_t l = strlen(dir) + strlen(pf->names[n]) + 2;
		if (!(paths[n] = malloc(l)))
			break;
		snprintf(paths[n], l, "%s/%s", dir, pf->names[n]);
	}
	if (n == pf->n &&
	    pol_pack_load_mem(n, (const char *const *)paths, (const char *const *)pf->texts,
	                      pf->lens, &pk, &errs) != 0) {
		size_t used = 0;
		int ne = pol_errors_count(errs);
		err[0] = '\0';
		for (int i = 0; i < ne && used < errlen; i++) {
			int w = snprintf(err + used, errlen - used, "%s%s", i ? "\n" : "",
			                 pol_errors_get(errs, i));
			used += w > 0 ? (size_t)w : 0;
		}
		if (ne == 0)
			snprintf(err, errlen, "%s: cannot load the pack", dir);
		pol_errors_free(errs);
		pk = NULL;
	} else if (n < pf->n) {
		snprintf(err, errlen, "out of memory");
	} else if (pk && pol_pack_is_standard(pk)) {
		snprintf(err, errlen, "%s/pack.yaml: 认定标准包（kind: standard）没有待遇可算 / "
			 "an identification standard (kind: standard) has no entitlements to run", dir);
		pol_pack_free(pk);
		pk = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return pk;
}

/* ---- evaluation, one slice of talents per thread ---- */

struct rows {
	struct entitlement_row *v;
	size_t n, cap;
};

/* The calling thread waits on this for the slices to finish, waking to report progress. */
struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int finished;
};

struct slice {
	struct waiter *w; /* NULL: run by the calling thread */
	const struct pol_pack *pk;
	const struct pol_talent_cols *tc;
	const struct pol_enterprise_cols *ec;
	int year;
	size_t from, to; /* talent rows [from, to); enterprises: ec rows */
	int enterprises; /* this slice evaluates the enterprises instead */
	atomic_size_t done;
	int64_t current; /* the beneficiary being evaluated */
	struct rows out;
	int64_t skipped;
	int nbad;
	char bad[POLICY_RUN_BAD_SHOWN][192];
	enum tp_rc rc;
	char err[256];
};

static int add_row(void *arg, const struct pol_entitlement *e)
{
	struct slice *s = arg;
	struct rows *o = &s->out;
	size_t il = strlen(e->item);

	if (il >= sizeof(o->v[0].item)) {
		snprintf(s->err, sizeof(s->err), "%lld: item id '%.40s' too long",
		         (long long)s->current, e->item);
		return -1;
	}
	if (o->n == o->cap) {
		size_t ncap = o->cap ? o->cap * 2 : 1024;
		struct entitlement_row *nv = realloc(o->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		o->v = nv;
		o->cap = ncap;
	}
	struct entitlement_row *r = &o->v[o->n++];
	memset(r, 0, sizeof(*r));
	r->beneficiary_id = s->current;
	r->amount = e->amount;
	r->policy = e->policy;
	r->kind = e->kind;
	r->excluded_by = e->excluded_by;
	r->year = (uint16_t)e->year;
	r->month = (uint8_t)e->month;
	r->instalment = (uint8_t)e->instalment;
	r->enterprise = (uint8_t)e->enterprise;
	r->excluded = (uint8_t)e->excluded;
	r->money = (uint8_t)e->money;
	r->apply = (uint8_t)e->apply;
	memcpy(r->item, e->item, il);
	crypto_generichash(r->expl_hash, sizeof(r->expl_hash),
	                   (const unsigned char *)e->explanation, e->explanation_len, NULL, 0);
	return 0;
}

static void finished(struct slice *s)
{
	if (!s->w)
		return;
	pthread_mutex_lock(&s->w->mu);
	s->w->finished++;
	pthread_cond_signal(&s->w->cv);
	pthread_mutex_unlock(&s->w->mu);
}

static void *run_slice(void *arg)
{
	struct slice *s = arg;
	char err[256];
	int rc;
	struct pol_filler *f = pol_filler_new(s->pk, s->tc, s->ec, err, sizeof(err));

	if (!f) {
		snprintf(s->err, sizeof(s->err), "facts: %.200s", err);
		s->rc = TP_ERR_INVALID;
		finished(s);
		return NULL;
	}
	for (size_t i = s->from; i < s->to; i++) {
		const struct pol_facts *facts = s->enterprises
		                                    ? pol_filler_enterprise(f, i, err, sizeof(err))
		                                    : pol_filler_talent(f, i, err, sizeof(err));
		s->current = s->enterprises ? s->ec->id[i] : s->tc->id[i];
		if (!facts) {
			if (s->nbad < POLICY_RUN_BAD_SHOWN)
				snprintf(s->bad[s->nbad++], sizeof(s->bad[0]), "%s %lld: %.150s",
				         s->enterprises ? "enterprise" : "talent",
				         (long long)s->current, err);
			s->skipped++;
		} else if ((rc = pol_eval_each(s->pk, facts, s->year,
		                               s->enterprises ? POL_FOR_ENTERPRISE : POL_FOR_PERSON,
		                               1, add_row, s)) != 0) {
			if (!s->err[0])
				snprintf(s->err, sizeof(s->err), "%s %lld: %s",
				         s->enterprises ? "enterprise" : "talent",
				         (long long)s->current,
				         rc == -2 ? "the explanations do not match the entitlements"
				                  : "out of memory");
			s->rc = rc == -2 ? TP_ERR_INTERNAL : TP_ERR_NOMEM;
			break;
		}
		if (((i - s->from) & 255) == 255)
			atomic_store_explicit(&s->done, i + 1 - s->from, memory_order_relaxed);
	}
	atomic_store(&s->done, s->to - s->from);
	pol_filler_free(f);
	finished(s);
	return NULL;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the slices (the first nt talent slices on threads, then the enterprise slice),
 * reporting progress over the talents every 100 ms. */
static void evaluate(struct slice *sl, int nt, const struct policy_run_opts *o, size_t total)
{
	pthread_t th[POLICY_RUN_MAX_THREADS];
	int started[POLICY_RUN_MAX_THREADS];
	struct waiter w;
	int nstarted = 0;

	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	w.finished = 0;
	for (int t = 0; t < nt; t++) {
		sl[t].w = &w;
		started[t] = pthread_create(&th[t], NULL, run_slice, &sl[t]) == 0;
		nstarted += started[t];
	}
	for (int t = 0; t < nt; t++) /* a thread that could not start: its slice runs here */
		if (!started[t]) {
			sl[t].w = NULL;
			run_slice(&sl[t]);
		}
	for (;;) {
		size_t done = 0;
		for (int t = 0; t < nt; t++)
			done += atomic_load_explicit(&sl[t].done, memory_order_relaxed);
		if (o->progress)
			o->progress(o->progress_ctx, "evaluate", (long)done, (long)total);
		pthread_mutex_lock(&w.mu);
		int all = w.finished == nstarted;
		if (!all) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 100 * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&w.cv, &w.mu, &until);
		}
		pthread_mutex_unlock(&w.mu);
		if (all)
			break;
	}
	for (int t = 0; t < nt; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	sl[nt].w = NULL;
	run_slice(&sl[nt]); /* the enterprises: few, and only their own policies */
}

/* ---- writing ---- */

static enum tp_rc write_done(struct store *st, struct policy_run *r,
                             const struct entitlement_row *rows, size_t n)
{
	enum tp_rc rc = store_begin(st);

	if (rc != TP_OK)
		return rc;
	audit_now(r->finished_at);
	r->status = "done";
	if ((rc = STORE_CALL(policy_run_insert, st, r)) == TP_OK)
		rc = STORE_CALL(entitlements_replace, st, r, rows, n);
	if (rc == TP_OK)
		rc = audit_changef(st, NULL, "policy.run", "policy_run", r->id,
		                   "period=%d pack=%s pack_hash=%s talents=%lld enterprises=%lld "
		                   "skipped=%lld entitlements=%lld pending=%lld excluded=%lld "
		                   "kept=%lld total_fen=%lld",
		                   r->period, r->pack_id, r->pack_hash, (long long)r->talents,
		                   (long long)r->enterprises, (long long)r->skipped,
		                   (long long)r->entitlements, (long long)r->pending,
		                   (long long)r->excluded, (long long)r->kept,
		                   (long long)r->total_fen);
	return store_end(st, rc);
}

/* A run that failed after it started: its row (status failed, nothing written) and its
 * audit record, in a transaction of their own; best effort. */
static void write_failed(struct store *st, struct policy_run *r, enum tp_rc why)
{
	char oid[24], change[256];
	struct actor sys = actor_system();

	if (store_begin(st) != TP_OK)
		return;
	audit_now(r->finished_at);
	r->status = "failed";
	r->entitlements = r->pending = r->excluded = r->kept = r->total_fen = 0;
	enum tp_rc rc = STORE_CALL(policy_run_insert, st, r);
	if (rc == TP_OK) {
		snprintf(oid, sizeof(oid), "%lld", (long long)r->id);
		int n = snprintf(change, sizeof(change), "period=%d pack=%s pack_hash=%s",
		                 r->period, r->pack_id ? r->pack_id : "", r->pack_hash);
		rc = audit_append(st, &sys, "policy.run", "policy_run", oid, "failed",
		                  tp_rc_str(why), change, n > 0 ? (size_t)n : 0);
	}
	store_end(st, rc);
}

/* ---- the run ---- */

static int default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > POLICY_RUN_MAX_THREADS ? POLICY_RUN_MAX_THREADS : (int)n;
}

/* Joins the slices' outputs in order into one array (freeing theirs); NULL when out of
 * memory (an empty result is a valid, non-NULL array). */
static struct entitlement_row *join(struct slice *sl, int ns, size_t *n)
{
	size_t total = 0, k = 0;
	struct entitlement_row *v;

	for (int t = 0; t < ns; t++)
		total += sl[t].out.n;
	if (!(v = malloc((total + 1) * sizeof(*v))))
		return NULL;
	for (int t = 0; t < ns; t++) {
		if (sl[t].out.n)
			memcpy(v + k, sl[t].out.v, sl[t].out.n * sizeof(*v));
		k += sl[t].out.n;
		free(sl[t].out.v);
		sl[t].out.v = NULL;
		sl[t].out.n = 0;
	}
	*n = total;
	return v;
}

enum tp_rc policy_run(struct store *st, const struct policy_run_opts *o,
                      struct policy_run_result *out)
{
	struct pack_files pf;
	struct pol_pack *pk = NULL;
	struct pol_talent_cols tc;
	struct pol_enterprise_cols ec;
	struct slice *sl = NULL;
	struct entitlement_row *rows = NULL;
	size_t nrows = 0;
	struct policy_run *r = &out->run;
	double t0 = mono();
	enum tp_rc rc = TP_OK;
	int nt, loaded = 0;

	memset(out, 0, sizeof(*out));
	memset(&tc, 0, sizeof(tc));
	memset(&ec, 0, sizeof(ec));
	if (o->year < 1 || o->year > 9999) {
		snprintf(out->err, sizeof(out->err), "period %d is not a year 1..9999", o->year);
		return TP_ERR_INVALID;
	}
	if (sodium_init() < 0) {
		snprintf(out->err, sizeof(out->err), "libsodium could not start");
		return TP_ERR_INTERNAL;
	}
	if (pack_files_read(o->pack_dir, &pf, out->err, sizeof(out->err)))
		return TP_ERR_IO;
	pack_hash(&pf, r->pack_hash);
	pk = pack_load(o->pack_dir, &pf, out->err, sizeof(out->err));
	pack_files_free(&pf);
	if (!pk)
		return TP_ERR_INVALID;
	r->period = o->year;
	snprintf(out->pack_id, sizeof(out->pack_id), "%s", pol_pack_id(pk));
	r->pack_id = out->pack_id;
	audit_now(r->started_at);

	if (o->progress)
		o->progress(o->progress_ctx, "load", 0, 0);
	if ((rc = STORE_CALL(policy_facts_load_year, st, o->year, &tc, &ec)) != TP_OK) {
		snprintf(out->err, sizeof(out->err), "loading the facts failed: %s", tp_rc_str(rc));
		goto fail;
	}
	loaded = 1;
	out->load_s = mono() - t0;
	r->talents = (int64_t)tc.n;
	r->enterprises = (int64_t)ec.n;

	nt = o->threads > 0 ? o->threads : default_threads();
	if (nt > POLICY_RUN_MAX_THREADS)
		nt = POLICY_RUN_MAX_THREADS;
	if ((size_t)nt > tc.n)
		nt = tc.n ? (int)tc.n : 1;
	out->threads = nt;
	if (!(sl = calloc((size_t)nt + 1, sizeof(*sl)))) {
		rc = TP_ERR_NOMEM;
		snprintf(out->err, sizeof(out->err), "out of memory");
		goto fail;
	}
	for (int t = 0; t <= nt; t++) {
		sl[t].pk = pk;
		sl[t].tc = &tc;
		sl[t].ec = &ec;
		sl[t].year = o->year;
		sl[t].from = t < nt ? tc.n * (size_t)t / (size_t)nt : 0;
		sl[t].to = t < nt ? tc.n * (size_t)(t + 1) / (size_t)nt : ec.n;
		sl[t].enterprises = t == nt;
		atomic_init(&sl[t].done, 0);
	}
	double t1 = mono();
	evaluate(sl, nt, o, tc.n);
	for (int t = 0; t <= nt; t++) {
		r->skipped += sl[t].skipped;
		for (int k = 0; k < sl[t].nbad && out->nbad < POLICY_RUN_BAD_SHOWN; k++)
			memcpy(out->bad[out->nbad++], sl[t].bad[k], sizeof(out->bad[0]));
		if (sl[t].rc != TP_OK && rc == TP_OK) {
			rc = sl[t].rc;
			snprintf(out->err, sizeof(out->err), "%s", sl[t].err);
		}
	}
	if (rc != TP_OK)
		goto fail;
	if (!(rows = join(sl, nt + 1, &nrows))) {
		rc = TP_ERR_NOMEM;
		snprintf(out->err, sizeof(out->err), "out of memory");
		goto fail;
	}
	pol_talent_cols_release(&tc);
	pol_enterprise_cols_release(&ec);
	loaded = 0;
	double t2 = mono();
	out->eval_s = t2 - t1;
	if (o->progress)
		o->progress(o->progress_ctx, "write", 0, (long)nrows);
	rc = o->write ? o->write(st, r, rows, nrows, o->write_ctx)
	             : write_done(st, r, rows, nrows);
	out->write_s = mono() - t2;
	if (rc != TP_OK) {
		snprintf(out->err, sizeof(out->err), "writing the entitlements failed: %s",
		         tp_rc_str(rc));
		goto fail;
	}
	if (o->progress)
		o->progress(o->progress_ctx, "write", (long)nrows, (long)nrows);
	goto done;
fail:
	if (!o->write)
		write_failed(st, r, rc);
done:
	out->seconds = mono() - t0;
	if (sl)
		for (int t = 0; t <= out->threads; t++)
			free(sl[t].out.v);
	free(sl);
	free(rows);
	if (loaded) {
		pol_talent_cols_release(&tc);
		pol_enterprise_cols_release(&ec);
	}
	pol_pack_free(pk);
	return rc;
}
