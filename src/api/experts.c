/*
 * experts.c — GET /api/v1/experts: the active expert accounts (评审专家) the talent office
 * may put on a team-review panel (docs/team-review.md).  The office cannot read the account
 * list (/api/v1/users is the admin's); this answers only what forming a panel needs: id,
 * username and display name of accounts of role `expert` that are not disabled.
 */
#include <string.h>

#include "api/api.h"
#include "core/jsonw.h"
#include "domain/accounts.h"
#include "store/store.h"

void api_experts_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query page;
	if (api_read_query(rq, &page, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct user_query q = {0};
	q.role = ROLE_EXPERT;
	q.q = page.q;
	q.page = page.page;
	q.per_page = page.per_page;
	struct user_page out;
	enum tp_rc rc = STORE_CALL(user_list, rq->store, &q, rq->arena, &out);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < out.n; i++) {
		const struct user *u = &out.items[i];
		jw_obj_begin(&w);
		jw_kint(&w, "id", u->id);
		jw_kstr(&w, "username", u->username);
		jw_kstr(&w, "display_name", u->display_name ? u->display_name : "");
		jw_obj_end(&w);
	}
	api_items_send(rs, &w, q.page, q.per_page, out.total);
}
