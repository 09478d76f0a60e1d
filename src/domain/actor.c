/*
 * actor.c — role names and the command-line actor.
 */
#include "domain/actor.h"

#include <string.h>

static const struct {
	enum role role;
	const char *name;
} role_names[] = {
	{ROLE_TALENT, "talent"},
	{ROLE_EMPLOYER, "employer"},
	{ROLE_LIAISON, "liaison"},
	{ROLE_TOWN_REVIEWER, "town_reviewer"},
	{ROLE_OFFICE_REVIEWER, "office_reviewer"},
	{ROLE_FINANCE, "finance"},
	{ROLE_AUDITOR, "auditor"},
	{ROLE_ADMIN, "admin"},
	{ROLE_EXPERT, "expert"},
	{ROLE_SYSTEM, "system"},
};

const char *role_name(enum role r)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (role_names[i].role == r)
			return role_names[i].name;
	return NULL;
}

enum role role_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof role_names / sizeof role_names[0]; i++)
		if (role_names[i].role != ROLE_SYSTEM && strcmp(role_names[i].name, name) == 0)
			return role_names[i].role;
	return ROLE_NONE;
}

struct actor actor_system(void)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.username = "system";
	a.role = ROLE_SYSTEM;
	a.ip = "cli";
	a.unmask = 1;
	return a;
}
