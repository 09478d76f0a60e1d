/*
 * bench/payment_files.c — the finance office's files for N synthetic payment lines
 * (default 1,000,000): the payment list XLSX (target >= 50,000 lines/s), the bank CSV,
 * the public-announcement list (CSV, XLSX) and the bank-result import.
 *
 *   build/bench_payment_files [lines] [dir] [list]  (dir: where the files go, default /tmp;
 *                                                 list: the payment list XLSX only)
 *
 * Prints one line per file: seconds, lines/s, size.  Files are removed afterwards.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/payment_files.h"

static const char *const POLICY[][2] = {
	{"talent-allowance", "人才津贴"}, {"housing-subsidy", "安家补贴"},
	{"rent-subsidy", "租房补贴"},     {"living-allowance", "生活补贴"},
	{"pension-subsidy", "社保补贴"},  {"training-subsidy", "培训补贴"},
	{"team-award", "团队奖励"},       {"startup-grant", "创业资助"},
};
static const char *const SURNAME[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
				      "欧阳", "司马"};
static const char *const GIVEN[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋",
				    "艳", "勇", "军", "杰", "娟"};
static const char *const TOWN[] = {"青阳街道", "梅岭街道", "西园街道", "罗山街道", "灵源街道",
				   "新塘街道", "陈埭镇", "池店镇", "安海镇", "磁灶镇"};
static const char *const CHAIN[] = {"纺织服装", "制鞋", "食品饮料", "集成电路", "医疗健康",
				    "建材陶瓷"};
static const char *const BANK[] = {"中国银行", "中国工商银行", "中国建设银行", "中国农业银行",
				   "晋江农商银行"};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double t_cpu;

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* wall time and the CPU time this process used (the machine is shared: wall is noisy) */
static void report(const char *what, size_t n, double secs, const char *path)
{
	double c = cpu() - t_cpu;

	printf("%-20s %8zu lines  wall %6.2f s %9.0f lines/s  cpu %6.2f s %9.0f lines/s  %7.1f MB\n",
	       what, n, secs, (double)n / secs, c, (double)n / c,
	       path ? (double)file_size(path) / 1e6 : 0.0);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000, i;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	struct pay_run_view run = {.run_id = 42, .period = "2026-10", .approved_by = "finance1",
				   .approved_at = "2026-11-01T08:00:00Z",
				   .payer_account = "35001234567890", .payer_name = "晋江市人才办"};
	struct pay_line_view *l = calloc(n ? n : 1, sizeof(*l));
	char *strs = malloc((n ? n : 1) * 96), path[512];
	struct payfile_err err = {0};
	struct pay_result_report *rep = NULL;
	struct rusage ru;
	enum tp_rc rc;
	double t;
	FILE *fp;

	if (!l || !strs || n == 0) {
		fprintf(stderr, "usage: bench_payment_files [lines>0] [dir]\n");
		return 2;
	}
	/* synthetic lines; each policy's lines interleaved as a real run gathers them */
	for (i = 0; i < n; i++) {
		uint64_t h = (uint64_t)(i + 1) * 0x9E3779B97F4A7C15ull;
		char *name = strs + i * 96, *idm = name + 16, *acc = idm + 24, *accm = acc + 24;
		size_t p = (size_t)(h >> 61);

		snprintf(name, 16, "%s%s", SURNAME[(h >> 8) % 12], GIVEN[(h >> 16) % 15]);
		snprintf(idm, 24, "350582********%04u", (unsigned)((h >> 24) % 10000));
		snprintf(acc, 24, "6222%015" PRIu64, (uint64_t)((h >> 20) % 1000000000000000ull));
		{
			char tail[5];

			memcpy(tail, acc + 15, 4);
			tail[4] = '\0';
			snprintf(accm, 24, "6222***********%s", tail);
		}
		l[i] = (struct pay_line_view){
			.line_id = (int64_t)(i + 1), .entitlement_id = (int64_t)(i + 1),
			.policy = POLICY[p][0], .policy_title_zh = POLICY[p][1],
			.beneficiary_kind = "talent", .beneficiary_id = (int64_t)(i + 1),
			.name = name, .id_mask = idm, .town = TOWN[(h >> 32) % 10],
			.industry_chain = CHAIN[(h >> 36) % 6], .period_key = "2026-10",
			.instalment = 1, .bank = BANK[(h >> 40) % 5], .branch = "晋江支行",
			.account_name = name, .account_number = acc, .account_mask = accm,
			.amount_fen = (int64_t)(50000 + (h >> 44) % 1500000)};
	}

	snprintf(path, sizeof(path), "%s/bench_payment_list.xlsx", dir);
	t_cpu = cpu();
	t = now();
	rc = payfile_list_xlsx(path, &run, l, n, NULL, &err);
	report("payment list XLSX", n, now() - t, path);
	if (rc != TP_OK)
		fprintf(stderr, "list: %s\n", tp_rc_str(rc));
	unlink(path);
	t_cpu = cpu();
	t = now();
	rc = payfile_list_xlsx(path, &run, l, n, &(struct payfile_xlsx_opts){.threads = 2}, &err);
	report("  deflate thread", n, now() - t, path);
	if (rc != TP_OK)
		fprintf(stderr, "list: %s\n", tp_rc_str(rc));
	unlink(path);
	if (argc > 3 && strcmp(argv[3], "list") == 0)
		return 0; /* for profiling the XLSX writer alone */

	snprintf(path, sizeof(path), "%s/bench_bank.csv", dir);
	fp = fopen(path, "wb");
	t_cpu = cpu();
	t = now();
	rc = fp ? payfile_bank_csv(fp, &run, l, n, NULL, &err) : TP_ERR_IO;
	if (fp)
		fclose(fp);
	report("bank CSV", n, now() - t, path);
	if (rc != TP_OK)
		fprintf(stderr, "bank: %s %s\n", tp_rc_str(rc), err.en ? err.en : "");

	snprintf(path, sizeof(path), "%s/bench_notice.csv", dir);
	fp = fopen(path, "wb");
	t_cpu = cpu();
	t = now();
	rc = fp ? payfile_notice_csv(fp, &run, l, n, NULL, &err) : TP_ERR_IO;
	if (fp)
		fclose(fp);
	report("announcement CSV", n, now() - t, path);
	unlink(path);

	if (n <= 1000000) {
		snprintf(path, sizeof(path), "%s/bench_notice.xlsx", dir);
		t_cpu = cpu();
	t = now();
		rc = payfile_notice_xlsx(path, &run, l, n, &err);
		report("announcement XLSX", n, now() - t, path);
		unlink(path);
	}

	/* the bank's answer: every line, 1 in 50 failed */
	{
		size_t cap = n * 64 + 64, o = 0;
		char *buf = malloc(cap);

		if (!buf)
			return 1;
		o += (size_t)snprintf(buf, cap, "明细编号,状态,金额,原因,银行流水号\r\n");
		for (i = 0; i < n; i++) {
			char y[PAYFILE_YUAN_BUFSZ];

			o += (size_t)snprintf(buf + o, cap - o, "%" PRId64 ",%s,%s,%s,B%zu\r\n",
					      l[i].line_id, i % 50 ? "成功" : "失败",
					      payfile_yuan(l[i].amount_fen, y),
					      i % 50 ? "" : "账户已销户", i);
		}
		t_cpu = cpu();
	t = now();
		rc = payfile_result_parse(buf, o, l, n, &rep, path, sizeof(path));
		report("bank result import", n, now() - t, NULL);
		if (rc != TP_OK || !rep->applicable || rep->matched != n)
			fprintf(stderr, "result: %s %s\n", tp_rc_str(rc), path);
		payfile_result_free(rep);
		free(buf);
	}
	snprintf(path, sizeof(path), "%s/bench_bank.csv", dir);
	unlink(path);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS %ld MB (the %zu synthetic lines themselves: %zu MB)\n", ru.ru_maxrss / 1024,
	       n, n * (sizeof(*l) + 96) / 1000000);
	free(l);
	free(strs);
	return 0;
}
