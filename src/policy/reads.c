/*
 * reads.c — which facts a pack may read (pol_pack_reads()), so that a filler of
 * columns can leave out the facts no policy reads (an id nobody compares, say).
 *
 * Every compiled expression of every policy is read back once: leaf loads and the
 * FIELD chains after them give fact paths; a path used by anything but a FIELD is a
 * read of that fact as a whole.  A FIELD of a value that is not a fact path (a `let`
 * holding a record, a list element bound by a lambda) or an operation this reading
 * does not know makes every fact count as read.  The answer errs on "read".
 */
#include <stdlib.h>
#include <string.h>

#include "policy/pol_int.h"

#define R_MAX 256      /* read paths kept; more: everything counts as read */
#define R_LEN 6

struct rp {
	int root, n;
	int f[R_LEN];
};

struct rscan {
	struct rp reads[R_MAX];
	int nreads;
	int all;          /* every fact counts as read */
};

static void add_read(struct rscan *s, const struct rp *p)
{
	for (int i = 0; i < s->nreads; i++)
		if (s->reads[i].root == p->root && s->reads[i].n == p->n &&
		    memcmp(s->reads[i].f, p->f, sizeof(int) * (size_t)p->n) == 0)
			return;
	if (s->nreads == R_MAX) {
		s->all = 1;
		return;
	}
	s->reads[s->nreads++] = *p;
}

static int arity(const struct insn *in)
{
	switch ((enum op)in->op) {
	case OP_CONST: case OP_ROOT: case OP_LOCAL: case OP_LET: case OP_CTX: case OP_PARAM:
		return 0;
	case OP_FIELD: case OP_PINDEX: case OP_NOT: case OP_NEG: case OP_TODEC: case OP_COUNT:
	case OP_PRESENT: case OP_YEAR_OF: case OP_MONTH_OF: case OP_LOOP: case OP_JF:
		return 1;
	case OP_FLOOR: case OP_ROUND: case OP_CEIL:
		return in->a == 0 ? 1 : 2;
	case OP_INDEX: case OP_AND: case OP_OR: case OP_ADD: case OP_SUB: case OP_MUL: case OP_EQ:
	case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_MIN: case OP_MAX:
	case OP_INLIST: case OP_MKRANGE: case OP_AGE_ON: case OP_ADD_YEARS:
		return 2;
	case OP_INRANGE: case OP_DATE: case OP_VALID_ON: case OP_OVERLAPS_YEAR:
		return 3;
	case OP_OVERLAPS_MONTH:
		return 4;
	default:
		return -1;
	}
}

/* instructions [from, to) of c in policy p; the stack holds fact paths (n >= 0) or values
 * (n < 0) */
static void scan(struct rscan *s, const struct ppolicy *p, const struct code *c, int from, int to)
{
	struct rp st[POL_MAX_STACK + 8];
	int sp = 0;

	for (int pc = from; pc < to && !s->all; pc++) {
		const struct insn *in = &c->ins[pc];
		int ar = arity(in);

		if (in->op == OP_READ)
			continue;
		if (ar < 0 && in->op != OP_JMP) {
			s->all = 1;
			return;
		}
		if (in->op == OP_JMP) /* if … then x else y: x is a value the jump skips y for */
			ar = 1;
		if (sp < ar || sp >= POL_MAX_STACK + 4) {
			s->all = 1;
			return;
		}
		if (in->op == OP_FIELD) {
			struct rp *a = &st[sp - 1];
			if (a->n < 0 || a->n == R_LEN) {
				s->all = 1;
				return;
			}
			a->f[a->n++] = in->a;
			continue;
		}
		for (int k = 0; k < ar; k++) /* operands used as they are */
			if (st[sp - 1 - k].n >= 0)
				add_read(s, &st[sp - 1 - k]);
		sp -= ar;
		if (in->op == OP_JF || in->op == OP_JMP)
			continue; /* pushes nothing */
		struct rp v = {0, -1, {0}};
		if (in->op == OP_ROOT)
			v = (struct rp){in->a, 0, {0}};
		else if (in->op == OP_CTX && in->a == CTX_ITEM && p->item_field >= 0)
			v = (struct rp){p->root, 1, {p->item_field}};
		st[sp++] = v;
		if (in->op == OP_LOOP) {
			int end = pc + 1 + in->b;
			if (in->b < 0 || end > to) {
				s->all = 1;
				return;
			}
			scan(s, p, c, pc + 1, end);
			pc = end - 1;
		}
	}
	while (sp > 0)
		if (st[--sp].n >= 0)
			add_read(s, &st[sp]);
}

static void scan_code(struct rscan *s, const struct ppolicy *p, const struct code *c)
{
	if (c->ok)
		scan(s, p, c, 0, c->n);
}

/* the path named by the dotted name (root, then fields, through lists), into *out */
static int resolve(const struct pol_pack *pk, const char *name, struct rp *out)
{
	char buf[256];
	const struct ptype *t;
	char *save = NULL, *part;
	size_t len = strlen(name);

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len + 1);
	part = strtok_r(buf, ".", &save);
	if (!part)
		return -1;
	if (strcmp(part, "person") == 0)
		out->root = 0;
	else if (strcmp(part, "enterprise") == 0)
		out->root = 1;
	else
		return -1;
	out->n = 0;
	t = pk->root_t[out->root];
	while ((part = strtok_r(NULL, ".", &save)) != NULL) {
		int f = -1;
		while (t && (t->k == PT_LIST))
			t = t->of;
		if (!t || t->k != PT_REC || out->n == R_LEN)
			return -1;
		for (int i = 0; i < t->rec->n; i++)
			if (strcmp(t->rec->names[i], part) == 0)
				f = i;
		if (f < 0)
			return -1;
		out->f[out->n++] = f;
		t = t->rec->types[f];
	}
	return 0;
}

int pol_pack_reads(const struct pol_pack *pk, const char *path)
{
	struct rscan *s;
	struct rp q;
	int r = 0;

	if (!pk || !path || resolve(pk, path, &q))
		return 1;
	s = calloc(1, sizeof(*s));
	if (!s)
		return 1;
	for (int i = 0; i < pk->npolicies && !s->all; i++) {
		const struct ppolicy *p = pk->policies[i];
		for (int k = 0; k < p->nlets; k++)
			scan_code(s, p, &p->lets[k].c);
		for (int k = 0; k < p->nconds; k++)
			scan_code(s, p, &p->conds[k]);
		for (int k = 0; k < p->ncrit; k++) /* a standard's tier criteria */
			for (int j = 0; j < p->crit[k].nconds; j++)
				scan_code(s, p, &p->crit[k].conds[j]);
		scan_code(s, p, &p->amount);
		if (p->has_due)
			scan_code(s, p, &p->due);
		for (int k = 0; k < p->ninst; k++) {
			if (p->inst[k].has_due)
				scan_code(s, p, &p->inst[k].due);
			if (p->inst[k].has_amount)
				scan_code(s, p, &p->inst[k].amount);
			if (p->inst[k].has_cond)
				scan_code(s, p, &p->inst[k].cond);
		}
	}
	r = s->all;
	for (int i = 0; i < s->nreads && !r; i++) { /* a read inside q, or of something q is in */
		const struct rp *a = &s->reads[i];
		int n = a->n < q.n ? a->n : q.n;
		if (a->root == q.root && memcmp(a->f, q.f, sizeof(int) * (size_t)n) == 0)
			r = 1;
	}
	free(s);
	return r;
}
