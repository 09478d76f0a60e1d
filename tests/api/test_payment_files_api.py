"""The files of a payment run over the real server (docs/payment-files.md, docs/payments.md):
run → approve → GET bank-file (count and control total worked out from the seeded amounts;
plain account numbers only there) → GET payment-list.xlsx (unzipped: a summary sheet and one
sheet per policy, totals as formulas with the right cached values, ID numbers masked text) →
a malformed bank-result file (422 naming the row, nothing applied) → a result file with two
failures, one "account closed" (lines failed and requeued, the account marked closed, a notice
for its talent).  Talents and employers get 403.

Every talent gets a real account through the API (the old stand-in is gone from the binary).
"""
import csv
import io
import os
import re
import sqlite3
import sys
import unittest
import uuid
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402

PW = harness.PASSWORD


def luhn_card(seq):
    """A 16-digit card number 6222 0000 0000 0SSx passing the Luhn check."""
    body = f'622200000000{seq:03d}'
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:   # doubled: the check digit will be appended to the right
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def yuan(fen):
    return f'{fen // 100}.{fen % 100:02d}'


def seed_confirmed(db, rows):
    """rows: (policy, talent_id, period_key, amount_fen) → entitlement ids (confirmed)."""
    con = sqlite3.connect(db, timeout=10)
    try:
        run = con.execute(
            "INSERT INTO policy_runs (period, pack_id, pack_hash, started_at, finished_at, talents, "
            "enterprises, skipped, entitlements, kept, total_fen, status) VALUES (2026, 'seed', "
            "'seed', 't', 't', 0, 0, 0, 0, 0, 0, 'done')").lastrowid
        ids = [con.execute(
            "INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, item, "
            "period_key, instalment, kind, amount_fen, status, explanation_hash, created_at) "
            "VALUES (?, ?, 'talent', ?, '', ?, 1, 'cash', ?, 'confirmed', 'h', 't')",
            (run, p, t, per, amt)).lastrowid for p, t, per, amt in rows]
        con.commit()
        return ids
    finally:
        con.close()


class PaymentFiles(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        cls.office2 = srv.staff_token('office2', 'office_reviewer')
        cls.fin = srv.staff_token('fin', 'finance')
        cls.auditor = srv.staff_token('aud', 'auditor')
        cls.talents, cls.cards, cls.idn = [], {}, {}
        for k in range(3):
            body = test_talents.talent_body(771 + k)
            r = srv.request('POST', '/api/v1/talents', body,
                            headers={'Authorization': 'Bearer ' + cls.office})
            assert r.status == 201, r.body
            tid = r.json['id']
            card = luhn_card(k + 1)
            r = srv.request('PUT', f'/api/v1/talents/{tid}/bank-account', {
                'bank': '中国工商银行', 'branch': '晋江支行', 'account_name': body['name'],
                'account_number': card, 'reason': '首次登记', 'current_password': PW},
                headers={'Authorization': 'Bearer ' + cls.office,
                         'Idempotency-Key': str(uuid.uuid4())})
            assert r.status in (200, 201), r.body
            cls.talents.append(tid)
            cls.cards[tid] = card
            cls.idn[tid] = body['id_number']
        s, _, _ = srv.account('pf-talent', 'talent', '--talent-id', str(cls.talents[0]))
        cls.talent = srv.bearer(s)
        r = srv.request('POST', '/api/v1/enterprises', {
            'name': '付款文件测试公司', 'credit_code': test_talents.uscc(771),
            'town': test_talents.TOWN_CHENDAI}, headers={'Authorization': 'Bearer ' + cls.office})
        assert r.status == 201, r.body
        s, _, _ = srv.account('pf-employer', 'employer', '--enterprise-id', str(r.json['id']))
        cls.employer = srv.bearer(s)

    def call(self, token, method, path, body=None, status=None, raw=None, ctype=None):
        h = {'Authorization': 'Bearer ' + token}
        if method == 'POST':
            h['Idempotency-Key'] = str(uuid.uuid4())
        if ctype:
            h['Content-Type'] = ctype
        r = self.server.request(method, path, body=body, headers=h, raw=raw)
        if status is not None:
            self.assertEqual(r.status, status, r.body[:600])
        return r

    def approved_run(self, period):
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': period}, 201)
        rid = r.json['id']
        self.call(self.office2, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW},
                      200)
        self.assertEqual(r.json['state'], 'approved')
        return r.json

    def test_a_month_of_files(self):
        a, b, c = self.talents
        amounts = [('living-subsidy', a, '2026-09', 150000),
                   ('talent-allowance', b, '2026', 600000),
                   ('living-subsidy', c, '2026-10', 123456),
                   ('talent-allowance', a, '2026', 50001)]
        ents = seed_confirmed(self.server.db, amounts)
        total = sum(x[3] for x in amounts)   # 923457 fen = 9234.57 元
        run = self.approved_run('2026-10')
        rid = run['id']
        self.assertEqual(run['lines'], 4)
        self.assertEqual(run['total_fen'], total)

        # ---- the payment list before export: the auditor may read it
        r = self.call(self.auditor, 'GET', f'/api/v1/payment-runs/{rid}/payment-list.xlsx',
                      None, 200)
        self.assertIn('attachment', r.header('Content-Disposition'))
        z = zipfile.ZipFile(io.BytesIO(r.body))
        wb = z.read('xl/workbook.xml').decode()
        names = re.findall(r'<sheet name="([^"]+)"', wb)
        # lines are in (period_key, id) order: '2026' sorts before '2026-09'; a sheet is
        # named after the policy's Chinese title in the pack (the code when not in the pack)
        def title(code):
            r = self.server.request('GET', f'/api/v1/policies/{code}')
            return r.json['title']['zh'] if r.status == 200 else code
        ta, ls = title('talent-allowance'), title('living-subsidy')
        self.assertEqual(names, ['汇总', ta, ls])
        sheets = {n: z.read(f'xl/worksheets/sheet{i + 1}.xml').decode()
                  for i, n in enumerate(names)}
        sheets['talent-allowance'], sheets['living-subsidy'] = sheets[ta], sheets[ls]
        everything = ''.join(sheets.values()) + ''.join(
            z.read(n).decode('utf-8', 'replace') for n in z.namelist() if n.endswith('.xml'))
        for tid in self.talents:   # neither the ID numbers nor the card numbers in clear
            self.assertNotIn(self.idn[tid], everything)
            self.assertNotIn(self.cards[tid], everything)

        def total_cell(xml):
            m = re.search(r'<f>SUM\(K2:K(\d+)\)</f><v>([^<]+)</v>', xml)
            self.assertIsNotNone(m, xml[-800:])
            return int(m.group(1)), float(m.group(2))
        self.assertEqual(total_cell(sheets['living-subsidy']), (3, (150000 + 123456) / 100))
        self.assertEqual(total_cell(sheets['talent-allowance']), (3, (600000 + 50001) / 100))
        # the ID number column (C) is masked text
        ids = re.findall(r'<c r="C\d+"[^>]*t="inlineStr"><is><t>([^<]*)</t>',
                         sheets['living-subsidy'])
        self.assertEqual(len(ids), 3, sheets['living-subsidy'][:1500])   # header + 2 lines
        for v in ids[1:]:
            self.assertIn('*', v)
            self.assertEqual(len(v), 18)
        # the summary's grand total is a formula whose cached value is the run's total
        self.assertTrue(any(abs(float(v) - total / 100) < 1e-9 for v in
                            re.findall(r'<f>SUM\(E[^<]*</f><v>([^<]+)</v>', sheets['汇总'])),
                        sheets['汇总'][-1500:])

        # ---- the bank file: finance only; it exports the run
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/bank-file', None, 200)
        self.assertTrue(r.header('Content-Type').startswith('text/csv'))
        self.assertIn('no-store', r.header('Cache-Control'))
        text = r.body.decode('utf-8-sig')
        rows = list(csv.reader(io.StringIO(text.replace('\r\n', '\n'))))
        self.assertEqual(rows[0][0], 'H')
        self.assertEqual(rows[0][1:5], [str(rid), '2026-10', '4', yuan(total)])
        self.assertEqual(rows[-1], ['T', '4', yuan(total)])
        details = [x for x in rows if x[0] == 'D']
        self.assertEqual(len(details), 4)
        self.assertEqual(sum(int(x[6].replace('.', '')) for x in details), total)
        lines = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/lines', None,
                          200).json['items']
        by_id = {x['id']: x for x in lines}
        for d in details:
            line = by_id[int(d[1])]
            self.assertEqual(d[2], self.cards[line['beneficiary_id']])
            self.assertEqual(d[6], yuan(line['amount_fen']))
            self.assertNotIn(d[2], str(line))   # the lines JSON shows masks only
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}', None, 200)
        self.assertEqual(r.json['state'], 'exported')
        # POST …/export on an exported run changes nothing (documented)
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {}, 200)

        # ---- the announcement list: only the policies of the setting payments.announce
        r = self.call(self.office, 'GET', f'/api/v1/payment-runs/{rid}/announcement.csv')
        self.assertProblem(r, 409, 'no_lines')   # no policy requires it yet
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            con.execute("INSERT INTO settings (key, value) VALUES ('payments.announce', "
                        "'living-subsidy') ON CONFLICT (key) DO UPDATE SET value = "
                        "excluded.value")
            con.commit()
        finally:
            con.close()
        r = self.call(self.office, 'GET', f'/api/v1/payment-runs/{rid}/announcement.csv',
                      None, 200)
        rows = list(csv.reader(io.StringIO(r.body.decode('utf-8-sig').replace('\r\n', '\n'))))
        data = [x for x in rows[1:] if x and x[0] != '合计']
        self.assertEqual(len(data), 2)                    # a's and c's living subsidy
        self.assertEqual(rows[-1][0], '合计')
        self.assertIn('2笔', rows[-1])
        self.assertEqual(rows[-1][-1], yuan(150000 + 123456))
        for tid in self.talents:
            self.assertNotIn(self.cards[tid], r.body.decode('utf-8-sig'))
            self.assertNotIn(self.idn[tid], r.body.decode('utf-8-sig'))
        self.assertTrue(all(x[1].startswith('测') and '*' in x[1] for x in data), data)
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/announcement.xlsx',
                      None, 200)
        z = zipfile.ZipFile(io.BytesIO(r.body))
        self.assertIn('公示名单', z.read('xl/workbook.xml').decode())

        # ---- a malformed result file: 422 naming the row, nothing applied
        line_of = {x['entitlement_id']: x for x in lines}
        l0, l1, l2, l3 = (line_of[e] for e in ents)
        bad = ('明细编号,状态,金额,原因,银行流水\r\n'
               f'{l0["id"]},成功,{yuan(l0["amount_fen"])},,B1\r\n'
               f'{l1["id"]},也许,{yuan(l1["amount_fen"])},,B2\r\n')
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result-file',
                      raw=bad.encode(), ctype='text/csv', status=422)
        self.assertIn('row 3', [e['field'] for e in r.json['errors']])
        lines = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/lines', None,
                          200).json['items']
        self.assertTrue(all(x['status'] == 'exported' for x in lines))

        # ---- the bank's answer: two failures, one of them a closed account (talent a)
        good = ('\ufeff明细编号,状态,金额,原因,银行流水\r\n'
                f'{l0["id"]},失败,{yuan(l0["amount_fen"])},账户已销户,B1\r\n'
                f'{l1["id"]},成功,{yuan(l1["amount_fen"])},,B2\r\n'
                f'{l2["id"]},F,{yuan(l2["amount_fen"])},户名不符,B3\r\n'
                f'{l3["id"]},S,{yuan(l3["amount_fen"])},,B4\r\n')
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result-file',
                      raw=good.encode(), ctype='text/csv', status=200)
        self.assertEqual((r.json['paid'], r.json['failed']), (2, 2))
        self.assertEqual(r.json['paid_fen'], 600000 + 50001)
        self.assertEqual(r.json['failed_fen'], 150000 + 123456)
        self.assertEqual(r.json['accounts_closed'], 1)
        self.assertEqual(r.json['state'], 'reconciled')
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            st = {e: con.execute('SELECT status FROM entitlements WHERE id = ?', (e,))
                  .fetchone()[0] for e in ents}
        finally:
            con.close()
        self.assertEqual(st, {ents[0]: 'confirmed', ents[1]: 'paid', ents[2]: 'confirmed',
                              ents[3]: 'paid'})   # the failures are back in the queue
        r = self.call(self.fin, 'GET', f'/api/v1/talents/{a}/bank-account', None, 200)
        self.assertEqual(r.json['status'], 'invalid', r.body)
        r = self.call(self.fin, 'GET', f'/api/v1/talents/{c}/bank-account', None, 200)
        self.assertEqual(r.json['status'], 'current')   # 户名不符 is not a closed account
        r = self.call(self.talent, 'GET', '/api/v1/notices', None, 200)
        failed = [n for n in r.json['items'] if n['kind'] == 'payment.failed']
        self.assertEqual(len(failed), 1, r.json)
        self.assertIn('销户', failed[0]['text_zh'])

        # ---- the next run pays c again; a waits for a new account (the old one is closed)
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2026-11'}, 201)
        self.assertEqual((r.json['lines'], r.json['total_fen']), (1, 123456))
        self.assertEqual((r.json['waiting'], r.json['waiting_fen']), (1, 150000))
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{r.json["id"]}/cancel',
                  {'reason': '测试结束'}, 200)

        # ---- the same file again on the reconciled run: 409, nothing changes
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result-file',
                      raw=good.encode(), ctype='text/csv', status=409)
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}', None, 200)
        self.assertEqual((r.json['paid'], r.json['failed'], r.json['state']),
                         (2, 2, 'reconciled'))

        # ---- the audit log has the bank-file download
        r = self.call(self.auditor, 'GET', '/api/v1/audit?action=payment_run.bank_file', None,
                      200)
        got = [x for x in r.json['items'] if x.get('action') == 'payment_run.bank_file']
        self.assertEqual(len(got), 1, r.json)
        self.assertEqual(str(got[0]['object_id']), str(rid))
        r = self.call(self.auditor, 'GET', '/api/v1/audit?action=bank_account.closed', None, 200)
        self.assertEqual(len(r.json['items']), 1, r.json)

    def test_announcement_needs_the_setting(self):
        r = self.call(self.office, 'GET', '/api/v1/payment-runs/999999/announcement.csv', None)
        self.assertEqual(r.status, 404)

    def test_who_may_not(self):
        for tok in (self.talent, self.employer):
            for path in ('bank-file', 'payment-list.xlsx', 'announcement.csv',
                         'announcement.xlsx'):
                r = self.call(tok, 'GET', f'/api/v1/payment-runs/1/{path}')
                self.assertEqual(r.status, 403, (path, r.body[:200]))
            r = self.call(tok, 'POST', '/api/v1/payment-runs/1/bank-result-file',
                          raw=b'1,S,1.00,,x\r\n', ctype='text/csv')
            self.assertEqual(r.status, 403)
        # the office may read the list but not take the bank file
        r = self.call(self.office, 'GET', '/api/v1/payment-runs/1/bank-file')
        self.assertEqual(r.status, 403)
        r = self.call(self.auditor, 'GET', '/api/v1/payment-runs/1/announcement.csv')
        self.assertEqual(r.status, 403)
        r = self.call(self.fin, 'GET', '/api/v1/payment-runs/999999/bank-file')
        self.assertEqual(r.status, 404)


class TestNoAccountStandIn(unittest.TestCase):
    """The old stand-in TALENTPORT_PAY_TEST_ACCOUNTS=1 (everyone paid to one fixed account)
    is gone from the binary: with it set, an entitlement without a registered account still
    waits no_bank_account (docs/payments.md)."""

    def test_variable_ignored(self):
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, 'x.db')
            self.assertEqual(harness.run_cli('migrate', '--db', db).returncode, 0)
            ids = seed_confirmed(db, [('p', 1, '2026-01', 100)])
            env = dict(os.environ, TALENTPORT_PAY_TEST_ACCOUNTS='1')
            p = subprocess.run([harness.BIN, 'payments', 'run', '--period', '2026-01',
                                '--db', db], env=env, capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertNotIn(b'TEST ACCOUNT', p.stderr)
            con = sqlite3.connect(db)
            try:
                self.assertEqual(con.execute('SELECT entitlement_id, reason FROM '
                                             'payment_waits').fetchall(),
                                 [(ids[0], 'no_bank_account')])
                self.assertEqual(con.execute('SELECT COUNT(*) FROM payment_lines').fetchall(),
                                 [(0,)])
            finally:
                con.close()


if __name__ == '__main__':
    unittest.main()
