/*
 * teams_int.h — shared by the team-review files of src/domain (not for other callers).
 */
#ifndef TP_DOMAIN_TEAMS_INT_H
#define TP_DOMAIN_TEAMS_INT_H

#include "domain/teams.h"

/* now as "2026-11-27T02:21:15Z". */
void team_time(int64_t now, char out[24]);

/* A round with its criteria parsed; NOT_FOUND when missing. */
enum tp_rc team_round_load(struct store *st, int64_t id, struct arena *a,
			   struct team_round *out);

/* 1 when who may see team t (office, system: all; expert: on the panel of t's round;
 * talent: leader or member; employer: t's enterprise). */
int team_visible(struct store *st, const struct actor *who, const struct team *t);

/* Adds the one error of a refused state change (409): code, and the allowed state. */
enum tp_rc team_state_error(struct verrors *ve, const char *field, const char *code,
			    const char *zh, const char *en);

#endif
