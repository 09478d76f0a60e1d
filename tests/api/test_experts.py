"""GET /api/v1/experts: the expert accounts the talent office may put on a team panel
(docs/team-review.md).  Active accounts of role `expert` only; a disabled one is left out
(it cannot join a panel: 422 not_an_expert); other roles are 403 (test_authz_matrix)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402


class Experts(harness.ServerTest):

    def test_active_experts_only(self):
        srv = self.server
        srv.add_user('panel-a', 'expert', '--display-name', '专家甲')
        srv.add_user('panel-b', 'expert', '--display-name', '专家乙')
        srv.add_user('panel-off', 'expert')
        srv.add_user('panel-auditor', 'auditor')
        r = harness.run_cli('user', 'disable', '--db', srv.db, '--username', 'panel-off')
        self.assertEqual(r.returncode, 0, r.stderr)

        r = srv.request('GET', '/api/v1/experts?q=panel-&per_page=100')
        self.assertEqual(r.status, 200, r.body[:300])
        got = {x['username']: x for x in r.json['items']}
        self.assertEqual(set(got), {'panel-a', 'panel-b'})
        self.assertEqual(r.json['total'], 2)
        self.assertEqual(got['panel-a']['display_name'], '专家甲')
        self.assertEqual(set(got['panel-a']), {'id', 'username', 'display_name'})

        # the id listed is what the panel takes
        rnd = srv.request('POST', '/api/v1/team-rounds', {'year': 2026, 'title': '专家列表'})
        self.assertEqual(rnd.status, 201, rnd.body[:300])
        r = srv.request('POST', f'/api/v1/team-rounds/{rnd.json["id"]}/panel',
                        {'expert_id': got['panel-b']['id']})
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertEqual([p['username'] for p in r.json['panel']], ['panel-b'])


if __name__ == '__main__':
    unittest.main()
