/*
 * pack.c — the server's policy pack (see pack.h).
 */
#include "http/pack.h"

#include <unistd.h>

#include "policy/policy.h"
#include "policy/standard.h"

#include <stdio.h>

static struct pol_pack *g_pack;
static char g_pack_dir[4096];

int http_policy_pack_load(const char *dir, FILE *err)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;

	if (access(dir, R_OK) != 0) {
		fprintf(err, "找不到策略包目录 %s（可用 --pack DIR 指定） / "
			     "policy pack %s not found (give one with --pack DIR)\n", dir, dir);
		return -1;
	}
	if (pol_pack_load(dir, &pk, &errs) != 0) {
		int n = pol_errors_count(errs);
		for (int i = 0; i < n; i++)
			fprintf(err, "%s\n", pol_errors_get(errs, i));
		fprintf(err, "策略包 %s 有 %d 个错误，无法启动 / the policy pack %s has %d error%s\n",
			dir, n, dir, n, n == 1 ? "" : "s");
		pol_errors_free(errs);
		return -1;
	}
	if (pol_pack_is_standard(pk)) {
		fprintf(err, "%s 是认定标准包（kind: standard），不是待遇政策包 / %s is an identification "
			     "standard (kind: standard), not a benefit pack\n", dir, dir);
		pol_pack_free(pk);
		return -1;
	}
	pol_pack_free(g_pack);
	g_pack = pk;
	snprintf(g_pack_dir, sizeof(g_pack_dir), "%s", dir);
	return 0;
}

const char *http_policy_pack_dir(void)
{
	return g_pack ? g_pack_dir : NULL;
}

const struct pol_pack *http_policy_pack(void)
{
	return g_pack;
}

void http_policy_pack_free(void)
{
	pol_pack_free(g_pack);
	g_pack = NULL;
}
