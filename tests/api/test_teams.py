"""Team review (团队评审, issue 5 item 5; docs/team-review.md) through the real server.

The expected figures are worked out by hand from the rules in docs/team-review.md, not
copied from the program's answers:
  - an expert's total = 100 * sum(weight * score / max) / sum(weight) over a complete score
    set; with the default criteria (innovation 30/30, industry_fit 25/25, team_strength
    25/25, feasibility 20/20 — weight = max) that is the plain sum of the four scores;
  - a team's mean of its experts' totals, their population standard deviation sd, and a
    total flagged when |total - mean| > 2 sd;
  - order: mean descending, then team id ascending; a conflicted expert's scores and a
    withdrawn team are left out.
"""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_enterprises  # noqa: E402
import test_talents  # noqa: E402

# Scores per expert for team 1, criteria (innovation, industry_fit, team_strength, feasibility):
#   e1 24+20+20+16 = 80   e2 25+21+20+16 = 82   e3 23+20+19+16 = 78
#   e4 24+21+20+16 = 81   e5 24+20+19+16 = 79   e6  5+ 5+ 5+ 5 = 20
# sum 420, mean 70; deviations +10 +12 +8 +11 +9 -50; squares 100 144 64 121 81 2500 = 3010;
# population variance 3010 / 6 = 501.667, sd = 22.398, 2 sd = 44.80.
# |20 - 70| = 50 > 44.80: e6 flagged (z = -50 / 22.398 = -2.23); the largest other deviation
# is 12 < 44.80: nobody else is.  (The sample sd, 24.54 with 2 sd = 49.07, would flag e6 too.)
T1_SCORES = [(24, 20, 20, 16), (25, 21, 20, 16), (23, 20, 19, 16),
             (24, 21, 20, 16), (24, 20, 19, 16), (5, 5, 5, 5)]
# Team 2: e1 gives 10 (2+3+3+2) and then declares a conflict: left out.  e2..e6 give 85
# (26+21+21+17) each: 5 experts, mean 85, sd 0, nothing flagged.  Counted, e1 would make it
# 6 experts with mean (10 + 5 * 85) / 6 = 72.5 — so the exclusion shows in the mean and the
# count.  Order: team 2 (85) before team 1 (70).
CRIT = ('innovation', 'industry_fit', 'team_strength', 'feasibility')


def scores(t):
    return {'scores': dict(zip(CRIT, t))}


class TeamReview(harness.ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv = cls.server
        towns = srv.request('GET', '/api/v1/reference/towns').json['items']
        t1, t2 = towns[0]['code'], towns[1]['code']
        cls.ent_a = cls.office_post('/api/v1/enterprises',
                                    test_enterprises.enterprise_body(8101, town=t1))
        cls.ent_b = cls.office_post('/api/v1/enterprises',
                                    test_enterprises.enterprise_body(8102, town=t2))
        cls.leader1 = cls.new_talent(1, '团队带头人甲', t1, cls.ent_a['id'])
        cls.leader2 = cls.new_talent(2, '团队带头人乙', t1, cls.ent_a['id'])
        cls.staff_b = cls.new_talent(3, '乙企业员工', t2, cls.ent_b['id'])
        cls.member = cls.new_talent(4, '甲企业成员', t1, cls.ent_a['id'])
        cls.tok = {}
        cls.uid = {}
        cls.acct('talent1', 'talent', '--talent-id', str(cls.leader1['id']))
        cls.acct('talent2', 'talent', '--talent-id', str(cls.leader2['id']))
        cls.acct('employer', 'employer', '--enterprise-id', str(cls.ent_a['id']))
        cls.acct('auditor', 'auditor')
        for i in range(1, 8):
            cls.acct(f'e{i}', 'expert')

    @classmethod
    def office_post(cls, path, body):
        r = cls.server.request('POST', path, body)
        if r.status != 201:
            raise AssertionError(f'setup {path}: {r.status} {r.body[:300]!r}')
        return r.json

    @classmethod
    def new_talent(cls, n, name, town, ent):
        idn = test_talents.make_id(700 + n, birth='19850610')
        return cls.office_post('/api/v1/talents', {'name': name, 'id_number': idn, 'town': town,
                                                   'enterprise_id': ent})

    @classmethod
    def acct(cls, who, role, *opts):
        s, _, _ = cls.server.account('team-' + who, role, *opts)
        cls.tok[who] = cls.server.bearer(s)
        cls.uid[who] = s.body['user']['id']

    def as_(self, who, method, path, body=None):
        h = None if who == 'office' else {'Authorization': 'Bearer ' + self.tok[who]}
        return self.server.request(method, path, body=body, headers=h)

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r.body[:600])
        return r.json

    def new_round(self, title, criteria=None):
        body = {'year': 2026, 'title': title}
        if criteria is not None:
            body['criteria'] = criteria
        return self.ok(self.as_('office', 'POST', '/api/v1/team-rounds', body), 201)

    def panel(self, rid, *experts):
        for e in experts:
            self.ok(self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/panel',
                             {'expert_id': self.uid[e]}), 201)

    # ------------------------------------------------------------------ the whole path

    def test_whole_path(self):
        rnd = self.new_round('2026 年度团队评审')
        rid = rnd['id']
        self.assertEqual(rnd['status'], 'open')
        self.assertEqual([c['id'] for c in rnd['criteria']], list(CRIT))
        self.assertEqual(sum(c['weight'] for c in rnd['criteria']), 100)
        self.assertEqual(rnd['panel'], [])

        # the panel: six experts; e7 stays off it
        self.panel(rid, 'e1', 'e2', 'e3', 'e4', 'e5', 'e6')
        r = self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/panel',
                     {'expert_id': self.uid['e1']})
        self.assertProblem(r, 409, 'already_on_panel')
        r = self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/panel',
                     {'expert_id': self.uid['talent1']})
        self.assertProblem(r, 422, 'validation_failed', 'expert_id')

        # applications: a talent leads its own team; the employer names one of its staff
        r = self.as_('talent1', 'POST', '/api/v1/teams',
                     {'round_id': rid, 'name': '新材料团队', 'project_title': '高性能纤维',
                      'project_summary': '面向鞋服产业的新型纤维',
                      'members': [{'name': '王五', 'role': '研发'},
                                  {'name': '赵六', 'role': '工艺'}]})
        team1 = self.ok(r, 201)
        self.assertEqual(team1['leader'], {'talent_id': self.leader1['id'], 'name': '团队带头人甲'})
        self.assertEqual(team1['status'], 'submitted')
        self.assertEqual(len(team1['members']), 2)
        r = self.as_('talent1', 'POST', '/api/v1/teams',
                     {'round_id': rid, 'name': '冒名团队', 'project_title': 'x',
                      'leader_talent_id': self.leader2['id']})
        self.assertProblem(r, 422, 'validation_failed', 'leader_talent_id')
        r = self.as_('employer', 'POST', '/api/v1/teams',
                     {'round_id': rid, 'name': '智能制造团队', 'project_title': '数字化车间',
                      'leader_talent_id': self.leader2['id'],
                      'members': [{'talent_id': self.member['id'], 'role': '工程师'},
                                  {'name': '外聘顾问', 'role': '顾问'}]})
        team2 = self.ok(r, 201)
        self.assertEqual(team2['enterprise_id'], self.ent_a['id'])
        self.assertEqual(team2['members'][0]['name'], '甲企业成员')   # the registry's name
        for leader, member in ((self.staff_b['id'], None), (self.leader2['id'],
                                                             self.staff_b['id'])):
            body = {'round_id': rid, 'name': '他厂团队', 'project_title': 'x',
                    'leader_talent_id': leader}
            if member:
                body['members'] = [{'talent_id': member, 'role': '成员'}]
            r = self.as_('employer', 'POST', '/api/v1/teams', body)
            self.assertProblem(r, 422, 'validation_failed')   # not its staff

        # a team withdrawn before scoring
        team3 = self.ok(self.as_('talent2', 'POST', '/api/v1/teams',
                                 {'round_id': rid, 'name': '撤回团队', 'project_title': 'y'}), 201)
        r = self.as_('talent1', 'POST', f'/api/v1/teams/{team3["id"]}/withdraw', {})
        self.assertProblem(r, 404, 'not_found')   # not theirs
        self.assertEqual(self.ok(self.as_('talent2', 'POST',
                                          f'/api/v1/teams/{team3["id"]}/withdraw', {}))['status'],
                         'withdrawn')
        r = self.as_('talent2', 'POST', f'/api/v1/teams/{team3["id"]}/withdraw', {})
        self.assertProblem(r, 409, 'not_withdrawable')

        # who sees what
        r = self.as_('talent1', 'GET', f'/api/v1/teams/{team2["id"]}')
        self.assertProblem(r, 404, 'not_found')
        self.assertEqual([t['id'] for t in self.ok(self.as_('talent1', 'GET', f'/api/v1/teams?round_id={rid}'))
                          ['items']], [team1['id']])
        self.assertEqual({t['id'] for t in self.ok(self.as_('talent2', 'GET', f'/api/v1/teams?round_id={rid}'))
                          ['items']}, {team2['id'], team3['id']})   # leads both
        self.assertEqual([t['id'] for t in self.ok(self.as_('employer', 'GET', f'/api/v1/teams?round_id={rid}'))
                          ['items']], [team2['id']])
        for path in (f'/api/v1/teams/{team1["id"]}', f'/api/v1/team-rounds/{rid}'):
            self.assertProblem(self.as_('e7', 'GET', path), 404, 'not_found')
        self.assertEqual(self.ok(self.as_('e7', 'GET', '/api/v1/teams'))['items'], [])
        self.assertEqual(self.ok(self.as_('e7', 'GET', '/api/v1/team-rounds'))['items'], [])
        seen = self.ok(self.as_('e1', 'GET', f'/api/v1/teams/{team2["id"]}'))
        self.assertEqual(seen['leader'], {'name': '团队带头人乙'})   # no registry id
        self.assertNotIn('talent_id', seen['members'][0])
        self.assertEqual((seen['conflict'], seen['my_scores']), (False, {}))
        self.assertNotIn('panel', self.ok(self.as_('e1', 'GET', f'/api/v1/team-rounds/{rid}')))
        self.assertProblem(self.as_('e1', 'GET', f'/api/v1/talents/{self.leader2["id"]}'),
                           403, 'forbidden')   # nothing of the registry

        # no scores while applications are open
        r = self.as_('e1', 'POST', f'/api/v1/teams/{team1["id"]}/scores', scores(T1_SCORES[0]))
        self.assertProblem(r, 409, 'round_not_scoring')
        r = self.as_('office', 'POST', f'/api/v1/teams/{team1["id"]}/decision',
                     {'tier': 'A', 'reason': '太早'})
        self.assertProblem(r, 409, 'round_not_closed')

        rnd = self.ok(self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/scoring', {}))
        self.assertEqual(rnd['status'], 'scoring')
        r = self.as_('talent1', 'POST', '/api/v1/teams',
                     {'round_id': rid, 'name': '迟到团队', 'project_title': 'z'})
        self.assertProblem(r, 409, 'round_not_open')
        r = self.as_('talent1', 'POST', f'/api/v1/teams/{team1["id"]}/withdraw', {})
        self.assertProblem(r, 409, 'not_withdrawable')
        r = self.as_('e1', 'POST', f'/api/v1/teams/{team3["id"]}/scores', scores((1, 1, 1, 1)))
        self.assertProblem(r, 409, 'team_not_scorable')

        # bad scores change nothing
        for bad, field in (({'innovation': 31}, 'scores.innovation'),
                           ({'feasibility': -1}, 'scores.feasibility'),
                           ({'luck': 3}, 'scores.luck'),
                           ({'innovation': 2.5}, 'scores.innovation')):
            r = self.as_('e2', 'POST', f'/api/v1/teams/{team1["id"]}/scores', {'scores': bad})
            self.assertProblem(r, 422, 'validation_failed', field)
        self.assertEqual(self.ok(self.as_('e2', 'GET', f'/api/v1/teams/{team1["id"]}'))
                         ['my_scores'], {})

        # team 1: e6 first gives 10 each, then replaces them with 5 each
        r = self.as_('e6', 'POST', f'/api/v1/teams/{team1["id"]}/scores', scores((10,) * 4))
        self.assertEqual(self.ok(r)['my_scores']['innovation'], 10)
        for e, s in zip(('e1', 'e2', 'e3', 'e4', 'e5', 'e6'), T1_SCORES):
            self.ok(self.as_(e, 'POST', f'/api/v1/teams/{team1["id"]}/scores', scores(s)))
        self.assertEqual(self.ok(self.as_('e6', 'GET', f'/api/v1/teams/{team1["id"]}'))
                         ['my_scores'], dict(zip(CRIT, (5, 5, 5, 5))))

        # team 2: e1 scores, then declares a conflict: refused from then on, and left out
        self.ok(self.as_('e1', 'POST', f'/api/v1/teams/{team2["id"]}/scores', scores((2, 3, 3, 2))))
        r = self.as_('e1', 'POST', f'/api/v1/teams/{team2["id"]}/conflict',
                     {'reason': '带头人是我以前的学生'})
        self.assertEqual(self.ok(r, 201)['conflict'], True)
        r = self.as_('e1', 'POST', f'/api/v1/teams/{team2["id"]}/scores', scores((30, 25, 25, 20)))
        self.assertProblem(r, 409, 'conflict_of_interest')
        r = self.as_('e1', 'POST', f'/api/v1/teams/{team2["id"]}/conflict', {'reason': '再次'})
        self.assertProblem(r, 409, 'conflict_already_declared')
        self.assertTrue(self.ok(self.as_('e1', 'GET', f'/api/v1/teams/{team2["id"]}'))['conflict'])
        for e in ('e2', 'e3', 'e4', 'e5', 'e6'):
            self.ok(self.as_(e, 'POST', f'/api/v1/teams/{team2["id"]}/scores',
                             scores((26, 21, 21, 17))))
        r = self.as_('e7', 'POST', f'/api/v1/teams/{team1["id"]}/scores', scores((1, 1, 1, 1)))
        self.assertProblem(r, 404, 'not_found')   # not on the panel

        # the ranking
        self.assertProblem(self.as_('e2', 'GET', f'/api/v1/team-rounds/{rid}/ranking'), 403)
        rank = self.ok(self.as_('office', 'GET', f'/api/v1/team-rounds/{rid}/ranking'))
        items = rank['items']
        self.assertEqual([x['team_id'] for x in items], [team2['id'], team1['id']])  # no team 3
        first, second = items
        self.assertEqual((first['rank'], first['experts'], first['mean'], first['sd']),
                         (1, 5, 85, 0))
        self.assertNotIn(self.uid['e1'], [t['expert_id'] for t in first['totals']])
        self.assertFalse(any(t['flagged'] for t in first['totals']))
        self.assertEqual((second['rank'], second['experts'], second['mean']), (2, 6, 70))
        self.assertAlmostEqual(second['sd'], round(math.sqrt(3010 / 6), 2), places=2)  # 22.40
        flagged = {t['expert_id']: t for t in second['totals'] if t['flagged']}
        self.assertEqual(list(flagged), [self.uid['e6']])
        self.assertEqual(flagged[self.uid['e6']]['total'], 20)
        self.assertAlmostEqual(flagged[self.uid['e6']]['z'], -2.23, places=2)
        totals = {t['expert_id']: t['total'] for t in second['totals']}
        self.assertEqual(totals, {self.uid[f'e{i + 1}']: sum(s) for i, s in enumerate(T1_SCORES)})
        self.assertEqual([t['code'] for t in rank['tiers']], ['A', 'B', 'C'])

        # close, decide
        rnd = self.ok(self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/close', {}))
        self.assertEqual(rnd['status'], 'decided')
        r = self.as_('e2', 'POST', f'/api/v1/teams/{team1["id"]}/scores', scores((1, 1, 1, 1)))
        self.assertProblem(r, 409, 'round_not_scoring')
        r = self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/panel',
                     {'expert_id': self.uid['e7']})
        self.assertProblem(r, 409, 'round_decided')
        self.assertEqual(self.ok(self.as_('office', 'GET', f'/api/v1/teams/{team1["id"]}'))
                         ['status'], 'scored')
        r = self.as_('office', 'POST', f'/api/v1/teams/{team2["id"]}/decision', {'tier': 'A'})
        self.assertProblem(r, 422, 'validation_failed', 'reason')
        r = self.as_('office', 'POST', f'/api/v1/teams/{team2["id"]}/decision',
                     {'tier': 'D', 'reason': 'x'})
        self.assertProblem(r, 422, 'validation_failed', 'tier')
        r = self.as_('office', 'POST', f'/api/v1/teams/{team3["id"]}/decision',
                     {'tier': 'C', 'reason': '已撤回'})
        self.assertProblem(r, 409, 'team_withdrawn')
        d = self.ok(self.as_('office', 'POST', f'/api/v1/teams/{team2["id"]}/decision',
                             {'tier': 'A', 'reason': '综合排名第一'}))
        self.assertEqual((d['status'], d['support_tier'], d['reason']),
                         ('decided', 'A', '综合排名第一'))
        d = self.ok(self.as_('office', 'POST', f'/api/v1/teams/{team1["id"]}/decision',
                             {'tier': 'none', 'reason': '存在异常评分，另行复核'}))
        self.assertEqual(d['support_tier'], 'none')
        seen = self.ok(self.as_('employer', 'GET', f'/api/v1/teams/{team2["id"]}'))
        self.assertEqual(seen['support_tier'], 'A')

        # every change left its audit record (the re-submission as team.rescore)
        def count(action, otype, oid):
            r = self.as_('auditor', 'GET', f'/api/v1/audit?action={action}&object_type={otype}'
                                           f'&object_id={oid}&limit=500')
            return len(self.ok(r)['items'])
        self.assertEqual(count('team.rescore', 'team', team1['id']), 4)   # e6's four criteria
        self.assertEqual(count('team.score', 'team', team1['id']), 4 * 6)
        self.assertEqual(count('team.conflict', 'team', team2['id']), 1)
        self.assertEqual(count('team.decide', 'team', team2['id']), 1)
        self.assertEqual(count('team_panel.add', 'team_round', rid), 6)
        self.assertEqual(count('team.withdraw', 'team', team3['id']), 1)
        self.assertGreaterEqual(count('access.denied', 'team', team2['id']), 1)  # 404 audited

    # ------------------------------------------------------------------ weights, ties

    def test_weighted_total_and_tie_break(self):
        """Custom criteria: quality weight 3 max 10, cost weight 1 max 5.  Scores 8 and 5:
        100 * (3 * 8/10 + 1 * 5/5) / (3 + 1) = 100 * 3.4 / 4 = 85.  Two teams with the same
        mean are ordered by id (the earlier application first)."""
        crit = [{'id': 'quality', 'title_zh': '质量', 'title_en': 'Quality', 'weight': 3,
                 'max': 10},
                {'id': 'cost', 'title_zh': '成本', 'title_en': 'Cost', 'weight': 1, 'max': 5}]
        rid = self.new_round('权重测试', crit)['id']
        self.panel(rid, 'e1')
        a = self.ok(self.as_('talent1', 'POST', '/api/v1/teams',
                             {'round_id': rid, 'name': '甲队', 'project_title': 'a'}), 201)
        b = self.ok(self.as_('employer', 'POST', '/api/v1/teams',
                             {'round_id': rid, 'name': '乙队', 'project_title': 'b',
                              'leader_talent_id': self.leader2['id']}), 201)
        c = self.ok(self.as_('talent2', 'POST', '/api/v1/teams',
                             {'round_id': rid, 'name': '丙队', 'project_title': 'c'}), 201)
        self.ok(self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/scoring', {}))
        for t in (b, a):   # scored in the other order: the order must not depend on it
            self.ok(self.as_('e1', 'POST', f'/api/v1/teams/{t["id"]}/scores',
                             {'scores': {'quality': 8, 'cost': 5}}))
        self.ok(self.as_('e1', 'POST', f'/api/v1/teams/{c["id"]}/scores',
                         {'scores': {'quality': 10}}))   # incomplete: not counted
        rank = self.ok(self.as_('office', 'GET', f'/api/v1/team-rounds/{rid}/ranking'))['items']
        self.assertEqual([(x['team_id'], x.get('rank'), x.get('mean')) for x in rank],
                         [(a['id'], 1, 85), (b['id'], 2, 85), (c['id'], None, None)])
        self.assertEqual((rank[2]['experts'], rank[2]['incomplete']), (0, 1))

    def test_removed_expert_leaves_the_ranking(self):
        """An expert taken off the panel during scoring: its scores stay stored but no longer
        count.  e4 gives 90 (27+23+22+18), e5 gives 50 (15+12+13+10): mean 70 with both;
        after e5 is removed, 1 expert and mean 90; and e5 no longer sees the team."""
        rid = self.new_round('专家调整')['id']
        self.panel(rid, 'e4', 'e5')
        t = self.ok(self.as_('talent1', 'POST', '/api/v1/teams',
                             {'round_id': rid, 'name': '丁队', 'project_title': 'd'}), 201)
        self.ok(self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/scoring', {}))
        self.ok(self.as_('e4', 'POST', f'/api/v1/teams/{t["id"]}/scores', scores((27, 23, 22, 18))))
        self.ok(self.as_('e5', 'POST', f'/api/v1/teams/{t["id"]}/scores', scores((15, 12, 13, 10))))
        row = self.ok(self.as_('office', 'GET', f'/api/v1/team-rounds/{rid}/ranking'))['items'][0]
        self.assertEqual((row['experts'], row['mean'], row['sd']), (2, 70, 20))
        r = self.as_('office', 'DELETE', f'/api/v1/team-rounds/{rid}/panel/{self.uid["e5"]}')
        self.assertEqual(r.status, 204, r.body[:300])
        row = self.ok(self.as_('office', 'GET', f'/api/v1/team-rounds/{rid}/ranking'))['items'][0]
        self.assertEqual((row['experts'], row['mean'], row['sd']), (1, 90, 0))
        self.assertProblem(self.as_('e5', 'GET', f'/api/v1/teams/{t["id"]}'), 404, 'not_found')

    def test_bad_rounds_and_panel_rules(self):
        r = self.as_('office', 'POST', '/api/v1/team-rounds',
                     {'year': 2026, 'title': 'x',
                      'criteria': [{'id': 'A b', 'title_zh': 'x', 'title_en': 'x', 'weight': 0,
                                    'max': 10}]})
        self.assertProblem(r, 422, 'validation_failed')
        fields = {e['field'] for e in r.json['errors']}
        self.assertEqual(fields, {'criteria[0].id', 'criteria[0].weight'})
        r = self.as_('office', 'POST', '/api/v1/team-rounds', {'year': 2026, 'title': 'x',
                                                               'criteria': []})
        self.assertProblem(r, 422, 'validation_failed', 'criteria')
        rid = self.new_round('空专家组')['id']
        r = self.as_('office', 'POST', f'/api/v1/team-rounds/{rid}/scoring', {})
        self.assertProblem(r, 409, 'panel_empty')
        self.panel(rid, 'e3')
        self.assertEqual(self.as_('office', 'DELETE',
                                  f'/api/v1/team-rounds/{rid}/panel/{self.uid["e3"]}').status, 204)
        self.assertEqual(self.as_('office', 'DELETE',
                                  f'/api/v1/team-rounds/{rid}/panel/{self.uid["e3"]}').status, 404)
        self.assertProblem(self.as_('talent1', 'POST', '/api/v1/team-rounds',
                                    {'year': 2026, 'title': 'x'}), 403, 'forbidden')
        self.assertProblem(self.as_('e3', 'POST', '/api/v1/teams',
                                    {'round_id': rid, 'name': 'x', 'project_title': 'x'}),
                           403, 'forbidden')


if __name__ == '__main__':
    unittest.main()
