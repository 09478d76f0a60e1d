/*
 * store/teams.h — the storage operations of team review (domain/teams.h,
 * migrations/0013_teams.sql), a table of their own hung off struct store_ops (`teams`).
 * Same rules as store.h: TP_OK, NOT_FOUND, CONFLICT (a unique key is taken or a state
 * check failed), BUSY, DB; strings from the arena passed.
 */
#ifndef TP_STORE_TEAMS_H
#define TP_STORE_TEAMS_H

#include "domain/teams.h"
#include "store/store.h"

struct team_store_ops {
	/* Inserts r (year, title, criteria_json, created_by, created_at); sets r->id. */
	enum tp_rc (*round_insert)(struct store *st, struct team_round *r);
	/* The round with criteria_json as stored (not parsed). */
	enum tp_rc (*round_get)(struct store *st, int64_t id, struct arena *a,
				struct team_round *out);
	/* All rounds, newest first; expert_id > 0: only the rounds of that expert's panels. */
	enum tp_rc (*round_list)(struct store *st, int64_t expert_id, struct arena *a,
				 struct team_round **out, size_t *n);
	/* status from → to, version + 1; CONFLICT when the status is not from. */
	enum tp_rc (*round_set_status)(struct store *st, int64_t id, const char *from,
				       const char *to);
	/* teams of the round in status from → to (closing: submitted → scored). */
	enum tp_rc (*round_teams_status)(struct store *st, int64_t round_id, const char *from,
					 const char *to);

	enum tp_rc (*panel_add)(struct store *st, int64_t round_id, int64_t expert_id,
				int64_t by, const char *at);            /* CONFLICT: already there */
	enum tp_rc (*panel_remove)(struct store *st, int64_t round_id, int64_t expert_id);
	enum tp_rc (*panel_has)(struct store *st, int64_t round_id, int64_t expert_id);
	enum tp_rc (*panel_list)(struct store *st, int64_t round_id, struct arena *a,
				 struct panel_expert **out, size_t *n);

	/* Inserts t and its members; sets t->id. */
	enum tp_rc (*team_insert)(struct store *st, struct team *t);
	enum tp_rc (*team_get)(struct store *st, int64_t id, struct arena *a, struct team *out);
	/* Teams matching f (members not loaded), by id. */
	enum tp_rc (*team_list)(struct store *st, const struct team_filter *f, struct arena *a,
				struct team **out, size_t *n);
	/* status, support_tier, decided_by, decided_at, reason; version-checked (CONFLICT). */
	enum tp_rc (*team_update)(struct store *st, struct team *t);

	enum tp_rc (*conflict_insert)(struct store *st, int64_t expert_id, int64_t team_id,
				      const char *reason, const char *at); /* CONFLICT: declared */
	enum tp_rc (*conflict_has)(struct store *st, int64_t expert_id, int64_t team_id);

	/* Sets one score; *old gets the replaced score, -1 when there was none. */
	enum tp_rc (*score_put)(struct store *st, int64_t expert_id, int64_t team_id,
				const char *criterion, int64_t score, const char *at,
				int64_t *old);
	/* One expert's scores of one team, by criterion. */
	enum tp_rc (*scores_of)(struct store *st, int64_t expert_id, int64_t team_id,
				struct arena *a, struct team_score **out, size_t *n);
	/* The scores of a round's teams that count: by experts on the round's panel now,
	 * without a conflict declared with the team, teams not withdrawn. */
	enum tp_rc (*round_scores)(struct store *st, int64_t round_id, struct arena *a,
				   struct team_score **out, size_t *n);

	enum tp_rc (*tiers_list)(struct store *st, struct arena *a, struct team_tier **out,
				 size_t *n);
};

#define TEAMS_CALL(fn, st, ...) ((st)->ops->teams->fn((st), __VA_ARGS__))

#endif
