/*
 * teams.h — team review (团队评审): rounds with their criteria, team applications, the
 * expert panel, conflicts of interest, scores, the ranking and the office's decision.
 * docs/team-review.md has the rules; migrations/0013_teams.sql the tables.
 *
 * Every function that changes state runs in one transaction of its own (store_begin ..
 * store_end), checks the object against the actor and audits the change in that
 * transaction.  Results are allocated from the arena of the verrors / the given arena.
 * Return values: TP_OK; TP_ERR_INVALID with field errors in ve; TP_ERR_NOT_FOUND for an
 * object that does not exist or that the actor may not see; TP_ERR_CONFLICT when the
 * state does not allow the action (ve then holds one error whose code names it).
 */
#ifndef TP_DOMAIN_TEAMS_H
#define TP_DOMAIN_TEAMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct store;
struct arena;

#define TEAM_CRITERIA_MAX 12
#define TEAM_MEMBERS_MAX 50
#define TEAM_CRITERION_ID_MAX 32

struct team_criterion {
	const char *id;       /* [a-z0-9_]{1,32}, unique in the round */
	const char *title_zh, *title_en;
	int weight;           /* 1..100 */
	int max;              /* 1..1000: a score is an integer 0..max */
};

struct team_round {
	int64_t id, version;
	int year;
	const char *title;
	const char *status;   /* "open" | "scoring" | "decided" */
	struct team_criterion criteria[TEAM_CRITERIA_MAX];
	int ncriteria;
	const char *criteria_json; /* as stored */
	int64_t created_by;
	const char *created_at;
};

struct team_member {
	int64_t talent_id;    /* 0 when given by name only */
	const char *name;
	const char *role;
};

struct team {
	int64_t id, version, round_id;
	const char *name;
	int64_t leader_talent_id;
	const char *leader_name;
	int64_t enterprise_id; /* 0 = none */
	const char *project_title, *project_summary;
	const char *status;    /* "submitted" | "withdrawn" | "scored" | "decided" */
	const char *support_tier; /* NULL until decided; "A" | "B" | "C" | "none" */
	int64_t decided_by;
	const char *decided_at, *reason;
	int64_t submitted_by;
	const char *created_at;
	struct team_member *members;
	size_t nmembers;
};

struct team_tier {
	const char *code, *title_zh, *title_en, *source;
	int64_t amount_fen;
};

struct panel_expert {
	int64_t expert_id;
	const char *username, *display_name, *added_at;
};

/* One stored score, for the ranking and for an expert's own view. */
struct team_score {
	int64_t team_id, expert_id;
	const char *criterion;
	int64_t score;
	const char *at;
};

/* Which teams a list shows; 0 / NULL = no restriction.  Set by the domain from the actor. */
struct team_filter {
	int64_t round_id;
	int64_t talent_id;     /* teams this talent leads or is a member of */
	int64_t enterprise_id; /* teams of this enterprise */
	int64_t expert_id;     /* teams of rounds whose panel has this expert */
	const char *status;
};

/* The default criteria ([design], docs/team-review.md): innovation 30, industry fit (4341) 25,
 * team strength 25, feasibility 20 — weight = max, so an expert's total is the plain sum. */
extern const char TEAM_DEFAULT_CRITERIA[];

/*
 * Parses and checks a criteria array (JSON text) into r->criteria; field errors under
 * "criteria[i].x" in ve.  Returns 0, or -1 after adding errors.
 */
int team_criteria_parse(const char *json, struct team_round *r, struct verrors *ve);

/* ---- rounds (team_rounds.c) ---- */

/* Creates a round (status open); criteria_json NULL takes the default.  Office only. */
enum tp_rc team_round_create(struct store *st, const struct actor *who, struct team_round *r,
			     const char *criteria_json, int64_t now, struct verrors *ve);
/* A round the actor may see (office: all; expert: rounds of their panels; talent and
 * employer: every round — calls for applications are public). */
enum tp_rc team_round_get(struct store *st, const struct actor *who, int64_t id,
			  struct arena *a, struct team_round *out);
enum tp_rc team_round_list(struct store *st, const struct actor *who, struct arena *a,
			   struct team_round **out, size_t *n);
/* open → scoring (needs at least one panel expert), scoring → decided ("close"). */
enum tp_rc team_round_advance(struct store *st, const struct actor *who, int64_t id,
			      const char *to, int64_t now, struct verrors *ve);
/* The panel: add (an active expert account; not after the round is decided) or remove (its
 * scores then leave the ranking). */
enum tp_rc team_panel_add(struct store *st, const struct actor *who, int64_t round_id,
			  int64_t expert_id, int64_t now, struct verrors *ve);
enum tp_rc team_panel_remove(struct store *st, const struct actor *who, int64_t round_id,
			     int64_t expert_id, int64_t now, struct verrors *ve);
enum tp_rc team_panel_list(struct store *st, int64_t round_id, struct arena *a,
			   struct panel_expert **out, size_t *n);
enum tp_rc team_tiers_list(struct store *st, struct arena *a, struct team_tier **out,
			   size_t *n);

/* ---- teams (teams.c) ---- */

/* A team applies to an open round.  A talent leads its own team (leader_talent_id 0 or its
 * own); an employer names a leader among its staff and the team is its enterprise's.
 * Members with a talent_id must be talents the actor may see (the name is then the
 * registry's); others are given by name. */
enum tp_rc team_apply(struct store *st, const struct actor *who, struct team *t, int64_t now,
		      struct verrors *ve);
/* A team the actor may see (office: all; expert: on the round's panel; talent: leader or
 * member; employer: its enterprise's).  NOT_FOUND otherwise. */
enum tp_rc team_get(struct store *st, const struct actor *who, int64_t id, struct arena *a,
		    struct team *out);
enum tp_rc team_list(struct store *st, const struct actor *who, struct team_filter *f,
		     struct arena *a, struct team **out, size_t *n);
/* The leader (talent) or the team's employer withdraws while the round is open. */
enum tp_rc team_withdraw(struct store *st, const struct actor *who, int64_t id, int64_t now,
			 struct verrors *ve);
/* The office decides the tier ("A" | "B" | "C" | "none") with a reason, once the round is
 * decided (scoring closed); a decision may be changed (re-decided), audited each time. */
enum tp_rc team_decide(struct store *st, const struct actor *who, int64_t id, const char *tier,
		       const char *reason, int64_t now, struct verrors *ve);

/* ---- conflicts and scores (team_scores.c) ---- */

/* An expert of the round's panel declares a conflict of interest with a team (once). */
enum tp_rc team_conflict_declare(struct store *st, const struct actor *who, int64_t team_id,
				 const char *reason, int64_t now, struct verrors *ve);
/* 1 when the expert declared a conflict with the team. */
int team_conflicted(struct store *st, int64_t expert_id, int64_t team_id);
/* An expert scores a team on some criteria while the round is scoring: criteria[i] gets
 * scores[i] (0..max).  A score given before is replaced.  CONFLICT (code
 * "conflict_of_interest") when the expert declared a conflict with the team. */
enum tp_rc team_score_submit(struct store *st, const struct actor *who, int64_t team_id,
			     const char *const *criteria, const int64_t *scores, size_t n,
			     int64_t now, struct verrors *ve);
/* The expert's own scores of a team. */
enum tp_rc team_scores_mine(struct store *st, const struct actor *who, int64_t team_id,
			    struct arena *a, struct team_score **out, size_t *n);

/* ---- the ranking (team_rank.c) ---- */

struct team_rank_expert {
	int64_t expert_id;
	double total;   /* the expert's weighted total, 0..100 */
	double z;       /* (total - mean) / sd; 0 when sd is 0 */
	int flagged;    /* |total - mean| > 2 sd */
};

struct team_rank_row {
	int64_t team_id;
	const struct team *team;
	int rank;       /* 1.. ; teams with no complete score set come last, rank 0 */
	size_t nexperts;
	double mean, sd;
	struct team_rank_expert *experts;
	size_t nincomplete; /* experts who scored some criteria but not all (not counted) */
};

/*
 * The ranking of a round's teams (withdrawn ones left out) from the scores of the
 * current panel's experts without a declared conflict: per expert a weighted total
 * 100 * sum(w_c * s_c / max_c) / sum(w_c) over a complete score set, the team's mean of
 * those totals, their population standard deviation, and each total flagged when
 * |total - mean| > 2 sd.  Order: mean descending, then team id ascending (the earlier
 * application first); teams without a complete score set last, by id.  Office only.
 */
enum tp_rc team_ranking(struct store *st, const struct actor *who, int64_t round_id,
			struct arena *a, struct team_round *round, struct team_rank_row **out,
			size_t *n);

/* The pure part of team_ranking, for tests: teams[0..nt), scores[0..ns) (already filtered
 * to counted experts) into rows (nt of them, from a), ordered. */
enum tp_rc team_rank_compute(const struct team_round *r, const struct team *teams, size_t nt,
			     const struct team_score *scores, size_t ns, struct arena *a,
			     struct team_rank_row **out);

#endif
