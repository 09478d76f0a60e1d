/*
 * recalc.c — retroactive changes (recalc.h): policy_run()'s evaluation with a writer that
 * compares instead of replacing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/audit_int.h"
#include "domain/policy_run.h"
#include "domain/recalc.h"
#include "core/verr.h"
#include "store/store.h"

struct ctx {
	const struct actor *who;
	struct recalc_result *out;
};

static enum tp_rc write_recalc(struct store *st, struct policy_run *r,
                               const struct entitlement_row *rows, size_t n, void *arg)
{
	struct ctx *c = arg;
	struct recalc_result *out = c->out;
	char at[32];
	enum tp_rc rc;

	snprintf(out->pack_hash, sizeof(out->pack_hash), "%s", r->pack_hash);
	snprintf(out->pack_id, sizeof(out->pack_id), "%s", r->pack_id ? r->pack_id : "");
	if (r->skipped > 0) {
		snprintf(out->err, sizeof(out->err),
		         "策略包拒绝了 %lld 名人才的数据，不能重算（其待遇会被误作追回） / the pack "
		         "refused the stored facts of %lld talent(s): not recalculating (their "
		         "entitlements would read as clawed back)",
		         (long long)r->skipped, (long long)r->skipped);
		return TP_ERR_INVALID;
	}
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	audit_now(at);
	rc = STORE_CALL(entitlements_recalc, st, r->period, rows, n, at, &out->c);
	if (rc == TP_OK && out->c.adjustments > 0)
		rc = audit_changef(st, c->who, "payments.recalc", "entitlement", out->c.first_id,
		                   "period=%d pack=%s pack_hash=%s compared=%lld adjustments=%lld "
		                   "arrears=%lld arrears_fen=%lld clawbacks=%lld clawback_fen=%lld "
		                   "ids=%lld..%lld",
		                   r->period, out->pack_id, out->pack_hash,
		                   (long long)out->c.compared, (long long)out->c.adjustments,
		                   (long long)out->c.arrears, (long long)out->c.arrears_fen,
		                   (long long)out->c.clawbacks, (long long)out->c.clawback_fen,
		                   (long long)out->c.first_id, (long long)out->c.last_id);
	rc = store_end(st, rc);
	if (rc != TP_OK)
		memset(&out->c, 0, sizeof(out->c));
	return rc;
}

enum tp_rc payments_recalc(struct store *st, const struct actor *who, const char *pack_dir,
                           int year, int threads, struct recalc_result *out)
{
	struct policy_run_result *pr = malloc(sizeof(*pr)); /* large */
	struct ctx c = {who, out};
	struct policy_run_opts o;

	memset(out, 0, sizeof(*out));
	memset(&o, 0, sizeof(o));
	if (!pr) {
		snprintf(out->err, sizeof(out->err), "out of memory");
		return TP_ERR_NOMEM;
	}
	o.pack_dir = pack_dir;
	o.year = year;
	o.threads = threads;
	o.write = write_recalc;
	o.write_ctx = &c;
	enum tp_rc rc = policy_run(st, &o, pr);
	if (rc != TP_OK && !out->err[0])
		snprintf(out->err, sizeof(out->err), "%s", pr->err[0] ? pr->err : tp_rc_str(rc));
	free(pr);
	return rc;
}

enum tp_rc payments_adjustments(struct store *st, const char *period, struct arena *a,
                                struct adjustment **out, size_t *n)
{
	return STORE_CALL(adjustments_list, st, period, a, out, n);
}

enum tp_rc payments_clawback_decide(struct store *st, const struct actor *who, int64_t id,
                                    const char *decision, const char *reason,
                                    struct verrors *ve)
{
	const char *status = NULL;
	if (!decision || strcmp(decision, "waive") == 0)
		status = "waived";
	else if (strcmp(decision, "collect_separately") == 0)
		status = "collect_separately";
	else
		verr_add(ve, "decision", "unknown_decision",
			 "decision 应为 waive（免予追回）或 collect_separately（另行追缴）",
			 "decision must be waive or collect_separately");
	if (!reason || !reason[0] || strlen(reason) > 500)
		verr_add(ve, "reason", "required", "须填写理由（至多 500 字节）",
			 "a reason is required (at most 500 bytes)");
	if (ve->n)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(adjustment_decide, st, id, status, reason);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "entitlement.waive", "entitlement", id,
				   "{\"to\":\"%s\"}", status);
	rc = store_end(st, rc);
	if (rc == TP_ERR_CONFLICT)
		verr_add(ve, "id", "not_open_clawback",
			 "只有未结的追回调整（负数、待确认或已确认）可以免予追回或另行追缴",
			 "only an open clawback (a negative adjustment, pending or confirmed) can be "
			 "waived or collected separately");
	return rc;
}
