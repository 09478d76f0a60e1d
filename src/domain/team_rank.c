/*
 * team_rank.c — the ranking of a round's teams from the counted scores (pure: no store).
 *
 * Per expert with a complete score set (every criterion of the round scored) the weighted
 * total is 100 * sum_c(w_c * s_c / max_c) / sum_c(w_c), on 0..100.  A team's score is the
 * mean of its experts' totals; sd is their population standard deviation (the panel is
 * the whole population of judges, not a sample); a total is flagged when
 * |total - mean| > 2 sd (strictly).  No total lies more than sqrt(n - 1) sd from the mean
 * of n totals (Samuelson's inequality), so a flag needs at least 6 experts (5 reach exactly
 * 2 sd at most).  docs/team-review.md has a worked example.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/teams.h"

/* The expert's total over the round's criteria; 0 when some criterion has no score. */
static int expert_total(const struct team_round *r, const struct team_score *scores, size_t ns,
			int64_t team_id, int64_t expert_id, double *total)
{
	double sum = 0, wsum = 0;
	for (int c = 0; c < r->ncriteria; c++) {
		const struct team_criterion *k = &r->criteria[c];
		int found = 0;
		for (size_t i = 0; i < ns && !found; i++) {
			const struct team_score *x = &scores[i];
			if (x->team_id == team_id && x->expert_id == expert_id &&
			    strcmp(x->criterion, k->id) == 0) {
				sum += (double)((int64_t)k->weight * x->score) / k->max;
				found = 1;
			}
		}
		if (!found)
			return 0;
		wsum += k->weight;
	}
	*total = wsum > 0 ? 100.0 * sum / wsum : 0;
	return 1;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct team_rank_row *a = pa, *b = pb;
	if ((a->nexperts > 0) != (b->nexperts > 0))
		return a->nexperts > 0 ? -1 : 1;
	if (a->nexperts > 0 && a->mean != b->mean)
		return a->mean > b->mean ? -1 : 1;
	return (a->team_id > b->team_id) - (a->team_id < b->team_id);
}

static enum tp_rc rank_team(const struct team_round *r, const struct team *t,
			    const struct team_score *scores, size_t ns, struct arena *a,
			    struct team_rank_row *row)
{
	memset(row, 0, sizeof *row);
	row->team_id = t->id;
	row->team = t;
	/* the distinct experts who scored this team, in id order */
	size_t ne = 0;
	int64_t *ids = NULL;
	for (size_t i = 0; i < ns; i++)
		ne += scores[i].team_id == t->id;
	if (ne == 0)
		return TP_OK;
	ids = arena_alloc(a, ne * sizeof *ids);
	row->experts = arena_alloc(a, ne * sizeof *row->experts);
	if (!ids || !row->experts)
		return TP_ERR_NOMEM;
	size_t nids = 0;
	for (size_t i = 0; i < ns; i++) {
		if (scores[i].team_id != t->id)
			continue;
		size_t j = 0;
		while (j < nids && ids[j] != scores[i].expert_id)
			j++;
		if (j == nids)
			ids[nids++] = scores[i].expert_id;
	}
	for (size_t i = 1; i < nids; i++) /* insertion sort: a panel is small */
		for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			int64_t tmp = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = tmp;
		}
	double sum = 0;
	for (size_t i = 0; i < nids; i++) {
		double total;
		if (!expert_total(r, scores, ns, t->id, ids[i], &total)) {
			row->nincomplete++;
			continue;
		}
		row->experts[row->nexperts].expert_id = ids[i];
		row->experts[row->nexperts].total = total;
		row->nexperts++;
		sum += total;
	}
	if (row->nexperts == 0)
		return TP_OK;
	size_t n = row->nexperts;
	row->mean = sum / (double)n;
	double ss = 0;
	for (size_t i = 0; i < n; i++) {
		double d = row->experts[i].total - row->mean;
		ss += d * d;
	}
	row->sd = sqrt(ss / (double)n);
	for (size_t i = 0; i < n; i++) {
		struct team_rank_expert *e = &row->experts[i];
		double d = e->total - row->mean;
		e->z = row->sd > 0 ? d / row->sd : 0;
		e->flagged = row->sd > 0 && fabs(d) > 2.0 * row->sd;
	}
	return TP_OK;
}

enum tp_rc team_rank_compute(const struct team_round *r, const struct team *teams, size_t nt,
			     const struct team_score *scores, size_t ns, struct arena *a,
			     struct team_rank_row **out)
{
	*out = NULL;
	if (nt == 0)
		return TP_OK;
	struct team_rank_row *rows = arena_alloc(a, nt * sizeof *rows);
	if (!rows)
		return TP_ERR_NOMEM;
	for (size_t i = 0; i < nt; i++) {
		enum tp_rc rc = rank_team(r, &teams[i], scores, ns, a, &rows[i]);
		if (rc != TP_OK)
			return rc;
	}
	qsort(rows, nt, sizeof *rows, row_cmp);
	int rank = 0;
	for (size_t i = 0; i < nt; i++)
		rows[i].rank = rows[i].nexperts > 0 ? ++rank : 0;
	*out = rows;
	return TP_OK;
}
