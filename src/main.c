/*
 * main.c — `talentport <command> [options]`: the table of commands, git-style.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"serve", cmd_serve, "serve the HTTP API and web UI"},
	{"migrate", cmd_migrate, "create or upgrade the database schema"},
	{"demo", cmd_demo, "create a database with deterministic demo data"},
	{"import", cmd_import, "import talents from an .xlsx or .csv file"},
	{"export", cmd_export, "export talents to an .xlsx or .csv file"},
	{"keys", cmd_keys, "show or rotate the keys of the personal data at rest and talent codes"},
	{"verify", cmd_verify, "check a talent code (人才码), offline from the public key or with the db"},
	{"audit", cmd_audit, "verify, list and archive the audit log"},
	{"user", cmd_user, "add, disable, enable, reset-password or list accounts"},
	{"policy", cmd_policy, "check, evaluate and explain policies"},
	{"payments", cmd_payments, "build, approve, export and reconcile payment runs"},
	{"ledger", cmd_ledger, "check the payments ledger's invariants"},
	{"bank-accounts", cmd_bank_accounts, "import verified bank accounts from a .csv or .xlsx file"},
	{"workflow", cmd_workflow, "check the workflow definitions, record overdue reminders"},
	{"standard", cmd_standard, "check the identification standard, propose a tier"},
	{"version", cmd_version, "print the version"},
	{"help", cmd_help, "show help for a command"},
};

int cmd_help(int argc, char **argv)
{
	if (argc > 1 && (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0)) {
		printf("usage: talentport help [COMMAND]\n"
		       "  列出命令，或显示某个命令的用法 / list the commands, or show one's usage\n");
		return 0;
	}
	if (argc > 1) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
			if (strcmp(argv[1], commands[i].name) == 0 && commands[i].fn != cmd_help) {
				char help[] = "--help";
				char *av[] = {argv[1], help, NULL};
				return commands[i].fn(2, av);
			}
		}
		fprintf(stderr, "talentport: '%s' is not a command; see 'talentport help'\n", argv[1]);
		return 2;
	}
	printf("talentport — 人才港 one-stop talent service platform\n\n"
	       "usage: talentport <command> [options]   (talentport <command> --help)\n\n"
	       "commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		printf("  %-9s %s\n", commands[i].name, commands[i].summary);
	printf("\nenvironment: TALENTPORT_DB (database path), TALENTPORT_LISTEN (HOST:PORT),\n"
	       "             TALENTPORT_LOG_LEVEL (debug|info|warn|error|off)\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "talentport: libsodium failed to initialize\n");
		return 1;
	}
	if (argc < 2) {
		cmd_help(1, argv);
		return 2;
	}
	const char *name = argv[1];
	if (cli_is_help(name))
		return cmd_help(1, argv);
	if (strcmp(name, "--version") == 0)
		name = "version";
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "talentport: '%s' is not a command; see 'talentport help'\n", name);
	return 2;
}
