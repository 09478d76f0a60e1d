/*
 * workflow.c — `talentport workflow check|remind`: check the workflow definitions
 * (the YAML files in workflows/), and record reminders for overdue steps (for cron).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "domain/applications.h"
#include "domain/workflow.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: talentport workflow check [--workflows DIR]\n"
		   "       talentport workflow remind [--db PATH] [--workflows DIR]\n"
		   "  check    检查工作流定义 / checks the workflow definitions (file:line:col errors)\n"
		   "  remind   为逾期环节生成提醒（可放入 cron） / records a reminder for every overdue\n"
		   "           step that has none yet (run it from cron; the server also does it when\n"
		   "           reminders are listed)\n"
		   "  --workflows DIR  the definitions (default: workflows)\n"
		   "  --db PATH        database file (default $TALENTPORT_DB, then var/talentport.db)\n");
}

int cmd_workflow(int argc, char **argv)
{
	const char *dir = NULL, *db = NULL, *sub = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--workflows", &dir)) ||
		    (r = cli_opt_value(argc, argv, &i, "--db", &db))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!sub && argv[i][0] != '-') {
			sub = argv[i];
			continue;
		}
		fprintf(stderr, "talentport workflow: unknown argument '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	if (!sub || (strcmp(sub, "check") != 0 && strcmp(sub, "remind") != 0)) {
		usage(stderr);
		return 2;
	}
	char buf[2200];
	if (!dir)
		dir = workflows_default_dir(buf, sizeof buf);
	if (workflows_load(dir, stderr) != 0)
		return 1;
	if (strcmp(sub, "check") == 0) {
		printf("工作流定义无误 / workflows ok: %s\n", dir);
		workflows_free();
		return 0;
	}
	struct store *st;
	char err[512];
	if (store_open(cli_db_path(db), 0, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport workflow: %s\n", err);
		workflows_free();
		return 1;
	}
	int64_t made = 0;
	enum tp_rc rc = applications_remind(st, tp_now(), &made);
	store_close(st);
	workflows_free();
	if (rc != TP_OK) {
		fprintf(stderr, "talentport workflow remind: %s\n", tp_rc_str(rc));
		return 1;
	}
	printf("新增逾期提醒 %lld 条 / %lld new reminders of overdue steps\n", (long long)made,
	       (long long)made);
	return 0;
}
