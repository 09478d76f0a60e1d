/*
 * cli.h — the `talentport` subcommands, one file each under src/cli/, and the
 * helpers they share.  Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef TP_CLI_H
#define TP_CLI_H

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_payments(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_bank_accounts(int argc, char **argv);
int cmd_workflow(int argc, char **argv);
int cmd_standard(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* The database path: the --db flag if given, else $TALENTPORT_DB, else var/talentport.db. */
const char *cli_db_path(const char *flag);

/*
 * Matches argv[*i] against a long option taking a value ("--db PATH" or "--db=PATH").
 * Returns 1 and sets *val (advancing *i past a separate value), 0 when argv[*i] is
 * another option, -1 when the value is missing (after printing an error).
 */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val);

/* 1 if argv[i] is "--help" or "-h". */
int cli_is_help(const char *arg);

/* The arguments of a file import ("talentport import talents FILE", "talentport
 * bank-accounts import FILE"): WORD FILE [--db PATH] [--report PATH] [--all-or-nothing].
 * cmd names the command in messages ("import", "bank-accounts"); usage prints its help.
 * Returns 0 with the fields set, 1 when help was asked for (printed on stdout; exit 0),
 * 2 after printing what is wrong (exit 2). */
struct cli_import_args {
	const char *word, *file, *db, *report;
	int all_or_nothing;
};
int cli_import_args(int argc, char **argv, const char *cmd, void (*usage)(FILE *),
		    struct cli_import_args *out);

/* Parses a decimal in [min, max]; 0 on success, -1 (after printing an error naming opt). */
int cli_parse_long(const char *opt, const char *s, long min, long max, long *out);

#endif
