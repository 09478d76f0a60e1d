/*
 * pol_int.h — the policy engine's internal shapes, shared by its files:
 * types, values, the expression tree (load time only), the bytecode, the pack.
 *
 * Ownership: everything a pack holds lives in the pack's arena (pack->arena) and
 * dies with pol_pack_free().  Facts live in their own arena.  Evaluation on the
 * non-explaining path allocates nothing: it runs on a fixed stack in struct pol_vm.
 */
#ifndef TP_POL_INT_H
#define TP_POL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "policy/policy.h"

struct arena;

#define POL_MAX_EXPR 4096   /* bytes of one expression */
#define POL_MAX_DEPTH 48    /* nesting of one expression */
#define POL_MAX_STACK 64    /* VM value stack */
#define POL_MAX_LOCALS 8    /* nested lambdas */
#define POL_MAX_ERRORS 200

/* ---- types ---- */
enum pt_kind {
	PT_ERR = 0, /* already reported: suppress cascades */
	PT_INT, PT_DEC, PT_MONEY, PT_BOOL, PT_DATE, PT_STR, PT_ENUM,
	PT_LIST, PT_REC, PT_BYYEAR, PT_MAP, PT_RANGE, PT_RATIO,
};

struct prec;
struct ptype {
	enum pt_kind k;
	const struct ptype *of;   /* list/by_year element, map value, ratio numerator */
	const struct prec *rec;   /* PT_REC */
	int enum_id;              /* PT_ENUM; PT_MAP: the key enum, or -1 for int keys */
	int has_min, has_max;     /* bounds checked on facts */
	int64_t min, max;
};

struct prec {
	int n;
	const char **names;
	const struct ptype **types;
	int *required;
};

struct penum {
	const char *name;
	int n;
	const char **values;
};

/* ---- values ---- */
struct pval {
	int64_t i;          /* int, decimal (hundredths), money (fen), bool, date (days), enum ordinal */
	const void *p;      /* string (char *), list, record (struct pval *), by_year, map */
	uint8_t present;    /* 0: missing */
};

struct plist {
	size_t n;
	struct pval *v;
};
struct pkeyed { /* by_year and parameter maps */
	size_t n;
	int64_t *keys;
	struct pval *v;
};

/* ---- expression tree ---- */
enum nkind {
	N_INT, N_DEC, N_STR, N_BOOL, N_NAME, N_FIELD, N_INDEX, N_UNARY, N_BINARY,
	N_RANGE, N_LISTLIT, N_CALL, N_LAMBDA, N_IF,
};

enum nref { /* what an N_NAME resolved to */
	R_NONE, R_ROOT, R_ITEM, R_PERIOD, R_DUE_YEAR, R_TOTAL, R_LET, R_PARAM, R_LOCAL,
};

struct node {
	enum nkind k;
	int op;              /* token for unary/binary, function id for calls */
	int off;             /* offset in the expression text */
	int64_t ival;
	const char *name;
	struct node **kids;
	int nkids;
	/* filled by the checker */
	const struct ptype *t;
	enum nref ref;
	int idx;             /* root entity, let index, param index, local depth, field index */
	const char *path;    /* fact path for explanation ("person.tier.level"), or NULL */
};

/* ---- bytecode ---- */
enum op {
	OP_CONST, OP_ROOT, OP_FIELD, OP_LOCAL, OP_LET, OP_PARAM, OP_PINDEX, OP_INDEX, OP_CTX,
	OP_READ,     /* explain: record top of stack as a read of path a */
	OP_NOT, OP_AND, OP_OR, OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT,
	OP_GE, OP_INRANGE, OP_INLIST, OP_MKLIST, OP_MKRANGE, OP_DIV, OP_FLOOR, OP_ROUND, OP_CEIL,
	OP_TODEC, OP_MIN, OP_MAX, OP_COUNT, OP_PRESENT, OP_AGE_ON, OP_ADD_YEARS, OP_YEAR_OF,
	OP_MONTH_OF, OP_VALID_ON, OP_OVERLAPS_MONTH, OP_OVERLAPS_YEAR, OP_DATE,
	OP_LOOP, /* a = kind (count/sum/any/all), b = body length; body follows */
	OP_JF,   /* pop; unless true, skip a instructions (forward only) */
	OP_JMP,  /* skip a instructions (forward only) */
	/* superinstructions: only in fast.c's copies (fast_peep.c), never from compile.c */
	OP_PATH1, OP_PATH2, OP_PATH3, /* push leaf (t kind, a index), then FIELD (b >> 10k) & 1023, k < 1/2/3 */
	OP_LEAVES2, OP_LEAVES3, OP_LEAVES4, /* push 2/3/4 leaves; leaf k is 16 bits of (b:a): kind << 13 | index */
	OP_INLIST2L, /* LEAVES2 + INLIST (t: the list's element type) */
	OP_OVERLAPS_MONTH4L, /* LEAVES4 + OVERLAPS_MONTH */
	OP_OVERLAPS_MONTH4L_AND, /* OP_OVERLAPS_MONTH4L + AND (with the value below it) */
	OP_INMASK2L, /* OP_INLIST2L whose list is a let made by OP_TOMASK */
	OP_TOMASK,   /* a present list: i = the bit set of its present elements if all are in 0..62, else -1 */
	OP_SETLET,   /* lets[a] = the top; the stack emptied (a hoisted part computed) */
	OP_CMPK,     /* top compared with consts[a]: true where bit cmp + 1 of b is set */
	OP_INRANGEK, /* top in consts[a]..consts[b] */
	OP_LOOPT,    /* OP_LOOP whose body is one value-making superinstruction and up to three that
		      * change that value in place (pol_fast_tight()): run as a tight loop */
	OP_MONTHSET, /* from, to, y → the months m of y for which overlaps_month(from, to, y, m) is
		      * true (bit m) or missing (bit 16 + m); missing when all are (fast_month_sets()) */
	OP_INMSET2L, /* leaves m, s (a MONTHSET): overlaps_month(from, to, y, m) */
	OP_INMSET2L_AND, /* … then AND with the value below */
	OP_BINL,     /* a leaf (a: kind << 13 | index), then the binary operation b & 0xff (its own a:
		      * b >> 8; t: t): the top and the leaf, in place */
	OP_LOOPM,    /* OP_LOOPT over a range whose body tests the loop variable against bit sets
		      * (OP_INMASK2L, OP_INMSET2L, their AND, NOT): all rounds at once, a bit each */
};
enum pol_leaf { PL_CONST, PL_LET, PL_LOCAL, PL_CTX, PL_ROOT, PL_N };
#define PL_LEAF_MAX_INDEX 8192
enum ctx_slot { CTX_YEAR, CTX_MONTH, CTX_START, CTX_END, CTX_DUE_YEAR, CTX_TOTAL, CTX_ITEM, CTX_N };
enum loop_kind { LOOP_COUNT, LOOP_SUM, LOOP_ANY, LOOP_ALL };

struct insn {
	uint8_t op;
	uint8_t t;       /* operand type kind where it matters (PT_DEC arithmetic, string compare) */
	int32_t a, b;
};

struct rpath {
	const char *path;
	const struct ptype *t;
};

struct code {
	struct insn *ins;
	int n;
	struct pval *consts;
	struct rpath *paths; /* OP_READ: paths[a]; OP_INDEX: paths[b] when b >= 0 */
	int npaths;
	int nconsts;
	int ok;             /* compiled without errors */
	int straight;       /* fast.c's copies only: one value-making instruction, then only ones that
			     * change it in place (pol_fast_straight()): run without the stack */
	const char *text;   /* source text, whitespace collapsed */
	const struct ptype *t;
};

/* ---- the pack ---- */
enum pol_period { PER_MONTH, PER_YEAR, PER_ONCE };
enum pol_kind { KIND_CASH, KIND_LOAN, KIND_NIGHTS, KIND_SERVICE, KIND_POINTS, KIND_TIER };

struct pparam_val {
	struct civil_date since;
	long since_days;
	struct pval v;
	const char *source;
};
struct pparam {
	const char *name;
	const struct ptype *t;
	int nvals;
	struct pparam_val *vals;
};
struct plet {
	const char *name;
	struct code c;
};
struct pinst {
	struct code due, amount, cond;
	int has_due, has_amount, has_cond;
};

/* One criterion of a tier policy (kind: tier, in a pack of kind: standard): it holds when
 * every one of its conditions is true. */
#define POL_MAX_CRITERIA 32
struct pcrit {
	const char *id, *title_zh, *title_en, *source;
	int direct;         /* recorded at the tier without a second review when it holds */
	int nconds;         /* 1..POL_MAX_CONDS (eval_int.h) */
	struct code *conds;
	int line, col;      /* of the id */
};

struct ppolicy {
	const char *id, *title_zh, *title_en, *basis, *file;
	const char *summary_zh, *summary_en; /* plain language for the public pages; may be NULL */
	int tier;           /* kind: tier: the tier number (1 = highest); else 0 */
	int ncrit;
	struct pcrit *crit; /* kind: tier: its criteria, in file order */
	int root;           /* 0 person, 1 enterprise */
	int item_field;     /* field of the root that is the item list, or -1 */
	const char *item_name; /* "children" */
	enum pol_period period;
	int proactive;
	enum pol_kind kind;
	int group;          /* -1: none */
	struct code due;
	int has_due;
	int nparams;
	struct pparam *params;
	int nlets;
	struct plet *lets;
	int nconds;
	struct code *conds;
	struct code amount;
	int ninst;
	struct pinst *inst;
	int order;          /* position in pack order; -1 before check_order() */
	int line, col;      /* of the id, for errors that span files */
};

struct pgroup {
	const char *id, *zh, *en;
};

struct pol_pack {
	struct arena *arena;
	const char *id, *title_zh, *title_en;
	int standard;       /* pack.yaml kind: standard (tier policies only); 0: benefits */
	struct civil_date effective;
	int nenums;
	struct penum *enums;
	int ngroups;
	struct pgroup *groups;
	const struct ptype *root_t[2]; /* person, enterprise records */
	int npolicies;
	struct ppolicy **policies;     /* in pack order */
};

struct pol_facts {
	struct arena *arena;
	struct pval root[2];           /* records (p = struct pval *) or missing */
};

/* ---- errors ---- */
struct pol_errors {
	struct arena *arena;
	int n;
	char **msgs;
	int cap;
};

/* Appends "file:line:col: zh / en" (printf-style en and zh texts). */
void pol_err(struct pol_errors *e, const char *file, int line, int col, const char *zh,
	     const char *en, ...) __attribute__((format(printf, 6, 7)));
/* Formats the zh part separately: pol_err2(e, file, line, col, "zh fmt", "en fmt", args) uses one
 * argument list for both texts, which must use the same conversions in the same order. */
void pol_err2(struct pol_errors *e, const char *file, int line, int col, const char *zh_fmt,
	      const char *en_fmt, ...);

/* ---- lexer / parser / checker / compiler (one expression at a time) ---- */
enum tok {
	T_EOF, T_INT, T_DEC, T_STR, T_IDENT, T_AND, T_OR, T_NOT, T_IN, T_TRUE, T_FALSE,
	T_DOT, T_DOTDOT, T_COMMA, T_LP, T_RP, T_LB, T_RB, T_ARROW, T_PLUS, T_MINUS, T_STAR,
	T_SLASH, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_BAD, T_IF, T_THEN, T_ELSE,
};
struct token {
	enum tok k;
	int off, len;
	int64_t ival; /* T_INT value; T_DEC hundredths */
	const char *s; /* T_STR, T_IDENT: arena copy */
};
struct lexer {
	const char *src;
	size_t len, pos;
	struct arena *arena;
	const char *err; /* set on a lexical error (English); errzh the Chinese */
	const char *errzh;
	int erroff;
};
void pol_lex_init(struct lexer *lx, const char *src, size_t len, struct arena *a);
/* Next token; T_BAD with lx->err set on a lexical error. */
struct token pol_lex_next(struct lexer *lx);
const char *pol_tok_name(enum tok k);

/* Where an expression came from, to report errors at file:line:col. */
struct srcpos {
	const char *file;
	int line, col;
	struct pol_errors *errs;
	const char *src; /* the expression text, to turn offsets into line:col */
};

/* Reports an error at offset off of pos->src: "file:line:col: zh / en" with one %s arg. */
void pol_err_at(const struct srcpos *pos, int off, const char *zh, const char *en, const char *arg);

/* Parses src into a tree in a; NULL after reporting an error. */
struct node *pol_parse(const char *src, struct arena *a, const struct srcpos *pos);

/* What a name may refer to where an expression is checked. */
struct scope {
	const struct pol_pack *pack;
	const struct ppolicy *pol;
	int nlets_visible;       /* lets before this one */
	int allow_due_year, allow_total;
	const struct ptype *locals[POL_MAX_LOCALS];
	const char *local_names[POL_MAX_LOCALS];
	int nlocals;
};

/* Type-checks n, resolving names; returns its type (PT_ERR after reporting). */
const struct ptype *pol_check(struct node *n, struct scope *sc, struct arena *a,
			      const struct srcpos *pos);

/* Parses, checks against want (or any type when want is NULL) and compiles src into c. */
int pol_compile_expr(struct code *c, const char *src, const struct ptype *want, struct scope *sc,
		     struct arena *a, const struct srcpos *pos, const char *what);

/* Shared type singletons. */
extern const struct ptype pol_t_int, pol_t_dec, pol_t_money, pol_t_bool, pol_t_date, pol_t_str,
	pol_t_err, pol_t_range;
int pol_type_eq(const struct ptype *a, const struct ptype *b);
/* "int", "list of int" … into the arena */
const char *pol_type_name(const struct ptype *t, const struct pol_pack *pk, struct arena *a);

/* ---- the VM ---- */
struct pol_read { const char *path; int has_key; int64_t key; struct pval v; const struct ptype *t; };
struct pol_param_use { int param; int has_key; int64_t key; struct pval v; int ver; };
#define POL_MAX_READS 32
#define POL_MAX_MISSING 16
#define POL_MAX_PUSES 16

struct pol_trace { /* explanation capture for one expression */
	int nreads;
	struct pol_read reads[POL_MAX_READS];
	int nmissing;
	const char *missing[POL_MAX_MISSING];
	int npuses;
	struct pol_param_use puses[POL_MAX_PUSES];
};

struct pol_vm {
	const struct pol_facts *facts;
	const struct ppolicy *pol;
	struct pval ctx[CTX_N];
	struct pval lets[32];
	int param_ver[32];     /* index of the value in force for each parameter */
	struct pol_trace *trace; /* NULL: not explaining */
	struct pval locals[POL_MAX_LOCALS];
	int nlocals;
	const struct ptype *let_t[32];
};

/* Runs c; returns the result (present == 0 for missing). */
struct pval pol_vm_run(struct pol_vm *vm, const struct code *c);
/* pol_vm_run() for a caller that needs only the result's integer and presence: returned in
 * registers (a 24-byte struct pval is returned through memory, copied field by field into a
 * temporary and read back whole: a store-to-load forwarding stall per run). */
struct pol_iv {
	int64_t i;
	int64_t present;
};
struct pol_iv pol_vm_value(struct pol_vm *vm, const struct code *c);
/* Whether c (a month policy's condition as fast.c runs it) can be run for the twelve months
 * at once by pol_vm_months(): it reads period.month only as the value tested by OP_INLIST2L,
 * OP_INMASK2L or OP_INMSET2L, whose results only meet and/or/not, and never the month's bounds. */
int pol_vm_month_form(const struct code *c);
/* Runs such a c for months 1..12 of the period set in vm: bit m of *t is set when it is true in
 * month m (as pol_vm_run() with period.month = m would give it), of *p when it is present. */
void pol_vm_months(struct pol_vm *vm, const struct code *c, uint64_t *t, uint64_t *p);

/* Rewrites c (a copy fast.c owns, without OP_READ) with superinstructions that compute
 * the same (fast_peep.c); 0, or -1 when out of memory (c unchanged). */
int pol_fast_peephole(struct code *c);
/* Puts the hoisted parts temps[0..ntemps) (computed into lets[slot0 + k]) in front of main,
 * each followed by OP_SETLET, so that one run computes all; a part read only as the list of
 * integer `in`s becomes a bit set (OP_TOMASK, OP_INMASK2L).  Frees the parts' instructions;
 * 0, or -1 when out of memory (nothing changed). */
int pol_fast_join(struct code *main, struct code *temps, int ntemps, int slot0);
/* Marks the loops of c whose body pol_vm_run() can run without its stack (OP_LOOPT): one
 * instruction that pushes a value from leaves, then only instructions that change the top. */
void pol_fast_tight(struct code *c);
/* Sets c->straight where pol_vm_run() may run c in a register (c: a fast.c copy, made). */
void pol_fast_straight(struct code *c);
/* Whether c reads its constants (c->consts): such a code cannot be joined with another's. */
int pol_fast_reads_consts(const struct code *c);

#endif
