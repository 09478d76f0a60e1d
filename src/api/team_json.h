/*
 * team_json.h — what the team-review handlers share (team_rounds.c, teams.c,
 * team_scores.c): rendering and the mapping of domain results to answers.
 */
#ifndef TP_API_TEAM_JSON_H
#define TP_API_TEAM_JSON_H

#include "domain/teams.h"
#include "http/request.h"

struct jw;

/* A round with its criteria, and panel[0..npanel) when with_panel. */
void api_team_round_write(struct jw *w, const struct team_round *r,
			  const struct panel_expert *panel, size_t npanel, int with_panel);
/* A team as the caller may see it: an expert sees no talent ids and no decision record. */
void api_team_write(struct jw *w, const struct request *rq, const struct team *t);
/* Answers a domain result other than TP_OK: 422 with ve, 409 named by ve's first error,
 * 404 (audited as access.denied when the object exists but is not the caller's to see:
 * type "team" or "team_round"), or resp_rc. */
void api_team_fail(struct request *rq, struct response *rs, enum tp_rc rc,
		   const struct verrors *ve, const char *type, int64_t id);
/* A number with two decimals (rounded half away from zero). */
void api_team_num(struct jw *w, const char *key, double v);

#endif
