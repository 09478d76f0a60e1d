/*
 * application_files.c — the route handlers of an application's evidence files
 * (/api/v1/applications/{id}/files[/{file_id}]): the application's access check, then
 * api/files.h.  Not in the route table yet: docs/openapi-files-fragment.yaml has the
 * lines, and tests/api/test_application_files.py runs once they are there.
 *
 * Who may do what:
 *   - read (list, download): whoever may see the application (application_visible: the
 *     talent, its employer, the town's reviewers and liaisons, the office); anyone else
 *     gets 404 exactly as for a missing application, audited (api_hidden);
 *   - change (upload, delete): the applicant side only — the talent of the application or
 *     the employer of its enterprise — and only while the application is open: not in a
 *     final state and not in public announcement (公示), whose evidence is what the public
 *     and the reviewers saw.  Otherwise 409 files_frozen naming the state.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/files.h"
#include "core/arena.h"
#include "domain/applications.h"
#include "domain/workflow.h"
#include "store/store.h"

/* Application params[0] when the caller may see it (0), else answered (-1). */
static int load(struct request *rq, struct response *rs, struct application *a)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(application_get, rq->store, id, rq->arena, a);
	if (rc == TP_ERR_NOT_FOUND ||
	    (rc == TP_OK && !application_visible(rq->store, &rq->actor, a))) {
		api_hidden(rq, rs, "application", id);
		return -1;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	return 0;
}

/* For upload and delete: 0 when the caller may change a's files now, else answered. */
static int may_change(struct request *rq, struct response *rs, const struct application *a)
{
	if (rq->actor.role != ROLE_TALENT && rq->actor.role != ROLE_EMPLOYER) {
		resp_problem(rq, rs, 403, "forbidden", "只有申请人或其用人单位可以上传或删除材料",
			     "only the applicant or their employer may upload or remove files",
			     NULL);
		return -1;
	}
	const struct workflow *wf = workflow_find(a->kind);
	const struct wf_state *s = wf ? wf_state(wf, a->state) : NULL;
	if (!s || s->final || s->public) {
		char zh[200], en[200];
		snprintf(zh, sizeof zh, "申请当前状态（%s）不允许更改材料",
			 s ? s->title_zh : a->state);
		snprintf(en, sizeof en, "the application's state (%s) does not allow changing its files",
			 s ? s->title_en : a->state);
		resp_problem(rq, rs, 409, "files_frozen", zh, en, NULL);
		return -1;
	}
	return 0;
}

/* params[1] as a file id (0 and answered 404 when it is not one). */
static int64_t file_id(struct request *rq, struct response *rs)
{
	int64_t id;
	if (rq->nparams < 2 || req_parse_id(rq->params[1], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return 0;
	}
	return id;
}

void api_application_files_upload(struct request *rq, struct response *rs)
{
	struct application a;
	if (load(rq, rs, &a) == 0 && may_change(rq, rs, &a) == 0)
		api_files_upload(rq, rs, a.id);
}

void api_application_files_list(struct request *rq, struct response *rs)
{
	struct application a;
	if (load(rq, rs, &a) == 0)
		api_files_list(rq, rs, a.id);
}

void api_application_files_download(struct request *rq, struct response *rs)
{
	struct application a;
	int64_t fid;
	if (load(rq, rs, &a) == 0 && (fid = file_id(rq, rs)) > 0)
		api_files_download(rq, rs, a.id, fid);
}

void api_application_files_delete(struct request *rq, struct response *rs)
{
	struct application a;
	int64_t fid;
	if (load(rq, rs, &a) == 0 && may_change(rq, rs, &a) == 0 && (fid = file_id(rq, rs)) > 0)
		api_files_delete(rq, rs, a.id, fid);
}
