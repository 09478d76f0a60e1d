/*
 * self_identification.c — the rules of enterprise self-identification
 * (self_identification.h).
 */
#include "domain/self_identification.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/audit.h"
#include "domain/registry.h"
#include "store/store.h"

static const char *const CATEGORY_ZH[] = {"一类", "二类", "三类"};

void selfid_today(char out[11])
{
	int64_t days = (tp_now() + 8 * 3600) / 86400;
	date_format(date_from_days((long)days), out);
}

static const char *who_name(const struct actor *who)
{
	return who && who->username && who->username[0] ? who->username : "system";
}

/* One error per unmet criterion of e; TP_OK when every enabled criterion holds. */
static enum tp_rc check_criteria(struct store *st, const struct enterprise *e, struct arena *a,
				 struct verrors *ve)
{
	struct selfid_criterion *cs;
	size_t n;
	enum tp_rc rc = STORE_CALL(selfid_criteria, st, a, &cs, &n);
	if (rc != TP_OK)
		return rc;
	size_t before = ve->n;
	for (size_t i = 0; i < n; i++) {
		int ok = 1;
		if (strcmp(cs[i].code, "industry_4341") == 0) {
			rc = e->industry ? STORE_CALL(selfid_industry_4341, st, e->industry)
					 : TP_ERR_NOT_FOUND;
			if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
				return rc;
			ok = rc == TP_OK;
		} else if (strcmp(cs[i].code, "size_recorded") == 0) {
			ok = e->size != NULL;
		} /* a criterion this build does not know is not checked */
		if (!ok)
			verr_add(ve, "enterprise_id", arena_printf(a, "criterion_%s", cs[i].code),
				 arena_printf(a, "企业不符合自主认定资格条件：%s", cs[i].name_zh),
				 arena_printf(a, "the enterprise does not meet the criterion: %s",
					      cs[i].name_en));
	}
	return ve->n > before ? TP_ERR_INVALID : TP_OK;
}

enum tp_rc selfid_qualify(struct store *st, const struct actor *who, int64_t eid, int year,
			  struct arena *a, struct verrors *ve, struct selfid_standing *out)
{
	struct enterprise e;
	enum tp_rc rc = STORE_CALL(enterprise_get, st, eid, a, &e);
	if (rc != TP_OK)
		return rc;
	if ((rc = check_criteria(st, &e, a, ve)) != TP_OK)
		return rc;
	int64_t quota[3];
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(selfid_quota_defaults, st, e.size, quota);
	if (rc == TP_OK)
		rc = STORE_CALL(selfid_qualification_insert, st, eid, year, who_name(who), quota);
	if (rc == TP_ERR_CONFLICT)
		verr_addf(ve, "year", "already_qualified", "该企业 %d 年度已具备自主认定资格",
			  "the enterprise is already qualified for %d", year);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "selfid.qualify", "enterprise", eid,
				   "year=%d quota=%lld,%lld,%lld", year, (long long)quota[0],
				   (long long)quota[1], (long long)quota[2]);
	rc = store_end(st, rc);
	if (rc == TP_OK)
		rc = STORE_CALL(selfid_standing_get, st, eid, year, a, out);
	return rc;
}

enum tp_rc selfid_set_quota(struct store *st, const struct actor *who, int64_t eid, int year,
			    int category, int64_t quota)
{
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(selfid_quota_put, st, eid, year, category, quota, who_name(who));
	if (rc == TP_OK)
		rc = audit_changef(st, who, "selfid.quota", "enterprise", eid,
				   "year=%d category=%d quota=%lld", year, category, (long long)quota);
	return store_end(st, rc);
}

/* Fills the default validity and checks from/to lie in the year, in order. */
static void validity(struct self_identification *s, struct arena *a, struct verrors *ve)
{
	char today[11], y0[11], y1[11];
	selfid_today(today);
	snprintf(y0, sizeof y0, "%04d-01-01", s->year);
	snprintf(y1, sizeof y1, "%04d-12-31", s->year);
	if (!s->from)
		s->from = arena_strdup(a, strcmp(today, y0) > 0 && strcmp(today, y1) <= 0 ? today
											      : y0);
	if (!s->to)
		s->to = arena_strdup(a, y1);
	if (strcmp(s->from, y0) < 0 || strcmp(s->from, y1) > 0)
		verr_addf(ve, "from", "outside_year", "起始日期须在 %d 年内",
			  "from must lie in %d", s->year);
	if (strcmp(s->to, y0) < 0 || strcmp(s->to, y1) > 0)
		verr_addf(ve, "to", "outside_year", "截止日期须在 %d 年内", "to must lie in %d",
			  s->year);
	else if (strcmp(s->to, s->from) < 0)
		verr_add(ve, "to", "before_from", "截止日期不能早于起始日期",
			 "to must not be before from");
}

enum tp_rc selfid_nominate(struct store *st, const struct actor *who,
			   struct self_identification *s, struct verrors *ve)
{
	struct arena *a = ve->arena;
	validity(s, a, ve);
	if (ve->n)
		return TP_ERR_INVALID;
	char today[11];
	selfid_today(today);
	s->nominated_by = who_name(who);

	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct selfid_standing sd;
	rc = STORE_CALL(selfid_standing_get, st, s->enterprise_id, s->year, a, &sd);
	if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && sd.revoked)) {
		verr_addf(ve, "year", "not_qualified", "本企业 %d 年度不具备人才自主认定资格",
			  "the enterprise is not qualified for self-identification in %d",
			  s->year);
		rc = TP_ERR_UNSUPPORTED;
	}
	if (rc == TP_OK) {
		rc = STORE_CALL(selfid_employed, st, s->talent_id, s->enterprise_id, today);
		if (rc == TP_ERR_NOT_FOUND) {
			verr_add(ve, "talent_id", "not_employed",
				 "该人才目前不在本企业任职（没有在职的任职记录）",
				 "the talent is not currently employed by the enterprise (no open "
				 "employment record)");
			rc = TP_ERR_INVALID;
		}
	}
	if (rc == TP_OK) {
		struct self_identification old;
		if (STORE_CALL(selfid_for_talent, st, s->talent_id, s->year, a, &old) == TP_OK) {
			verr_addf(ve, "talent_id", "already_nominated",
				  "该人才 %d 年度已被认定（认定 %lld）",
				  "the talent is already nominated for %d (nomination %lld)", s->year,
				  (long long)old.id);
			rc = TP_ERR_CONFLICT;
		}
	}
	if (rc == TP_OK) {
		int c = s->category - 1;
		if (sd.used[c] >= sd.quota[c]) {
			verr_add(ve, "category", "quota_exhausted",
				 arena_printf(a, "%s名额已用 %lld/%lld", CATEGORY_ZH[c],
					      (long long)sd.used[c], (long long)sd.quota[c]),
				 arena_printf(a, "category %d quota used: %lld of %lld", s->category,
					      (long long)sd.used[c], (long long)sd.quota[c]));
			rc = TP_ERR_CONFLICT;
		}
	}
	if (rc == TP_OK) {
		rc = STORE_CALL(selfid_insert, st, s);
		if (rc == TP_ERR_CONFLICT) /* a revoked nomination of the same year */
			verr_addf(ve, "talent_id", "already_nominated", "该人才 %d 年度已被认定过",
				  "the talent was already nominated for %d", s->year);
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, "selfid.nominate", "self_identification", s->id,
				   "enterprise=%lld talent=%lld year=%d category=%d from=%s to=%s",
				   (long long)s->enterprise_id, (long long)s->talent_id, s->year,
				   s->category, s->from, s->to);
	return store_end(st, rc);
}

enum tp_rc selfid_change(struct store *st, const struct actor *who, int64_t id,
			 enum selfid_change what, const char *text, struct verrors *ve)
{
	static const char *const ACTION[] = {"selfid.audit", "selfid.revoke", "selfid.withdraw"};
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(selfid_transition, st, id, (int)what, text, who_name(who));
	if (rc == TP_ERR_CONFLICT) {
		if (what == SELFID_WITHDRAW)
			verr_add(ve, "status", "not_withdrawable",
				 "只能撤回尚未经人才办审核的有效认定",
				 "only an active nomination the office has not audited can be withdrawn");
		else
			verr_add(ve, "status", "not_active", "该认定已撤回或已撤销",
				 "the nomination is withdrawn or revoked");
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, ACTION[what], "self_identification", id, "%s",
				   text ? text : "");
	return store_end(st, rc);
}
