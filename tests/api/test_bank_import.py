"""`talentport bank-accounts import FILE` (docs/payments-accounts.md "Bulk import";
src/domain/bank_import.h): verified accounts in bulk, the API's checks, one transaction,
each account audited as the command line ("system"), a per-row report or all-or-nothing.

Two talents A, B and an enterprise E (registered through the API).  A file of 8 rows:
  2 A's card 6222000000000173 (valid Luhn)           → added
  3 E's corporate account 3500112233445566            → added
  4 B with a card failing the Luhn check              → account_number (luhn)
  5 B with another person's name                      → account_name_mismatch
  6 an ID number nobody has                           → beneficiary_not_found
  7 A again                                           → duplicate_beneficiary
  8 both an ID number and a credit code               → credit_code beneficiary_required
  9 nothing but a bank                                → id_number beneficiary_required
"""
import csv
import os
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402
import test_talents  # noqa: E402
from test_payment_files_api import seed_confirmed  # noqa: E402


def q(db, sql, *args):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


class BankImport(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv = cls.server
        cls.tmp = tempfile.mkdtemp(prefix='tp-bankimp-')
        h = {'Authorization': 'Bearer ' + srv.token}
        cls.fin = srv.staff_token('fin', 'finance')
        cls.a = test_talents.talent_body(911)
        cls.b = test_talents.talent_body(912)
        cls.ids = {}
        for body in (cls.a, cls.b):
            r = srv.request('POST', '/api/v1/talents', body, headers=h)
            assert r.status == 201, r.body
            cls.ids[body['id_number']] = r.json['id']
        r = srv.request('POST', '/api/v1/enterprises', {
            'name': '导入测试公司', 'credit_code': test_talents.uscc(911),
            'town': test_talents.TOWN_CHENDAI}, headers=h)
        assert r.status == 201, r.body
        cls.eid = r.json['id']

    def write(self, name, rows, header=('身份证号', '统一社会信用代码', '开户银行', '开户网点',
                                        '户名', '账号')):
        path = os.path.join(self.tmp, name)
        with open(path, 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
        return path

    def imp(self, path, *extra):
        return harness.run_cli('bank-accounts', 'import', path, '--db', self.server.db, *extra)

    def rows(self):
        a, b = self.a, self.b
        ucc = test_talents.uscc(911)
        return [
            (a['id_number'], '', '中国工商银行', '晋江支行', a['name'], pay_seed.card(17)),
            ('', ucc, '中国银行', '陈埭支行', '导入测试公司', '3500112233445566'),
            (b['id_number'], '', '中国工商银行', '晋江支行', b['name'], '6222000000000010'),
            (b['id_number'], '', '中国工商银行', '晋江支行', '别人', pay_seed.card(18)),
            (test_talents.make_id(999), '', '中国工商银行', '晋江支行', '无名', pay_seed.card(19)),
            (a['id_number'], '', '中国工商银行', '晋江支行', a['name'], pay_seed.card(20)),
            (a['id_number'], ucc, '中国工商银行', '晋江支行', a['name'], pay_seed.card(21)),
            ('', '', '中国工商银行', '', '', ''),
        ]

    def accounts(self):
        return q(self.server.db, 'SELECT beneficiary_kind, beneficiary_id, number_mask, '
                                 'replaced_at IS NULL FROM bank_accounts ORDER BY id')

    def test_1_all_or_nothing_then_per_row(self):
        path = self.write('accounts.csv', self.rows())
        p = self.imp(path, '--all-or-nothing')
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(b'nothing was imported', p.stdout)
        self.assertEqual(self.accounts(), [])

        report = os.path.join(self.tmp, 'report.csv')
        p = self.imp(path, '--report', report)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(b'8 rows, 2 added, 0 changed, 0 unchanged, 6 failed', p.stdout)
        ta = self.ids[self.a['id_number']]
        self.assertEqual(self.accounts(), [('talent', ta, '6222 **** **** 0173', 1),
                                           ('enterprise', self.eid, '3500 **** **** 5566', 1)])
        with open(report, encoding='utf-8-sig') as f:
            got = {(int(r['row']), r['field'], r['code']) for r in csv.DictReader(f)}
        for want in [(4, 'account_number'), (5, 'account_name'), (6, 'id_number'),
                     (7, 'id_number'), (8, 'credit_code'), (9, 'id_number')]:
            self.assertTrue(any(g[:2] == want for g in got), (want, got))
        codes = {g[0]: g[2] for g in got}
        self.assertEqual((codes[5], codes[6], codes[7], codes[8]),
                         ('account_name_mismatch', 'beneficiary_not_found',
                          'duplicate_beneficiary', 'beneficiary_required'))
        # the report never carries an account number
        with open(report, encoding='utf-8-sig') as f:
            self.assertNotIn('6222000000000010', f.read())
        # audited as the command line: one record per account and one for the file
        self.assertEqual(q(self.server.db, "SELECT action, actor FROM audit_log WHERE action "
                                           "LIKE 'bank_account.%' ORDER BY id"),
                         [('bank_account.add', 'system'), ('bank_account.add', 'system'),
                          ('bank_account.import', 'system')])

        # the same good rows again: unchanged, nothing written, exit 0
        good = self.write('good.csv', self.rows()[:2])
        p = self.imp(good)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn(b'2 rows, 0 added, 0 changed, 2 unchanged, 0 failed', p.stdout)
        self.assertEqual(len(self.accounts()), 2)

        # a changed account: the old one replaced, the new one holds the next payment
        newer = self.write('newer.csv', [(self.a['id_number'], '', '中国农业银行', '安海支行',
                                          self.a['name'], pay_seed.card(22))],
                           header=('id_number', 'credit_code', 'bank', 'branch',
                                   'account_name', 'account_number'))
        p = self.imp(newer)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn(b'1 rows, 0 added, 1 changed', p.stdout)
        acc = self.accounts()
        self.assertEqual([x[3] for x in acc], [0, 1, 1])
        r = self.server.request('GET', f'/api/v1/talents/{ta}/bank-account', headers={
            'Authorization': 'Bearer ' + self.fin})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['bank'], '中国农业银行')
        self.assertTrue(r.json['payment_hold'], r.json)
        # … so a run leaves A's entitlement waiting (account_hold) and pays E's
        ids = seed_confirmed(self.server.db, [('imp', ta, '2026-01', 100)])
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            ids.append(con.execute(
                "INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, "
                "item, period_key, instalment, kind, amount_fen, status, explanation_hash, "
                "created_at) SELECT run_id, 'imp', 'enterprise', ?, '', '2026-01', 1, 'cash', "
                "200, 'confirmed', 'h', 't' FROM entitlements WHERE id = ?",
                (self.eid, ids[0])).lastrowid)
            con.commit()
        finally:
            con.close()
        p = harness.run_cli('payments', 'run', '--period', '2026-01', '--db', self.server.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(q(self.server.db, 'SELECT entitlement_id, reason FROM payment_waits'),
                         [(ids[0], 'account_hold')])
        self.assertEqual(q(self.server.db, 'SELECT entitlement_id, bank, account_mask FROM '
                                           'payment_lines'),
                         [(ids[1], '中国银行', '3500 **** **** 5566')])

    def test_2_bad_files(self):
        p = self.imp(self.write('nohead.csv', [('x',)], header=('身份证号', '开户银行')))
        self.assertEqual(p.returncode, 1)
        self.assertIn(b'column_missing', p.stderr)
        p = self.imp(os.path.join(self.tmp, 'missing.csv'))
        self.assertEqual(p.returncode, 1)
        p = harness.run_cli('bank-accounts', 'export', 'x.csv')
        self.assertEqual(p.returncode, 2)
        p = harness.run_cli('bank-accounts', '--help')
        self.assertEqual(p.returncode, 0)
        self.assertIn(b'Luhn', p.stdout)


if __name__ == '__main__':
    unittest.main()
