/*
 * benefits.h — applied benefits (快申快享; issue 6, item 1): an application of kind
 * "benefit" (workflows/benefit.yaml) for one apply-channel policy, period and item,
 * prefilled from the facts the platform holds and the policy engine's evaluation; its
 * approval confirms the entitlements of that key.  docs/payments.md, "Applied benefits".
 *
 * Called by applications.c inside its transaction (prepare on submit and resubmit, grant
 * on the office's final approval) and by the API's prefill (read only).
 */
#ifndef TP_DOMAIN_BENEFITS_H
#define TP_DOMAIN_BENEFITS_H

#include <stdint.h>

#include <jansson.h>

#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct store;
struct application;
struct talent;
struct pol_pack;
struct arena;

/* The benefit pack applications are evaluated with (the server's policy pack); set once
 * before serving.  NULL: benefit applications are refused (no pack). */
void benefit_set_pack(const struct pol_pack *pk);

/* One entitlement of an approved application, as the store confirms it. */
struct benefit_ent {
	const char *policy, *beneficiary_kind; /* "talent" | "enterprise" */
	int64_t beneficiary_id;
	const char *item;       /* "" when the policy is not per item */
	const char *period_key; /* "2026" (year and once policies) or "2026-03" */
	int instalment;
	const char *kind;       /* cash | loan | nights | service | points */
	int money;              /* 1: amount is fen */
	int64_t amount;         /* fen when money, else the quantity */
	const char *explanation_hash; /* hex BLAKE2b-256 of the explanation JSON */
	const char *pack_id;
	int year;
};

/* What the evaluation of one policy (and item) for one period says (benefit_pick()). */
enum benefit_outcome {
	BENEFIT_GRANTED,    /* granted: entitlements lists them */
	BENEFIT_INELIGIBLE, /* a condition failed: failed names it, missing the absent facts */
	BENEFIT_EXCLUDED,   /* lost its exclusive group (就高不重复): excluded_by is the winner */
	BENEFIT_NOT_DUE,    /* nothing of the policy is due in the period */
	BENEFIT_NEED_ITEM,  /* a per-item policy with several items and none chosen */
};

struct benefit_pick {
	enum benefit_outcome outcome;
	json_t *entitlements; /* BENEFIT_GRANTED: new array of the granted entries (decref) */
	const char *failed;   /* borrowed from the eval document */
	const char *excluded_by;
	const char *items;    /* the items granted, "c1, c2" in the arena (NULL: none) */
	json_t *missing;      /* borrowed: the explanation's "missing" list, or NULL */
};

/*
 * Pure: picks policy's entries (item's only when item is not NULL / "") from an eval
 * document ({"entitlements": [...]} as pol_eval_json() writes it with all = 1).  Granted
 * entries win; else the first excluded one; else the first ineligible one; else not due.
 * A per-item policy without item and with granted entries for more than one item is
 * NEED_ITEM.  Returns 0, or -1 when out of memory.
 */
int benefit_pick(json_t *eval, const char *policy, const char *item, struct arena *a,
		 struct benefit_pick *out);

/*
 * The prefill of an application for talent t: policy (an apply-channel policy of the pack
 * whose beneficiary is the person), period ("2026"), item (per-item policies).  On TP_OK
 * *json is the proposal as JSON text in a:
 *   {"policy", "title": {zh, en}, "period", "item", "channel": "apply",
 *    "facts": <the facts document evaluated>,
 *    "entitlements": [{"period", "item", "instalment", "kind", "amount_fen" | "quantity",
 *                      "explanation_hash", "explanation"}],
 *    "total_fen", "pack": <pack id>}
 * TP_ERR_INVALID with ve naming the field (zh + en): unknown policy, a proactive policy
 * (paid without applying), an enterprise policy, an ineligible profile (the failing
 * condition and the missing facts), excluded by another policy of its group, nothing due
 * in the period, a per-item policy without its item (the item is part of the key: it is
 * always named, the granted items listed in the message).  TP_ERR_UNSUPPORTED: no pack.
 */
enum tp_rc benefit_prefill(struct store *st, const struct talent *t, const char *policy,
			   const char *period, const char *item, struct arena *a, const char **json,
			   struct verrors *ve);

/*
 * The prefill of an enterprise's claim (its beneficiary is the enterprise: policy
 * apprentice-training, item the apprentice's id), over the facts
 * policy_facts_from_enterprise() makes of its apprentice register; as benefit_prefill().
 * Beyond its refusals (a person policy: field policy, code person_policy): item naming no
 * apprentice of the enterprise (unknown_item), an apprentice without an enrolment date
 * (field enrolled_on, required).
 */
enum tp_rc benefit_prefill_enterprise(struct store *st, int64_t enterprise_id,
				      const char *policy, const char *period, const char *item,
				      struct arena *a, const char **json, struct verrors *ve);

/* Fills ap->proposal (benefit_prefill(), or benefit_prefill_enterprise() when
 * ap->talent_id is 0: an enterprise's claim, t NULL) for ap->policy, ap->period, ap->item;
 * the form may carry a "statement" (≤ 2000 bytes) and nothing else.  TP_ERR_INVALID with
 * ve; an enterprise's claim of an entitlement confirmed, paid or cancelled already:
 * TP_ERR_CONFLICT with ve (field item, code already_claimed). */
enum tp_rc benefit_prepare(struct store *st, struct application *ap, const struct talent *t,
			   struct verrors *ve);

/*
 * The office approved ap: confirms every entitlement of its proposal (the key: policy,
 * talent — the enterprise when ap->talent_id is 0 —, item, period, instalment) for ap — the pending row a policy run wrote takes the
 * approved amount, or a confirmed row is written when there is none — with a notice to
 * the talent and the audit record "entitlement.confirm_application", inside the caller's
 * transaction.  TP_ERR_CONFLICT with ve when a row of the key has moved on already
 * (confirmed, paid or cancelled).
 */
enum tp_rc benefit_grant(struct store *st, const struct actor *who, struct application *ap,
			 int64_t now, struct verrors *ve);

#endif
