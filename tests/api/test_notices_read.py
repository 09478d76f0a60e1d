"""Notices marked read (issue 7: the notices bell; migrations/0023, src/api/notices.c).

A notice is written by real activity: the office confirms a pending entitlement and its
beneficiary (a talent, or an enterprise for its employer) is told.  From the rules:
  - GET /notices gives each notice's read_at (null while unread) and `unread`, the number of
    the caller's unread notices; ?unread=1 lists only those;
  - POST /notices/{id}/read marks one of the caller's own notices read; doing it again
    changes nothing (the first read_at stays); another beneficiary's notice is answered 404
    exactly like a missing one and stays unread;
  - POST /notices/read-all marks every unread one of the caller's, and is idempotent;
  - each change is audited (notice.read, notice.read_all), a refusal too (access.denied).
"""
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402


def seed_pending(db, rows):
    """rows: (policy, beneficiary_kind, beneficiary_id, period_key, amount_fen), written
    as a policy run writes them (status pending); returns their ids."""
    con = sqlite3.connect(db, timeout=10)
    try:
        run = con.execute(
            "INSERT INTO policy_runs (period, pack_id, pack_hash, started_at, finished_at, talents, "
            "enterprises, skipped, entitlements, kept, total_fen, status) VALUES (2026, 'seed', "
            "'seed', 't', 't', 0, 0, 0, 0, 0, 0, 'done')").lastrowid
        ids = []
        for policy, kind, bid, period, amount in rows:
            ids.append(con.execute(
                "INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, item, "
                "period_key, instalment, kind, amount_fen, status, explanation_hash, created_at) "
                "VALUES (?, ?, ?, ?, '', ?, 1, 'cash', ?, 'pending', 'h', 't')",
                (run, policy, kind, bid, period, amount)).lastrowid)
        con.commit()
        return ids
    finally:
        con.close()


def audit_rows(db, action):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute('SELECT actor, object_type, object_id, result FROM audit_log '
                           'WHERE action = ? ORDER BY id', (action,)).fetchall()
    finally:
        con.close()


class NoticesRead(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        auth = {'Authorization': 'Bearer ' + cls.office}
        cls.tids, cls.talents = [], []
        for i, n in enumerate((701, 702)):
            r = srv.request('POST', '/api/v1/talents', test_talents.talent_body(n), headers=auth)
            assert r.status == 201, r.body
            cls.tids.append(r.json['id'])
            s, _, _ = srv.account(f'nr-talent{i}', 'talent', '--talent-id', str(r.json['id']))
            cls.talents.append(srv.bearer(s))
        r = srv.request('POST', '/api/v1/enterprises', {
            'name': '通知测试公司', 'credit_code': test_talents.uscc(701),
            'town': test_talents.TOWN_CHENDAI}, headers=auth)
        assert r.status == 201, r.body
        cls.eid = r.json['id']
        s, _, _ = srv.account('nr-employer', 'employer', '--enterprise-id', str(cls.eid))
        cls.employer = srv.bearer(s)
        a, b = cls.tids
        ids = seed_pending(srv.db, [
            ('talent-allowance', 'talent', a, '2025', 600000),
            ('living-subsidy', 'talent', a, '2025-09', 150000),
            ('housing-subsidy', 'talent', b, '2025', 300000),
            ('talent-allowance', 'enterprise', cls.eid, '2025', 100000)])
        r = srv.request('POST', '/api/v1/entitlements/confirm', {'ids': ids},
                        headers=dict(auth, **{'Idempotency-Key': 'nr-confirm'}))
        assert r.status == 200 and r.json['confirmed'] == 4, r.body

    def call(self, token, method, path, body=None, status=None):
        r = self.server.request(method, path, body=body,
                                headers={'Authorization': 'Bearer ' + token})
        if status is not None:
            self.assertEqual(r.status, status, r.body[:600])
        return r

    def notices(self, token, query=''):
        return self.call(token, 'GET', '/api/v1/notices' + query, None, 200).json

    def test_notices_name_the_policy_by_its_title(self):
        """Notices are stored with the policy's id; people read the pack's title
        (policies/jinjiang/talent-allowance.yaml: 人才津贴 / Talent allowance).  An id the pack
        does not have (living-subsidy) is left as it is."""
        items = {n['policy']: n for n in self.notices(self.talents[0])['items']}
        ta = items['talent-allowance']
        self.assertIn('您将获得 人才津贴（2025）6000.00 元', ta['text_zh'])
        self.assertIn('under Talent allowance (2025)', ta['text_en'])
        self.assertNotIn('talent-allowance', ta['text_zh'] + ta['text_en'])
        self.assertEqual(ta['text'], ta['text_zh'])   # the caller's language: Chinese by default
        self.assertIn('living-subsidy（2025-09）', items['living-subsidy']['text_zh'])

    def test_mark_one_read_is_idempotent_and_own_only(self):
        a_tok, b_tok = self.talents
        before = self.notices(a_tok)
        self.assertEqual(len(before['items']), 2)
        self.assertTrue(all(n['read_at'] is None for n in before['items']))
        self.assertEqual(before['unread'], 2)
        first = before['items'][0]['id']
        b_notice = self.notices(b_tok)['items'][0]['id']

        # another talent's notice and the employer on a talent's notice: 404, nothing read
        self.assertProblem(self.call(a_tok, 'POST', f'/api/v1/notices/{b_notice}/read', {}), 404)
        self.assertProblem(self.call(self.employer, 'POST', f'/api/v1/notices/{first}/read', {}),
                           404)
        self.assertProblem(self.call(a_tok, 'POST', '/api/v1/notices/999999/read', {}), 404)
        self.assertEqual(self.notices(b_tok)['unread'], 1)
        self.assertEqual(self.notices(a_tok)['unread'], 2)
        denied = [r for r in audit_rows(self.server.db, 'access.denied')
                  if r[1] == 'notice' and r[2] == str(b_notice)]
        self.assertEqual(len(denied), 1)

        r = self.call(a_tok, 'POST', f'/api/v1/notices/{first}/read', {}, 200)
        self.assertEqual((r.json['id'], r.json['read'], r.json['unread']), (first, True, 1))
        after = {n['id']: n for n in self.notices(a_tok)['items']}
        read_at = after[first]['read_at']
        self.assertRegex(read_at, r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d')
        self.assertEqual(self.notices(a_tok)['unread'], 1)
        # only the unread one is listed with ?unread=1, but the count is the same
        unread = self.notices(a_tok, '?unread=1')
        self.assertEqual([n['id'] for n in unread['items']],
                         [i for i in after if i != first])
        self.assertEqual(unread['unread'], 1)

        # again: 200, the first read_at kept, one audit record only
        r = self.call(a_tok, 'POST', f'/api/v1/notices/{first}/read', {}, 200)
        self.assertEqual(r.json['unread'], 1)
        self.assertEqual({n['id']: n for n in self.notices(a_tok)['items']}[first]['read_at'],
                         read_at)
        rows = [x for x in audit_rows(self.server.db, 'notice.read') if x[2] == str(first)]
        self.assertEqual(rows, [('nr-talent0', 'notice', str(first), 'ok')])
        # B's notice untouched by all of this
        self.assertIsNone(self.notices(b_tok)['items'][0]['read_at'])

    def test_read_all_for_an_employer(self):
        got = self.notices(self.employer)
        self.assertEqual(len(got['items']), 1)
        self.assertEqual(got['unread'], 1)
        self.assertEqual(got['items'][0]['amount_fen'], 100000)
        r = self.call(self.employer, 'POST', '/api/v1/notices/read-all', {}, 200)
        self.assertEqual((r.json['marked'], r.json['unread']), (1, 0))
        got = self.notices(self.employer)
        self.assertEqual(got['unread'], 0)
        self.assertIsNotNone(got['items'][0]['read_at'])
        self.assertEqual(self.notices(self.employer, '?unread=true')['items'], [])
        r = self.call(self.employer, 'POST', '/api/v1/notices/read-all', {}, 200)
        self.assertEqual(r.json['marked'], 0)
        self.assertEqual(len([x for x in audit_rows(self.server.db, 'notice.read_all')
                              if x[0] == 'nr-employer']), 1)
        # the talents' notices are not the employer's to mark
        self.assertEqual(self.notices(self.talents[1])['unread'], 1)

    def test_bad_input(self):
        self.assertProblem(self.call(self.talents[0], 'GET', '/api/v1/notices?unread=maybe'),
                           422, field='unread')
        r = self.call(self.talents[0], 'POST', '/api/v1/notices/1/read', {'read': True})
        self.assertProblem(r, 422, field='read')
        self.assertProblem(self.call(self.talents[0], 'POST', '/api/v1/notices/abc/read', {}), 404)
        self.assertProblem(self.call(self.office, 'POST', '/api/v1/notices/read-all', {}), 403)


if __name__ == '__main__':
    unittest.main()
