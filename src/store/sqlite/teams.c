/*
 * teams.c — team review in SQLite (store/teams.h, migrations/0013_teams.sql): rounds,
 * teams and their members, the panel, conflicts, scores and the support tiers.
 */
#include <string.h>

#include "core/arena.h"
#include "store/sqlite/internal.h"
#include "store/teams.h"

/* Grows an arena array of *cap elements of size sz to twice as many (copying *n). */
/* ---------------------------------------------------------------- rounds */

static enum tp_rc sqt_round_insert(struct store *st, struct team_round *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO team_rounds (year, title, criteria, status, "
					"created_by, created_at) VALUES (?,?,?,'open',?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int(q, 1, r->year);
	sq_bind_text(q, 2, r->title);
	sq_bind_text(q, 3, r->criteria_json);
	sq_bind_int_opt(q, 4, r->created_by, 0);
	sq_bind_text(q, 5, r->created_at);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK) {
		r->id = sqlite3_last_insert_rowid(s->db);
		r->version = 1;
		r->status = "open";
		sq_counts_bump();
	}
	return rc;
}

#define ROUND_COLS "r.id, r.version, r.year, r.title, r.criteria, r.status, r.created_by, r.created_at"

static void read_round(sqlite3_stmt *q, struct arena *a, struct team_round *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->version = sqlite3_column_int64(q, 1);
	r->year = sqlite3_column_int(q, 2);
	r->title = sq_col_text(q, 3, a);
	r->criteria_json = sq_col_text(q, 4, a);
	r->status = sq_col_text(q, 5, a);
	r->created_by = sq_col_int(q, 6, 0);
	r->created_at = sq_col_text(q, 7, a);
}

static enum tp_rc sqt_round_get(struct store *st, int64_t id, struct arena *a,
			    struct team_round *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " ROUND_COLS " FROM team_rounds r WHERE r.id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_round(q, a, out);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return out->title && out->criteria_json && out->status ? TP_OK : TP_ERR_NOMEM;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

static enum tp_rc sqt_round_list(struct store *st, int64_t expert_id, struct arena *a,
			     struct team_round **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT " ROUND_COLS " FROM team_rounds r WHERE ?1 = 0 OR EXISTS "
	       "(SELECT 1 FROM team_panel p WHERE p.round_id = r.id AND p.expert_id = ?1) "
	       "ORDER BY r.id DESC LIMIT 1000");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, expert_id);
	size_t cap = 0;
	struct team_round *items = NULL;
	*n = 0;
	int rc, oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 16))) {
			oom = 1;
			break;
		}
		read_round(q, a, &items[(*n)++]);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc sqt_round_set_status(struct store *st, int64_t id, const char *from,
				   const char *to)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE team_rounds SET status = ?, version = version + 1 "
					"WHERE id = ? AND status = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, to);
	sqlite3_bind_int64(q, 2, id);
	sq_bind_text(q, 3, from);
	enum tp_rc rc = sq_step_changed(s, q);
	return rc == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : rc;
}

static enum tp_rc sqt_round_teams_status(struct store *st, int64_t round_id, const char *from,
				     const char *to)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE teams SET status = ?, version = version + 1 "
					"WHERE round_id = ? AND status = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, to);
	sqlite3_bind_int64(q, 2, round_id);
	sq_bind_text(q, 3, from);
	return sq_step_done(s, q);
}

/* ---------------------------------------------------------------- panel */

static enum tp_rc sqt_panel_add(struct store *st, int64_t round_id, int64_t expert_id, int64_t by,
			    const char *at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO team_panel (round_id, expert_id, added_by, "
					"added_at) VALUES (?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, round_id);
	sqlite3_bind_int64(q, 2, expert_id);
	sq_bind_int_opt(q, 3, by, 0);
	sq_bind_text(q, 4, at);
	return sq_step_done(s, q);
}

static enum tp_rc sqt_panel_remove(struct store *st, int64_t round_id, int64_t expert_id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q =
	    sq_prepare(s, "DELETE FROM team_panel WHERE round_id = ? AND expert_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, round_id);
	sqlite3_bind_int64(q, 2, expert_id);
	return sq_step_changed(s, q);
}

static enum tp_rc sqt_panel_has(struct store *st, int64_t round_id, int64_t expert_id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q =
	    sq_prepare(s, "SELECT 1 FROM team_panel WHERE round_id = ? AND expert_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, round_id);
	sqlite3_bind_int64(q, 2, expert_id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? TP_OK : rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

static enum tp_rc sqt_panel_list(struct store *st, int64_t round_id, struct arena *a,
			     struct panel_expert **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT p.expert_id, u.username, u.display_name, p.added_at FROM team_panel p "
	       "JOIN users u ON u.id = p.expert_id WHERE p.round_id = ? ORDER BY p.expert_id");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, round_id);
	size_t cap = 0;
	struct panel_expert *items = NULL;
	*n = 0;
	int rc, oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 16))) {
			oom = 1;
			break;
		}
		struct panel_expert *e = &items[(*n)++];
		e->expert_id = sqlite3_column_int64(q, 0);
		e->username = sq_col_text(q, 1, a);
		e->display_name = sq_col_text(q, 2, a);
		e->added_at = sq_col_text(q, 3, a);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

/* ---------------------------------------------------------------- teams */

static enum tp_rc sqt_team_insert(struct store *st, struct team *t)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "INSERT INTO teams (round_id, name, leader_talent_id, leader_name, enterprise_id, "
	       "project_title, project_summary, status, submitted_by, created_at) "
	       "VALUES (?,?,?,?,?,?,?,'submitted',?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, t->round_id);
	sq_bind_text(q, 2, t->name);
	sqlite3_bind_int64(q, 3, t->leader_talent_id);
	sq_bind_text(q, 4, t->leader_name);
	sq_bind_int_opt(q, 5, t->enterprise_id, 0);
	sq_bind_text(q, 6, t->project_title);
	sq_bind_text(q, 7, t->project_summary ? t->project_summary : "");
	sq_bind_int_opt(q, 8, t->submitted_by, 0);
	sq_bind_text(q, 9, t->created_at);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	t->id = sqlite3_last_insert_rowid(s->db);
	t->version = 1;
	t->status = "submitted";
	q = sq_prepare(s, "INSERT INTO team_members (team_id, seq, talent_id, name, role) "
			  "VALUES (?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	for (size_t i = 0; rc == TP_OK && i < t->nmembers; i++) {
		sqlite3_bind_int64(q, 1, t->id);
		sqlite3_bind_int64(q, 2, (int64_t)i + 1);
		sq_bind_int_opt(q, 3, t->members[i].talent_id, 0);
		sq_bind_text(q, 4, t->members[i].name);
		sq_bind_text(q, 5, t->members[i].role);
		rc = sq_step_done(s, q);
	}
	sq_counts_bump();
	return rc;
}

#define TEAM_COLS                                                                            \
	"t.id, t.version, t.round_id, t.name, t.leader_talent_id, t.leader_name, "            \
	"t.enterprise_id, t.project_title, t.project_summary, t.status, t.support_tier, "     \
	"t.decided_by, t.decided_at, t.reason, t.submitted_by, t.created_at"

static void read_team(sqlite3_stmt *q, struct arena *a, struct team *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(q, 0);
	t->version = sqlite3_column_int64(q, 1);
	t->round_id = sqlite3_column_int64(q, 2);
	t->name = sq_col_text(q, 3, a);
	t->leader_talent_id = sqlite3_column_int64(q, 4);
	t->leader_name = sq_col_text(q, 5, a);
	t->enterprise_id = sq_col_int(q, 6, 0);
	t->project_title = sq_col_text(q, 7, a);
	t->project_summary = sq_col_text(q, 8, a);
	t->status = sq_col_text(q, 9, a);
	t->support_tier = sq_col_text(q, 10, a);
	t->decided_by = sq_col_int(q, 11, 0);
	t->decided_at = sq_col_text(q, 12, a);
	t->reason = sq_col_text(q, 13, a);
	t->submitted_by = sq_col_int(q, 14, 0);
	t->created_at = sq_col_text(q, 15, a);
}

static enum tp_rc sqt_team_get(struct store *st, int64_t id, struct arena *a, struct team *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " TEAM_COLS " FROM teams t WHERE t.id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_team(q, a, out);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	if (!out->status || !out->name)
		return TP_ERR_NOMEM;
	q = sq_prepare(s, "SELECT talent_id, name, role FROM team_members WHERE team_id = ? "
			  "ORDER BY seq");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	size_t cap = 0;
	int oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->nmembers == cap &&
		    !(out->members = sq_grow(a, out->members, &cap, out->nmembers, sizeof *out->members, 16))) {
			oom = 1;
			break;
		}
		struct team_member *m = &out->members[out->nmembers++];
		m->talent_id = sq_col_int(q, 0, 0);
		m->name = sq_col_text(q, 1, a);
		m->role = sq_col_text(q, 2, a);
	}
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc sqt_team_list(struct store *st, const struct team_filter *f, struct arena *a,
			    struct team **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT " TEAM_COLS " FROM teams t WHERE (?1 = 0 OR t.round_id = ?1) "
	       "AND (?2 = 0 OR t.leader_talent_id = ?2 OR EXISTS (SELECT 1 FROM team_members m "
	       "WHERE m.team_id = t.id AND m.talent_id = ?2)) "
	       "AND (?3 = 0 OR t.enterprise_id = ?3) "
	       "AND (?4 = 0 OR EXISTS (SELECT 1 FROM team_panel p WHERE p.round_id = t.round_id "
	       "AND p.expert_id = ?4)) AND (?5 IS NULL OR t.status = ?5) "
	       "ORDER BY t.id LIMIT 5000");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, f->round_id);
	sqlite3_bind_int64(q, 2, f->talent_id);
	sqlite3_bind_int64(q, 3, f->enterprise_id);
	sqlite3_bind_int64(q, 4, f->expert_id);
	sq_bind_text(q, 5, f->status);
	size_t cap = 0;
	struct team *items = NULL;
	*n = 0;
	int rc, oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 16))) {
			oom = 1;
			break;
		}
		read_team(q, a, &items[(*n)++]);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc sqt_team_update(struct store *st, struct team *t)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "UPDATE teams SET status = ?, support_tier = ?, decided_by = ?, decided_at = ?, "
	       "reason = ?, version = version + 1 WHERE id = ? AND version = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, t->status);
	sq_bind_text(q, 2, t->support_tier);
	sq_bind_int_opt(q, 3, t->decided_by, 0);
	sq_bind_text(q, 4, t->decided_at);
	sq_bind_text(q, 5, t->reason ? t->reason : "");
	sqlite3_bind_int64(q, 6, t->id);
	sqlite3_bind_int64(q, 7, t->version);
	enum tp_rc rc = sq_step_changed(s, q);
	if (rc == TP_OK)
		t->version++;
	return rc == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : rc;
}

/* ---------------------------------------------------------------- conflicts, scores */

static enum tp_rc sqt_conflict_insert(struct store *st, int64_t expert_id, int64_t team_id,
				  const char *reason, const char *at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO team_conflicts (expert_id, team_id, reason, "
					"declared_at) VALUES (?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, expert_id);
	sqlite3_bind_int64(q, 2, team_id);
	sq_bind_text(q, 3, reason);
	sq_bind_text(q, 4, at);
	return sq_step_done(s, q);
}

static enum tp_rc sqt_conflict_has(struct store *st, int64_t expert_id, int64_t team_id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q =
	    sq_prepare(s, "SELECT 1 FROM team_conflicts WHERE expert_id = ? AND team_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, expert_id);
	sqlite3_bind_int64(q, 2, team_id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? TP_OK : rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

static enum tp_rc sqt_score_put(struct store *st, int64_t expert_id, int64_t team_id,
			    const char *criterion, int64_t score, const char *at, int64_t *old)
{
	struct sq_store *s = sq(st);
	*old = -1;
	sqlite3_stmt *q = sq_prepare(s, "SELECT score FROM team_scores WHERE expert_id = ? AND "
					"team_id = ? AND criterion = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, expert_id);
	sqlite3_bind_int64(q, 2, team_id);
	sq_bind_text(q, 3, criterion);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*old = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_rc(s, rc);
	q = sq_prepare(s, "INSERT INTO team_scores (expert_id, team_id, criterion, score, at) "
			  "VALUES (?,?,?,?,?) ON CONFLICT (expert_id, team_id, criterion) "
			  "DO UPDATE SET score = excluded.score, at = excluded.at");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, expert_id);
	sqlite3_bind_int64(q, 2, team_id);
	sq_bind_text(q, 3, criterion);
	sqlite3_bind_int64(q, 4, score);
	sq_bind_text(q, 5, at);
	return sq_step_done(s, q);
}

static enum tp_rc read_scores(struct sq_store *s, sqlite3_stmt *q, struct arena *a,
			      struct team_score **out, size_t *n)
{
	size_t cap = 0;
	struct team_score *items = NULL;
	*n = 0;
	int rc, oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 16))) {
			oom = 1;
			break;
		}
		struct team_score *x = &items[(*n)++];
		x->team_id = sqlite3_column_int64(q, 0);
		x->expert_id = sqlite3_column_int64(q, 1);
		x->criterion = sq_col_text(q, 2, a);
		x->score = sqlite3_column_int64(q, 3);
		x->at = sq_col_text(q, 4, a);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc sqt_scores_of(struct store *st, int64_t expert_id, int64_t team_id,
			    struct arena *a, struct team_score **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT team_id, expert_id, criterion, score, at "
					"FROM team_scores WHERE expert_id = ? AND team_id = ? "
					"ORDER BY criterion");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, expert_id);
	sqlite3_bind_int64(q, 2, team_id);
	return read_scores(s, q, a, out, n);
}

static enum tp_rc sqt_round_scores(struct store *st, int64_t round_id, struct arena *a,
			       struct team_score **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT x.team_id, x.expert_id, x.criterion, x.score, x.at FROM team_scores x "
	       "JOIN teams t ON t.id = x.team_id "
	       "JOIN team_panel p ON p.round_id = t.round_id AND p.expert_id = x.expert_id "
	       "WHERE t.round_id = ? AND t.status <> 'withdrawn' AND NOT EXISTS "
	       "(SELECT 1 FROM team_conflicts c WHERE c.expert_id = x.expert_id "
	       "AND c.team_id = x.team_id) ORDER BY x.team_id, x.expert_id, x.criterion");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, round_id);
	return read_scores(s, q, a, out, n);
}

static enum tp_rc sqt_tiers_list(struct store *st, struct arena *a, struct team_tier **out,
			     size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT code, title_zh, title_en, amount_fen, source "
					"FROM team_tiers ORDER BY code");
	if (!q)
		return TP_ERR_DB;
	size_t cap = 0;
	struct team_tier *items = NULL;
	*n = 0;
	int rc, oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 16))) {
			oom = 1;
			break;
		}
		struct team_tier *x = &items[(*n)++];
		x->code = sq_col_text(q, 0, a);
		x->title_zh = sq_col_text(q, 1, a);
		x->title_en = sq_col_text(q, 2, a);
		x->amount_fen = sqlite3_column_int64(q, 3);
		x->source = sq_col_text(q, 4, a);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

const struct team_store_ops sq_team_ops = {
	.round_insert = sqt_round_insert,
	.round_get = sqt_round_get,
	.round_list = sqt_round_list,
	.round_set_status = sqt_round_set_status,
	.round_teams_status = sqt_round_teams_status,
	.panel_add = sqt_panel_add,
	.panel_remove = sqt_panel_remove,
	.panel_has = sqt_panel_has,
	.panel_list = sqt_panel_list,
	.team_insert = sqt_team_insert,
	.team_get = sqt_team_get,
	.team_list = sqt_team_list,
	.team_update = sqt_team_update,
	.conflict_insert = sqt_conflict_insert,
	.conflict_has = sqt_conflict_has,
	.score_put = sqt_score_put,
	.scores_of = sqt_scores_of,
	.round_scores = sqt_round_scores,
	.tiers_list = sqt_tiers_list,
};
