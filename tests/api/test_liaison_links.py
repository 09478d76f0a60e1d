"""GET /api/v1/users/{id}/talents: the admin's view of a liaison's links.

docs/security.md: a liaison (帮办专员) reads the talents an admin linked to them; the admin
"never [reads] the registry's personal data".  So the list gives each link's talent number,
town and a masked name — the first character and one '*' per further character, at most
three (worked out here from the names this test registers) — never the ID number or phone.
"""
import unittest

import harness
from test_talents import talent_body

TOWN = '350582102'   # 陈埭镇


class LiaisonLinks(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()   # the bearer token is an office reviewer's: registers talents
        srv = cls.server
        admin, _, _ = srv.account('links-admin', 'admin')
        cls.admin = srv.bearer(admin)
        cls.liaison_s, _, _ = srv.account('links-liaison', 'liaison', '--town', TOWN)
        cls.liaison_id = cls.liaison_s.body['user']['id']
        cls.finance_s, _, _ = srv.account('links-finance', 'finance')
        cls.talents = []
        for seq, name in ((701, '欧阳明月'), (702, '李雷')):
            r = srv.request('POST', '/api/v1/talents', talent_body(seq, name=name, town=TOWN))
            assert r.status == 201, r.body
            cls.talents.append(r.json)

    def as_admin(self, method, path, body=None):
        return self.server.request(method, path, body,
                                   headers={'Authorization': 'Bearer ' + self.admin})

    def test_links_are_listed_masked_and_follow_link_and_unlink(self):
        path = f'/api/v1/users/{self.liaison_id}/talents'
        r = self.as_admin('GET', path)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual((r.json['items'], r.json['total']), ([], 0))
        a, b = self.talents
        for t in (a, b):
            self.assertEqual(self.as_admin('POST', path, {'talent_id': t['id']}).status, 204)
        r = self.as_admin('GET', path)
        self.assertEqual(r.json['total'], 2)
        got = sorted((x['talent_id'], x['name_masked'], x['town']) for x in r.json['items'])
        # 欧阳明月: 4 characters → 欧 + ***; 李雷: 2 → 李 + *
        self.assertEqual(got, sorted([(a['id'], '欧***', TOWN), (b['id'], '李*', TOWN)]))
        for x in r.json['items']:
            self.assertEqual(set(x), {'talent_id', 'name_masked', 'town'}, 'nothing more')
        self.assertNotIn('明月'.encode(), r.body)
        # paging
        r = self.as_admin('GET', path + '?per_page=1&page=2')
        self.assertEqual((len(r.json['items']), r.json['total'], r.json['page']), (1, 2, 2))
        # the liaison reads the linked talent; after the unlink it is hidden (404)
        self.assertEqual(self.liaison_s.request('GET', f'/api/v1/talents/{a["id"]}').status, 200)
        self.assertEqual(self.as_admin('DELETE', f'{path}/{a["id"]}').status, 204)
        r = self.as_admin('GET', path)
        self.assertEqual([x['talent_id'] for x in r.json['items']], [b['id']])
        self.assertEqual(self.liaison_s.request('GET', f'/api/v1/talents/{a["id"]}').status, 404)

    def test_only_liaison_accounts_and_only_admins(self):
        fin = self.finance_s.body['user']['id']
        self.assertProblem(self.as_admin('GET', f'/api/v1/users/{fin}/talents'), 422,
                           'validation_failed', 'id')
        self.assertProblem(self.as_admin('GET', '/api/v1/users/999999/talents'), 404)
        self.assertProblem(self.as_admin('GET', f'/api/v1/users/{self.liaison_id}/talents'
                                         '?per_page=500'), 422, field='per_page')
        # an office reviewer (the class's bearer token) may not call it
        self.assertProblem(self.get(f'/api/v1/users/{self.liaison_id}/talents'), 403)


if __name__ == '__main__':
    unittest.main()
