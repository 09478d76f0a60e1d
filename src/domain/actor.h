/*
 * actor.h — who is acting: the authenticated caller (or the command line) as the
 * domain sees it.  Every domain function that changes state or reads someone's
 * record takes one, checks the object against it and names it in the audit log.
 */
#ifndef TP_DOMAIN_ACTOR_H
#define TP_DOMAIN_ACTOR_H

#include <stdint.h>

/* Roles are bits so that a route can name the set allowed to call it. */
enum role {
	ROLE_NONE = 0,
	ROLE_TALENT = 1 << 0,
	ROLE_EMPLOYER = 1 << 1,        /* bound to one enterprise */
	ROLE_LIAISON = 1 << 2,         /* 帮办专员: bound to towns/departments and linked talents */
	ROLE_TOWN_REVIEWER = 1 << 3,   /* bound to one town/street */
	ROLE_OFFICE_REVIEWER = 1 << 4, /* 人才办 */
	ROLE_FINANCE = 1 << 5,         /* 财政 */
	ROLE_AUDITOR = 1 << 6,         /* reads and exports the audit log, changes nothing */
	ROLE_ADMIN = 1 << 7,           /* accounts and settings; never the audit log */
	ROLE_SYSTEM = 1 << 8,          /* the command line run by the operator */
	ROLE_EXPERT = 1 << 9,          /* 评审专家: scores the teams of the panels it sits on */
};

#define ROLES_STAFF                                                                        \
	(ROLE_LIAISON | ROLE_TOWN_REVIEWER | ROLE_OFFICE_REVIEWER | ROLE_FINANCE | ROLE_AUDITOR | \
	 ROLE_ADMIN | ROLE_EXPERT)
#define ROLES_ANY_USER (ROLES_STAFF | ROLE_TALENT | ROLE_EMPLOYER)

/* "talent", "office_reviewer" ...; "system" for ROLE_SYSTEM; NULL for an unknown bit. */
const char *role_name(enum role r);
/* Parses a role name; ROLE_NONE when unknown (ROLE_SYSTEM is never parsed). */
enum role role_parse(const char *name);

#define ACTOR_MAX_TOWNS 8

struct actor {
	int64_t user_id;         /* 0 for the command line and anonymous callers */
	const char *username;    /* "" when anonymous */
	enum role role;          /* ROLE_NONE when anonymous */
	int64_t talent_id;       /* ROLE_TALENT: their registry record (0 until confirmed) */
	int64_t enterprise_id;   /* ROLE_EMPLOYER: their enterprise */
	const char *towns[ACTOR_MAX_TOWNS]; /* ROLE_TOWN_REVIEWER (one), ROLE_LIAISON (several) */
	int ntowns;
	const char *ip;          /* client address, "cli" for the command line */
	int unmask;              /* the role may see full ID/phone numbers when a reason is given */
};

/* The operator at the command line: every permission, audited as "system". */
struct actor actor_system(void);

#endif
