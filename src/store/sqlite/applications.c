/*
 * applications.c — SQLite storage of applications, their history, objections, the
 * working-day calendar and reminders (migrations/0009_workflow.sql).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/applications.h"
#include "store/sqlite/internal.h"

#define A_COLS                                                                                  \
	"a.id, a.version, a.kind, a.state, a.talent_id, a.enterprise_id, a.town, a.claimed_tier, " \
	"a.proposed_tier, a.final_tier, a.tier_reason, a.form, a.proposal, a.returned_fields, "    \
	"a.returned_from, a.submitted_by, a.submitted_role, a.step, a.step_started_on, "          \
	"a.deadline, a.certificate_id, a.created_at, a.updated_at, a.closed_at, t.name, "         \
	"t.id_number_mask, e.name, "                                                               \
	"(SELECT count(*) FROM objections o WHERE o.application_id = a.id AND o.status = 'open'), " \
	"a.policy, a.period, a.item"
#define A_FROM                                                                                  \
	" FROM applications a LEFT JOIN talents t ON t.id = a.talent_id"                                \
	" LEFT JOIN enterprises e ON e.id = a.enterprise_id"

static void read_app(sqlite3_stmt *q, struct arena *a, struct application *o)
{
	int c = 0;
	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, c++);
	o->version = sqlite3_column_int64(q, c++);
	o->kind = sq_col_text(q, c++, a);
	o->state = sq_col_text(q, c++, a);
	o->talent_id = sq_col_int(q, c++, 0); /* NULL: an enterprise's benefit application */
	o->enterprise_id = sq_col_int(q, c++, 0);
	o->town = sq_col_text(q, c++, a);
	o->claimed_tier = (int)sq_col_int(q, c++, 0);
	o->proposed_tier = (int)sq_col_int(q, c++, 0);
	o->final_tier = (int)sq_col_int(q, c++, 0);
	o->tier_reason = sq_col_text(q, c++, a);
	o->form = sq_col_text(q, c++, a);
	o->proposal = sq_col_text(q, c++, a);
	o->returned_fields = sq_col_text(q, c++, a);
	o->returned_from = sq_col_text(q, c++, a);
	o->submitted_by = sqlite3_column_int64(q, c++);
	o->submitted_role = sq_col_text(q, c++, a);
	o->step = sqlite3_column_int64(q, c++);
	o->step_started_on = sq_col_text(q, c++, a);
	o->deadline = sq_col_text(q, c++, a);
	o->certificate_id = sq_col_int(q, c++, 0);
	o->created_at = sq_col_text(q, c++, a);
	o->updated_at = sq_col_text(q, c++, a);
	o->closed_at = sq_col_text(q, c++, a);
	o->talent_name = sq_col_text(q, c++, a);
	o->talent_id_mask = sq_col_text(q, c++, a);
	o->enterprise_name = sq_col_text(q, c++, a);
	o->open_objections = sqlite3_column_int64(q, c++);
	o->policy = sq_col_text(q, c++, a);
	o->period = sq_col_text(q, c++, a);
	o->item = sq_col_text(q, c++, a);
}

enum tp_rc sq_application_insert(struct store *st, struct application *ap)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO applications (kind, state, talent_id, enterprise_id, town, "
		   "claimed_tier, proposed_tier, form, proposal, submitted_by, submitted_role, "
		   "step_started_on, deadline, policy, period, item) "
		   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, ap->kind);
	sq_bind_text(q, 2, ap->state);
	sq_bind_int_opt(q, 3, ap->talent_id, 0); /* 0: an enterprise's claim (0022) */
	sq_bind_int_opt(q, 4, ap->enterprise_id, 0);
	sq_bind_text(q, 5, ap->town);
	sq_bind_int_opt(q, 6, ap->claimed_tier, 0);
	sq_bind_int_opt(q, 7, ap->proposed_tier, 0);
	sq_bind_text(q, 8, ap->form ? ap->form : "{}");
	sq_bind_text(q, 9, ap->proposal);
	sq_bind_int_opt(q, 10, ap->submitted_by, 0);
	sq_bind_text(q, 11, ap->submitted_role);
	sq_bind_text(q, 12, ap->step_started_on);
	sq_bind_text(q, 13, ap->deadline);
	sq_bind_text(q, 14, ap->policy);
	sq_bind_text(q, 15, ap->period);
	sq_bind_text(q, 16, ap->policy ? (ap->item ? ap->item : "") : NULL);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK) {
		ap->id = sqlite3_last_insert_rowid(s->db);
		ap->version = 1;
		ap->step = 1;
		sq_counts_bump();
	}
	return rc;
}

enum tp_rc sq_application_get(struct store *st, int64_t id, struct arena *a,
			      struct application *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " A_COLS A_FROM " WHERE a.id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int r = sqlite3_step(q);
	enum tp_rc rc = r == SQLITE_ROW ? TP_OK : r == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, r);
	if (rc == TP_OK)
		read_app(q, a, out);
	sqlite3_reset(q);
	return rc;
}

enum tp_rc sq_application_move(struct store *st, const struct application *ap, int64_t version)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "UPDATE applications SET version = version + 1, state = ?, claimed_tier = ?, "
		   "final_tier = ?, tier_reason = ?, form = ?, returned_fields = ?, returned_from = ?, "
		   "step = ?, step_started_on = ?, deadline = ?, certificate_id = ?, closed_at = ?, "
		   "proposed_tier = ?, proposal = ?, item = ?, "
		   "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND version = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, ap->state);
	sq_bind_int_opt(q, 2, ap->claimed_tier, 0);
	sq_bind_int_opt(q, 3, ap->final_tier, 0);
	sq_bind_text(q, 4, ap->tier_reason);
	sq_bind_text(q, 5, ap->form ? ap->form : "{}");
	sq_bind_text(q, 6, ap->returned_fields);
	sq_bind_text(q, 7, ap->returned_from);
	sqlite3_bind_int64(q, 8, ap->step);
	sq_bind_text(q, 9, ap->step_started_on);
	sq_bind_text(q, 10, ap->deadline);
	sq_bind_int_opt(q, 11, ap->certificate_id, 0);
	sq_bind_text(q, 12, ap->closed_at);
	sq_bind_int_opt(q, 13, ap->proposed_tier, 0);
	sq_bind_text(q, 14, ap->proposal);
	sq_bind_text(q, 15, ap->item); /* a benefit's item (resubmitted with another); else NULL */
	sqlite3_bind_int64(q, 16, ap->id);
	sqlite3_bind_int64(q, 17, version);
	enum tp_rc rc = sq_step_changed(s, q);
	if (rc == TP_OK)
		sq_counts_bump();
	return rc == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : rc;
}

/* Appends " AND <cond>" clauses and their bindings for q. */
struct where {
	char sql[1024];
	size_t len;
	int nb;
	struct {
		int is_text;
		const char *text;
		int64_t num;
	} b[32];
};

static void w_add(struct where *w, const char *cond)
{
	int n = snprintf(w->sql + w->len, sizeof w->sql - w->len, " AND %s", cond);
	if (n > 0 && (size_t)n < sizeof w->sql - w->len)
		w->len += (size_t)n;
}

static void w_text(struct where *w, const char *cond, const char *v)
{
	if (w->nb == 32)
		return;
	w_add(w, cond);
	w->b[w->nb].is_text = 1;
	w->b[w->nb++].text = v;
}

static void w_int(struct where *w, const char *cond, int64_t v)
{
	if (w->nb == 32)
		return;
	w_add(w, cond);
	w->b[w->nb].is_text = 0;
	w->b[w->nb++].num = v;
}

static void w_in(struct where *w, const char *col, const char *const *vals, int n)
{
	char cond[512];
	size_t len = (size_t)snprintf(cond, sizeof cond, "%s IN (", col);
	if (n > 16)
		n = 16;
	for (int i = 0; i < n && len < sizeof cond - 8; i++)
		len += (size_t)snprintf(cond + len, sizeof cond - len, i ? ",?" : "?");
	snprintf(cond + len, sizeof cond - len, ")");
	w_add(w, cond);
	for (int i = 0; i < n && w->nb < 32; i++) {
		w->b[w->nb].is_text = 1;
		w->b[w->nb++].text = vals[i];
	}
}

static void w_bind(const struct where *w, sqlite3_stmt *q, int first)
{
	for (int i = 0; i < w->nb; i++) {
		if (w->b[i].is_text)
			sq_bind_text(q, first + i, w->b[i].text);
		else
			sqlite3_bind_int64(q, first + i, w->b[i].num);
	}
}

enum tp_rc sq_application_list(struct store *st, const struct application_query *aq,
			       struct arena *a, struct application_page *out)
{
	struct sq_store *s = sq(st);
	struct where w;
	memset(&w, 0, sizeof w);
	memset(out, 0, sizeof(*out));
	if (aq->kind)
		w_text(&w, "a.kind = ?", aq->kind);
	if (aq->state)
		w_text(&w, "a.state = ?", aq->state);
	if (aq->nstates)
		w_in(&w, "a.state", aq->states, aq->nstates);
	if (aq->talent_id)
		w_int(&w, "a.talent_id = ?", aq->talent_id);
	if (aq->enterprise_id)
		w_int(&w, "a.enterprise_id = ?", aq->enterprise_id);
	if (aq->beneficiary)
		w_add(&w, strcmp(aq->beneficiary, "enterprise") == 0 ? "a.talent_id IS NULL"
								     : "a.talent_id IS NOT NULL");
	if (aq->liaison_id && aq->ntowns) {
		/* a liaison: their towns, or talents linked to them */
		char cond[512];
		size_t len = (size_t)snprintf(cond, sizeof cond,
					      "(a.talent_id IN (SELECT talent_id FROM liaison_talents "
					      "WHERE user_id = %lld) OR a.town IN (",
					      (long long)aq->liaison_id);
		for (int i = 0; i < aq->ntowns && i < 8; i++)
			len += (size_t)snprintf(cond + len, sizeof cond - len, i ? ",?" : "?");
		snprintf(cond + len, sizeof cond - len, "))");
		w_add(&w, cond);
		for (int i = 0; i < aq->ntowns && i < 8; i++) {
			w.b[w.nb].is_text = 1;
			w.b[w.nb++].text = aq->towns[i];
		}
	} else if (aq->liaison_id) {
		w_int(&w, "a.talent_id IN (SELECT talent_id FROM liaison_talents WHERE user_id = ?)",
		      aq->liaison_id);
	} else if (aq->ntowns) {
		w_in(&w, "a.town", aq->towns, aq->ntowns);
	}
	if (aq->town)
		w_text(&w, "a.town = ?", aq->town);
	if (aq->overdue_on)
		w_text(&w, "a.deadline < ? AND a.state NOT IN ('certified','rejected','withdrawn')",
		       aq->overdue_on);
	if (aq->unreminded)
		w_add(&w, "NOT EXISTS (SELECT 1 FROM reminders r WHERE r.application_id = a.id "
			  "AND r.step = a.step)");
	int per = aq->per_page > 0 ? aq->per_page : 20, page = aq->page > 0 ? aq->page : 1;
	char sql[2048];
	snprintf(sql, sizeof sql, "SELECT count(*)" A_FROM " WHERE 1%s", w.sql);
	sqlite3_stmt *q = sq_prepare_text(s, sql);
	if (!q)
		return TP_ERR_DB;
	w_bind(&w, q, 1);
	int r = sqlite3_step(q);
	if (r != SQLITE_ROW) {
		sqlite3_reset(q);
		return sq_rc(s, r);
	}
	out->total = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	static const char *const order_sql[] = {
	    [APP_NEWEST] = "a.id DESC",
	    [APP_OLDEST] = "a.id",
	    [APP_DEADLINE] = "a.deadline IS NULL, a.deadline, a.id",
	    [APP_DEADLINE_LAST] = "a.deadline IS NULL, a.deadline DESC, a.id DESC",
	    [APP_UPDATED] = "a.updated_at DESC, a.id DESC",
	};
	unsigned o = (unsigned)aq->order < sizeof order_sql / sizeof *order_sql ? aq->order : APP_NEWEST;
	snprintf(sql, sizeof sql,
		 "SELECT " A_COLS A_FROM " WHERE 1%s ORDER BY %s LIMIT %d OFFSET %lld", w.sql,
		 order_sql[o], per, (long long)(page - 1) * per);
	if (!(q = sq_prepare_text(s, sql)))
		return TP_ERR_DB;
	w_bind(&w, q, 1);
	out->items = arena_alloc(a, sizeof(struct application) * (size_t)per);
	if (!out->items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	while ((r = sqlite3_step(q)) == SQLITE_ROW && out->n < (size_t)per)
		read_app(q, a, &out->items[out->n++]);
	sqlite3_reset(q);
	return r == SQLITE_DONE || r == SQLITE_ROW ? TP_OK : sq_rc(s, r);
}

enum tp_rc sq_application_action_insert(struct store *st, struct app_action *x)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO application_actions (application_id, action, from_state, to_state, "
		   "actor_id, actor_name, actor_role, comment, detail, at) VALUES (?,?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, x->application_id);
	sq_bind_text(q, 2, x->action);
	sq_bind_text(q, 3, x->from_state);
	sq_bind_text(q, 4, x->to_state);
	sq_bind_int_opt(q, 5, x->actor_id, 0);
	sq_bind_text(q, 6, x->actor_name ? x->actor_name : "");
	sq_bind_text(q, 7, x->actor_role ? x->actor_role : "");
	sq_bind_text(q, 8, x->comment ? x->comment : "");
	sq_bind_text(q, 9, x->detail);
	sq_bind_text(q, 10, x->at);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		x->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum tp_rc sq_application_actions(struct store *st, int64_t app_id, struct arena *a,
				  struct app_action **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT id, action, from_state, to_state, actor_id, actor_name, actor_role, "
		   "comment, detail, at FROM application_actions WHERE application_id = ? ORDER BY id");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, app_id);
	size_t cap = 16;
	*n = 0;
	*out = arena_alloc(a, sizeof(**out) * cap);
	int r;
	while (*out && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(*out = sq_grow(a, *out, &cap, *n, sizeof **out, 16)))
			break;
		struct app_action *x = &(*out)[(*n)++];
		x->id = sqlite3_column_int64(q, 0);
		x->application_id = app_id;
		x->action = sq_col_text(q, 1, a);
		x->from_state = sq_col_text(q, 2, a);
		x->to_state = sq_col_text(q, 3, a);
		x->actor_id = sq_col_int(q, 4, 0);
		x->actor_name = sq_col_text(q, 5, a);
		x->actor_role = sq_col_text(q, 6, a);
		x->comment = sq_col_text(q, 7, a);
		x->detail = sq_col_text(q, 8, a);
		x->at = sq_col_text(q, 9, a);
	}
	sqlite3_reset(q);
	return *out ? TP_OK : TP_ERR_NOMEM;
}

enum tp_rc sq_objection_insert(struct store *st, struct objection *o)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO objections (application_id, reason, contact, "
					"lodged_at, ip_hash) VALUES (?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, o->application_id);
	sq_bind_text(q, 2, o->reason);
	sq_bind_text(q, 3, o->contact);
	sq_bind_text(q, 4, o->lodged_at);
	sq_bind_text(q, 5, o->ip_hash ? o->ip_hash : "");
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		o->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum tp_rc sq_objection_list(struct store *st, int64_t app_id, struct arena *a,
			     struct objection **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT id, reason, contact, lodged_at, status, resolution, "
					"resolved_by, resolved_at FROM objections "
					"WHERE application_id = ? ORDER BY id LIMIT 500");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, app_id);
	*n = 0;
	*out = arena_alloc(a, sizeof(**out) * 500);
	int r = SQLITE_DONE;
	while (*out && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct objection *o = &(*out)[(*n)++];
		memset(o, 0, sizeof(*o));
		o->id = sqlite3_column_int64(q, 0);
		o->application_id = app_id;
		o->reason = sq_col_text(q, 1, a);
		o->contact = sq_col_text(q, 2, a);
		o->lodged_at = sq_col_text(q, 3, a);
		o->status = sq_col_text(q, 4, a);
		o->resolution = sq_col_text(q, 5, a);
		o->resolved_by = sq_col_int(q, 6, 0);
		o->resolved_at = sq_col_text(q, 7, a);
	}
	sqlite3_reset(q);
	if (!*out)
		return TP_ERR_NOMEM;
	return r == SQLITE_DONE || r == SQLITE_ROW ? TP_OK : sq_rc(s, r);
}

enum tp_rc sq_objection_resolve(struct store *st, const struct objection *o)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE objections SET status = ?, resolution = ?, "
					"resolved_by = ?, resolved_at = ? WHERE id = ? AND "
					"application_id = ? AND status = 'open'");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, o->status);
	sq_bind_text(q, 2, o->resolution);
	sq_bind_int_opt(q, 3, o->resolved_by, 0);
	sq_bind_text(q, 4, o->resolved_at);
	sqlite3_bind_int64(q, 5, o->id);
	sqlite3_bind_int64(q, 6, o->application_id);
	return sq_step_changed(s, q);
}

enum tp_rc sq_calendar_list(struct store *st, const char *from, const char *to,
			    struct arena *a, struct calendar_day **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT day, kind, name FROM calendar_days "
					"WHERE day >= ? AND day <= ? ORDER BY day LIMIT 1000");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, from);
	sq_bind_text(q, 2, to);
	*n = 0;
	*out = arena_alloc(a, sizeof(**out) * 1000);
	int r = SQLITE_DONE;
	while (*out && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct calendar_day *d = &(*out)[(*n)++];
		d->day = sq_col_text(q, 0, a);
		d->kind = sq_col_text(q, 1, a);
		d->name = sq_col_text(q, 2, a);
	}
	sqlite3_reset(q);
	if (!*out)
		return TP_ERR_NOMEM;
	return r == SQLITE_DONE || r == SQLITE_ROW ? TP_OK : sq_rc(s, r);
}

enum tp_rc sq_calendar_put(struct store *st, const struct calendar_day *d)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	if (!d->kind) {
		q = sq_prepare(s, "DELETE FROM calendar_days WHERE day = ?");
		if (!q)
			return TP_ERR_DB;
		sq_bind_text(q, 1, d->day);
		return sq_step_changed(s, q);
	}
	q = sq_prepare(s, "INSERT INTO calendar_days (day, kind, name) VALUES (?,?,?) "
			  "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, d->day);
	sq_bind_text(q, 2, d->kind);
	sq_bind_text(q, 3, d->name ? d->name : "");
	return sq_step_done(s, q);
}

enum tp_rc sq_reminder_insert(struct store *st, struct reminder *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT OR IGNORE INTO reminders (application_id, step, "
					"state, role, town, deadline, created_at) VALUES (?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, r->application_id);
	sqlite3_bind_int64(q, 2, r->step);
	sq_bind_text(q, 3, r->state);
	sq_bind_text(q, 4, r->role);
	sq_bind_text(q, 5, r->town);
	sq_bind_text(q, 6, r->deadline);
	sq_bind_text(q, 7, r->created_at);
	enum tp_rc rc = sq_step_changed(s, q);
	if (rc == TP_ERR_NOT_FOUND)
		return TP_ERR_CONFLICT; /* there is one already */
	if (rc == TP_OK)
		r->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum tp_rc sq_reminder_list(struct store *st, const char *role, const char *const *towns,
			    int ntowns, struct arena *a, struct reminder **out, size_t *n)
{
	struct sq_store *s = sq(st);
	struct where w;
	memset(&w, 0, sizeof w);
	if (role)
		w_text(&w, "r.role = ?", role);
	if (ntowns)
		w_in(&w, "r.town", towns, ntowns);
	char sql[1536];
	snprintf(sql, sizeof sql,
		 "SELECT r.id, r.application_id, r.step, r.state, r.role, r.town, r.deadline, "
		 "r.created_at FROM reminders r JOIN applications a ON a.id = r.application_id "
		 "WHERE a.step = r.step%s ORDER BY r.id DESC LIMIT 500",
		 w.sql);
	sqlite3_stmt *q = sq_prepare_text(s, sql);
	if (!q)
		return TP_ERR_DB;
	w_bind(&w, q, 1);
	*n = 0;
	*out = arena_alloc(a, sizeof(**out) * 500);
	int r = SQLITE_DONE;
	while (*out && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct reminder *m = &(*out)[(*n)++];
		m->id = sqlite3_column_int64(q, 0);
		m->application_id = sqlite3_column_int64(q, 1);
		m->step = sqlite3_column_int64(q, 2);
		m->state = sq_col_text(q, 3, a);
		m->role = sq_col_text(q, 4, a);
		m->town = sq_col_text(q, 5, a);
		m->deadline = sq_col_text(q, 6, a);
		m->created_at = sq_col_text(q, 7, a);
	}
	sqlite3_reset(q);
	if (!*out)
		return TP_ERR_NOMEM;
	return r == SQLITE_DONE || r == SQLITE_ROW ? TP_OK : sq_rc(s, r);
}
