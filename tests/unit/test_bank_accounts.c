/*
 * test_bank_accounts.c — domain/bank_accounts.c on a real store: the payments helper's
 * bank_account_current (hold, plain number, closed accounts), bank_account_mark_closed,
 * key rotation of sealed numbers, and the store's outer transaction that the
 * Idempotency-Key layer wraps a handler in (store/idempotency.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "domain/bank_accounts.h"
#include "domain/registry.h"
#include "store/idempotency.h"
#include "store/store.h"
#include "testdb.h"

#define T0 1795000000LL /* 2026-11-17 */
#define DAY 86400
#define NAME "晋江测试鞋业有限公司"
#define CORP1 "350016510000525001234"
#define CORP2 "12345678"

struct fx {
	char path[64];
	struct store *st;
	struct arena *a;
	int64_t eid;
	struct actor who;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (testdb_create(f->path, "bank", &f->st) != 0)
		return -1;
	f->a = arena_new();
	struct enterprise e = {0};
	e.name = NAME;
	e.credit_code = "91350100M000100Y43";
	e.town = "350582102";
	if (store_begin(f->st) != TP_OK || STORE_CALL(enterprise_insert, f->st, &e) != TP_OK ||
	    store_commit(f->st) != TP_OK)
		return -1;
	f->eid = e.id;
	f->who = actor_system();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	testdb_remove(f->path, f->st);
	arena_free(f->a);
	free(f);
	return 0;
}

static enum tp_rc put(struct fx *f, const char *number, int64_t now, struct bank_account *out)
{
	struct verrors ve;
	verr_init(&ve, f->a);
	memset(out, 0, sizeof(*out));
	out->beneficiary_kind = "enterprise";
	out->beneficiary_id = f->eid;
	out->bank = "中国银行";
	out->branch = "晋江支行";
	out->account_name = NAME;
	out->number = number;
	return bank_account_put(f->st, &f->who, out, now, f->a, &ve);
}

static void test_current_and_hold(void **state)
{
	struct fx *f = *state;
	struct pay_account pa;
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0, f->a, &pa),
			 TP_ERR_NOT_FOUND);
	assert_int_equal(bank_account_current(f->st, "nobody", f->eid, T0, f->a, &pa),
			 TP_ERR_INVALID);
	struct bank_account b1, b2;
	assert_int_equal(put(f, "3500 1651 0000 5250 01234", T0, &b1), TP_OK);
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0, f->a, &pa), TP_OK);
	assert_string_equal(pa.account_number, CORP1); /* plain, spaces gone */
	assert_string_equal(pa.account_mask, "3500 **** **** 1234");
	assert_string_equal(pa.account_name, NAME);
	assert_int_equal(pa.hold, 0); /* a first account holds nothing */
	assert_int_equal(pa.account_id, b1.id);

	/* a change: held for 30 days unless confirmed */
	assert_int_equal(put(f, CORP2, T0 + DAY, &b2), TP_OK);
	assert_int_equal(b2.previous_id, b1.id);
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0 + DAY, f->a, &pa),
			 TP_OK);
	assert_string_equal(pa.account_number, CORP2);
	assert_string_equal(pa.account_mask, "**** 5678");
	assert_int_equal(pa.hold, 1);
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0 + 31 * DAY - 1, f->a,
					      &pa), TP_OK);
	assert_int_equal(pa.hold, 1);
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0 + 31 * DAY, f->a, &pa),
			 TP_OK);
	assert_int_equal(pa.hold, 0); /* 30 days after the change */

	const char *why = NULL;
	struct actor other = f->who;
	other.user_id = 4242;
	other.username = "finance";
	assert_int_equal(bank_account_confirm_change(f->st, &other, "enterprise", f->eid, "ok",
						     T0 + 2 * DAY, &why), TP_OK);
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0 + 2 * DAY, f->a, &pa),
			 TP_OK);
	assert_int_equal(pa.hold, 0);
	assert_int_equal(bank_account_confirm_change(f->st, &other, "enterprise", f->eid, "ok",
						     T0 + 2 * DAY, &why), TP_ERR_CONFLICT);
	assert_string_equal(why, "nothing_to_confirm");

	struct bank_account *h;
	size_t n;
	assert_int_equal(bank_account_history(f->st, "enterprise", f->eid, f->a, &h, &n), TP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].id, b2.id);
	assert_int_equal(h[1].replaced_by, b2.id);
	assert_null(h[1].number); /* the history is masked */
}

static void test_mark_closed(void **state)
{
	struct fx *f = *state;
	struct bank_account b1, b2;
	assert_int_equal(put(f, CORP1, T0, &b1), TP_OK);
	/* it runs in the caller's transaction only */
	assert_int_equal(bank_account_mark_closed(f->st, &f->who, b1.id, "账户已销户", T0 + 60),
			 TP_ERR_INTERNAL);
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(bank_account_mark_closed(f->st, &f->who, b1.id, "账户已销户", T0 + 60),
			 TP_OK);
	assert_int_equal(bank_account_mark_closed(f->st, &f->who, b1.id, "again", T0 + 61), TP_OK);
	assert_int_equal(bank_account_mark_closed(f->st, &f->who, 999999, "x", T0 + 61),
			 TP_ERR_NOT_FOUND);
	assert_int_equal(store_commit(f->st), TP_OK);
	struct pay_account pa;
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0 + 120, f->a, &pa),
			 TP_ERR_NOT_FOUND); /* closed: nothing to pay to until it is replaced */
	struct bank_account g;
	assert_int_equal(bank_account_get(f->st, "enterprise", f->eid, 0, f->a, &g), TP_OK);
	assert_int_not_equal(g.invalid_at, 0);
	assert_string_equal(g.invalid_reason, "账户已销户");
	/* a new account replaces it; the old one can no longer be marked */
	assert_int_equal(put(f, CORP2, T0 + DAY, &b2), TP_OK);
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0 + DAY, f->a, &pa),
			 TP_OK);
	assert_int_equal(pa.account_id, b2.id);
	assert_int_equal(pa.hold, 1);
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(bank_account_mark_closed(f->st, &f->who, b1.id, "x", T0 + DAY),
			 TP_ERR_CONFLICT);
	store_rollback(f->st);
}

static void test_validation(void **state)
{
	struct fx *f = *state;
	struct bank_account b;
	struct verrors ve;
	verr_init(&ve, f->a);
	memset(&b, 0, sizeof b);
	b.beneficiary_kind = "enterprise";
	b.beneficiary_id = f->eid;
	b.bank = " ";
	b.branch = "晋江支行";
	b.account_name = "别的公司";
	b.account_type = "personal_card";
	b.number = "1234567";
	assert_int_equal(bank_account_put(f->st, &f->who, &b, T0, f->a, &ve), TP_ERR_INVALID);
	const char *want[] = {"account_type", "bank", "account_name", "account_number"};
	assert_int_equal(ve.n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(ve.v[i].field, want[i]);
	struct bank_account *h;
	size_t n;
	assert_int_equal(bank_account_history(f->st, "enterprise", f->eid, f->a, &h, &n), TP_OK);
	assert_int_equal(n, 0);
	b.beneficiary_id = 999999;
	verr_init(&ve, f->a);
	assert_int_equal(bank_account_put(f->st, &f->who, &b, T0, f->a, &ve), TP_ERR_NOT_FOUND);
}

static void test_rotation_reseals_numbers(void **state)
{
	struct fx *f = *state;
	struct bank_account b;
	assert_int_equal(put(f, CORP1, T0, &b), TP_OK);
	uint32_t new_id = 0;
	assert_int_equal(STORE_CALL(pii_add_key, f->st, &new_id), TP_OK);
	struct pii_rekey_pos pos = {0};
	int64_t resealed = 0, total = 0;
	while (pos.table != PII_REKEY_DONE) {
		assert_int_equal(STORE_CALL(pii_rekey, f->st, 10, &pos, &resealed), TP_OK);
		total += resealed;
	}
	assert_int_equal(total, 1);
	struct pii_key_count *c;
	size_t n;
	assert_int_equal(STORE_CALL(pii_key_counts, f->st, f->a, &c, &n), TP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].key_id, new_id);
	struct pay_account pa;
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0, f->a, &pa), TP_OK);
	assert_string_equal(pa.account_number, CORP1);
}

/* The outer transaction of the Idempotency-Key layer: a handler's transaction nests as a
 * savepoint; its rollback undoes only its own work; ending the outer one decides all. */
static void test_outer_transaction(void **state)
{
	struct fx *f = *state;
	const struct idem_store_ops *ops = f->st->ops->idem;
	struct idem_record r = {.account_id = 1, .key = "k1", .method = "PUT", .path = "/p",
				.body_hash = "h", .status = 200, .content_type = "text/plain",
				.body = "ok", .body_len = 2, .created_at = T0};
	struct bank_account b;
	/* a handler that fails and rolls back; then one that commits; the outer commits */
	assert_int_equal(ops->outer_begin(f->st), TP_OK);
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(store_begin(f->st), TP_ERR_INTERNAL); /* no double begin */
	store_rollback(f->st);
	store_rollback(f->st); /* a second rollback does not reach the outer transaction */
	assert_int_equal(put(f, CORP1, T0, &b), TP_OK);
	assert_int_equal(ops->put(f->st, &r, T0 - DAY), TP_OK);
	assert_int_equal(ops->outer_end(f->st, 1), TP_OK);
	struct idem_record got;
	assert_int_equal(ops->get(f->st, 1, "k1", T0 - DAY, f->a, &got), TP_OK);
	assert_int_equal(got.status, 200);
	assert_int_equal(got.body_len, 2);
	assert_memory_equal(got.body, "ok", 2);
	struct pay_account pa;
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0, f->a, &pa), TP_OK);

	/* rolled back as a whole: neither the change nor the record stays */
	struct idem_record r2 = r;
	r2.key = "k2";
	assert_int_equal(ops->outer_begin(f->st), TP_OK);
	assert_int_equal(put(f, CORP2, T0 + 10, &b), TP_OK);
	assert_int_equal(ops->put(f->st, &r2, T0 - DAY), TP_OK);
	assert_int_equal(ops->outer_end(f->st, 0), TP_OK);
	assert_int_equal(ops->get(f->st, 1, "k2", T0 - DAY, f->a, &got), TP_ERR_NOT_FOUND);
	assert_int_equal(bank_account_current(f->st, "enterprise", f->eid, T0, f->a, &pa), TP_OK);
	assert_string_equal(pa.account_number, CORP1);

	/* expiry: an old record counts as none and is removed by the next insert */
	assert_int_equal(ops->get(f->st, 1, "k1", T0 + 1, f->a, &got), TP_ERR_NOT_FOUND);
	r2.created_at = T0 + 2 * DAY;
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(ops->put(f->st, &r2, T0 + DAY), TP_OK);
	r.created_at = T0 + 2 * DAY;
	assert_int_equal(ops->put(f->st, &r, T0 + DAY), TP_OK); /* k1 was deleted: free again */
	assert_int_equal(ops->put(f->st, &r, T0 + DAY), TP_ERR_CONFLICT);
	store_rollback(f->st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_current_and_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mark_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation_reseals_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outer_transaction, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
