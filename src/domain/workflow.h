/*
 * workflow.h — state machines of applications, declared as data (workflows/<kind>.yaml,
 * docs/workflow.md): states with the role that acts and a deadline in working days,
 * transitions (from, action, to, role, condition), and where a submission starts.
 *
 * Loaded once before the server starts; read-only afterwards and shared by threads.
 * What an action does beyond moving the state (the fields a return needs, the tier an
 * office approval sets, the certificate a close issues) is in the application code
 * (applications.c); the definitions only name those actions and conditions, and loading
 * refuses names it does not know.
 */
#ifndef TP_DOMAIN_WORKFLOW_H
#define TP_DOMAIN_WORKFLOW_H

#include <stdio.h>

#define WF_MAX_STATES 32
#define WF_MAX_TRANSITIONS 96
#define WF_MAX_START 8
#define WF_MAX_KINDS 16

struct wf_state {
	const char *id, *title_zh, *title_en;
	const char *role;      /* who acts: a role name or "applicant"; NULL in a final state */
	int deadline_days;     /* working days; 0 = no deadline */
	int final;             /* no transition leaves it */
	int public;            /* listed publicly (公示) and open to objections */
};

struct wf_transition {
	const char *from, *action;
	const char *to;        /* a state, or "start": the start rules again */
	const char *role;      /* who may take it: the from state's role unless given */
	const char *when;      /* a named condition, or NULL */
};

struct wf_start {
	const char *to, *when;
};

struct workflow {
	const char *id, *title_zh, *title_en;
	struct wf_state states[WF_MAX_STATES];
	int nstates;
	struct wf_transition trans[WF_MAX_TRANSITIONS];
	int ntrans;
	struct wf_start start[WF_MAX_START];
	int nstart;
};

/* The actions and conditions the application code implements. */
extern const char *const wf_actions_known[];    /* approve return reject withdraw resubmit close */
extern const char *const wf_conditions_known[]; /* employer_confirms announcement_clear */

/*
 * Loads every *.yaml of dir as one workflow each (its id is the application kind) and
 * makes them the process's workflows.  Checks: known keys, every state and action named
 * exists, roles are account roles or "applicant", deadlines 0..365, no two transitions
 * with the same from and action, final states have no way out, every non-final state is
 * reachable from start.  On failure writes each problem ("file:line:col: 中文 / English")
 * to err and returns -1 (the previous set stays).  Call before serving, never during.
 */
int workflows_load(const char *dir, FILE *err);

/* The workflow of an application kind, or NULL. */
const struct workflow *workflow_find(const char *kind);

/* The i-th loaded workflow (0-based), or NULL past the last. */
const struct workflow *workflow_nth(int i);

/* Frees the loaded workflows. */
void workflows_free(void);

/* The state of w with this id, or NULL. */
const struct wf_state *wf_state(const struct workflow *w, const char *id);

/* The transition out of state `from` by `action`, or NULL when that state does not allow it. */
const struct wf_transition *wf_transition(const struct workflow *w, const char *from,
					  const char *action);

/* Writes the actions state `from` allows into out (at most max) and returns how many. */
int wf_allowed(const struct workflow *w, const char *from, const char **out, int max);

/* The role that takes t: its own or its from state's. */
const char *wf_transition_role(const struct workflow *w, const struct wf_transition *t);

/*
 * The directory of the default workflows: "workflows" in the current folder, else the one
 * beside the build folder the program was built in (as for the default policy pack).
 */
const char *workflows_default_dir(char *buf, size_t len);

#endif
