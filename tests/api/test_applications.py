"""Talent identification through the workflow engine (issue 5, items 1 and 2).

The chain of workflows/identification.yaml: a talent with an employer applies → the employer
confirms → the town reviews → the office reviews (may set another tier, with a reason) →
public announcement (公示, 5 working days; objections) → certified.  Deadlines count Chinese
working days from the calendar table (2026 holidays and 调休 seeded by migration 0009).

Working days worked out by hand for the clock used below (Monday 2026-09-21, 10:00 UTC+8):
  town review, 10 working days from Mon 09-21 (the day itself not counted): 09-22, 09-23,
  09-24 (3), 09-25 is 中秋 (holiday), 09-28, 09-29, 09-30 (6), 10-01..10-07 国庆 (holidays;
  10-03/04 a weekend anyway), 10-08, 10-09 (8), 10-10 Saturday but 调休 workday (9),
  10-12 Monday (10) → deadline 2026-10-12.
  employer review, 5 working days from 09-21: 09-22, 09-23, 09-24, 09-28, 09-29 → 2026-09-29.
"""
import threading

import harness
import test_talents

TOWN = '350582102'        # 陈埭镇
OTHER_TOWN = '350582001'  # 青阳街道

# Monday 2026-09-21 10:00 in China = 02:00 UTC
T0 = 1789956000
DAY = 86400


class Identification(harness.ServerTest):
    login_as = ('office', 'office_reviewer')

    @classmethod
    def setUpClass(cls):
        cls.clock = harness.FakeClock(T0)
        cls.server = harness.Server(env=cls.clock.env)
        s = cls.server
        s.token = s.staff_token('office', 'office_reviewer')
        cls.office = s.token
        cls.office2 = s.staff_token('office2', 'office_reviewer')
        r = s.request('POST', '/api/v1/enterprises', {
            'name': '晋江认定测试有限公司', 'credit_code': test_talents.uscc(501), 'town': TOWN})
        assert r.status == 201, r.body
        cls.eid = r.json['id']
        r = s.request('POST', '/api/v1/enterprises', {
            'name': '另一家测试有限公司', 'credit_code': test_talents.uscc(502), 'town': TOWN})
        cls.eid2 = r.json['id']
        cls.employer = s.staff_token('hr1', 'employer', '--enterprise-id', str(cls.eid))
        cls.employer2 = s.staff_token('hr2', 'employer', '--enterprise-id', str(cls.eid2))
        cls.town = s.staff_token('town', 'town_reviewer', '--town', TOWN)
        cls.town_b = s.staff_token('townb', 'town_reviewer', '--town', TOWN)
        cls.other_town = s.staff_token('town2', 'town_reviewer', '--town', OTHER_TOWN)
        cls.talents = {}
        for n in range(1, 12):   # talent 9 has no degree: the standard proposes nothing
            extra = {'degree': 'master'} if n != 9 else {}
            r = s.request('POST', '/api/v1/talents', test_talents.talent_body(
                600 + n, town=TOWN, enterprise_id=cls.eid, **extra))
            assert r.status == 201, r.body
            tid = r.json['id']
            cls.talents[n] = (tid, s.staff_token(f'talent{n}', 'talent', '--talent-id', str(tid)))

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.clock.close()

    def as_(self, token, method, path, body=None):
        return self.server.request(method, path, body=body,
                                   headers={'Authorization': 'Bearer ' + token})

    def act(self, token, app_id, action, **body):
        body['action'] = action
        return self.as_(token, 'POST', f'/api/v1/applications/{app_id}/actions', body)

    def submit(self, n, tier=5, token=None, **extra):
        tid, tok = self.talents[n]
        body = {'kind': 'identification', 'claimed_tier': tier,
                'form': {'claims': [], 'statement': '申请第五层次'}}
        body.update(extra)
        return self.as_(token or tok, 'POST', '/api/v1/applications', body)

    def test_1_whole_chain_to_certificate(self):
        self.clock.set(T0)
        r = self.submit(1)
        self.assertEqual(r.status, 201, r.body)
        a = r.json
        self.assertEqual(a['state'], 'employer_review')   # the talent has an employer
        self.assertEqual(a['deadline'], '2026-09-29')      # 5 working days (module docstring)
        app = a['id']
        tid, ttok = self.talents[1]

        # the town reviewer cannot take the employer's step: 409 naming who acts
        r = self.act(self.town, app, 'approve', comment='同意')
        p = self.assertProblem(r, 409, 'not_your_step')
        self.assertIn('employer', p['detail'])

        r = self.act(self.employer, app, 'approve', comment='情况属实')
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['state'], 'town_review')
        self.assertEqual(r.json['deadline'], '2026-10-12')  # 10 working days over 中秋 and 国庆

        # a town reviewer of another town does not see it at all
        r = self.as_(self.other_town, 'GET', f'/api/v1/applications/{app}')
        self.assertProblem(r, 404)
        r = self.act(self.other_town, app, 'approve', comment='x')
        self.assertProblem(r, 404)

        r = self.act(self.town, app, 'approve', comment='镇街审核通过')
        self.assertEqual(r.json['state'], 'office_review', r.body)

        # office sets tier 4 instead of the claimed 5: a reason is required
        r = self.act(self.office, app, 'approve', comment='通过', tier=4)
        self.assertProblem(r, 422, field='tier_reason')
        r = self.act(self.office, app, 'approve', comment='通过', tier=4,
                     tier_reason='正高职称，符合第四层次')
        self.assertEqual(r.status, 200, r.body)
        a = r.json
        self.assertEqual((a['state'], a['final_tier']), ('announced', 4))
        # 公示 5 working days from Mon 09-21: 09-22, 09-23, 09-24, 09-28, 09-29
        self.assertEqual(a['deadline'], '2026-09-29')

        # public list: masked name and ID number, no login
        r = self.server.request('GET', '/api/v1/announcements', headers={'Authorization': None})
        self.assertEqual(r.status, 200)
        item = [i for i in r.json['items'] if i['id'] == app][0]
        self.assertEqual(item['name'], '测' + '*' * 6)   # 测试人才601: 7 characters
        self.assertEqual(item['id_number'], test_talents.masked(test_talents.make_id(601)))
        self.assertEqual(item['tier'], 4)

        # closing before the period ends is refused
        r = self.act(self.office, app, 'close', comment='公示结束')
        self.assertProblem(r, 409, 'condition_not_met')

        # an objection, lodged anonymously, blocks the close until it is resolved
        r = self.server.request('POST', f'/api/v1/announcements/{app}/objections',
                                {'reason': '该人才学历材料存疑，请核查'},
                                headers={'Authorization': None})
        self.assertEqual(r.status, 201, r.body)
        oid = r.json['id']
        self.clock.set(T0 + 9 * DAY)   # Wed 09-30: after the deadline 09-29
        r = self.act(self.office, app, 'close', comment='公示结束')
        p = self.assertProblem(r, 409, 'condition_not_met')
        self.assertIn('异议', p['detail'])
        r = self.as_(self.office, 'POST', f'/api/v1/applications/{app}/objections/{oid}/resolve',
                     {'outcome': 'dismissed', 'resolution': '经核查学历真实'})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['items'][0]['status'], 'dismissed')
        r = self.as_(self.office, 'POST', f'/api/v1/applications/{app}/objections/{oid}/resolve',
                     {'outcome': 'upheld', 'resolution': '再次处理'})
        self.assertProblem(r, 409, 'objection_resolved')

        r = self.act(self.office, app, 'close', comment='公示期满无异议')
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['state'], 'certified')
        self.assertIsNotNone(r.json['closed_at'])

        # the talent is now tier 4 from 2026-09-30 for 5 years
        r = self.as_(self.office, 'GET', f'/api/v1/talents/{tid}')
        self.assertEqual(r.json['tier'], {'level': 4, 'from': '2026-09-30', 'to': '2031-09-29'})
        # with a certificate whose talent code the public checker accepts
        r = self.as_(ttok, 'GET', f'/api/v1/applications/{app}')
        cid = r.json['application']['certificate_id']
        self.assertIsNotNone(cid)
        c = self.as_(ttok, 'GET', f'/api/v1/certificates/{cid}').json
        self.assertEqual((c['tier'], c['valid_from'], c['valid_to']), (4, '2026-09-30', '2031-09-29'))
        v = self.server.request('GET', '/verify/' + c['token'], headers={'Authorization': None})
        self.assertEqual((v.status, v.json['status'], v.json['tier']), (200, 'valid', 4))
        self.assertNotIn('benefits', v.json)      # the public sees no more than that
        v = self.as_(self.office, 'GET', '/verify/' + c['token'])
        self.assertEqual(v.json['talent_id'], tid)   # staff at a window: who, and the benefits
        self.assertIsInstance(v.json['benefits'], list)
        v = self.as_(self.other_town, 'GET', '/verify/' + c['token'])
        self.assertNotIn('benefits', v.json)      # staff who may not see the talent: public view

        # the whole history, in order, with who acted
        r = self.as_(ttok, 'GET', f'/api/v1/applications/{app}')
        self.assertEqual(r.status, 200)
        h = r.json['history']
        self.assertEqual([x['action'] for x in h],
                         ['submit', 'approve', 'approve', 'approve', 'close'])
        self.assertEqual([x['actor'] for x in h], ['talent1', 'hr1', 'town', 'office', 'office'])
        self.assertEqual(h[3]['detail'], {'tier': 4})
        self.assertEqual(r.json['actions'], [])   # final: nothing left to do

        # and it left an audit trail
        r = self.as_(self.office, 'GET', f'/api/v1/applications/{app}/objections')
        self.assertEqual(len(r.json['items']), 1)

    def test_2_return_and_resubmit(self):
        self.clock.set(T0)
        r = self.submit(2)
        app = r.json['id']
        self.act(self.employer, app, 'approve', comment='属实')
        # a return needs the fields to fix and a comment
        r = self.act(self.town, app, 'return', comment='请补充')
        self.assertProblem(r, 422, field='fields')
        r = self.act(self.town, app, 'return', fields=['statement', 'nonsense'], comment='请补充')
        self.assertProblem(r, 422, field='fields')
        r = self.act(self.town, app, 'return', fields=['statement', 'files'],
                     comment='请补充工作经历说明和职称证书')
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['state'], 'returned')
        self.assertEqual(r.json['returned_fields'], ['statement', 'files'])
        self.assertEqual(r.json['returned_from'], 'town_review')
        # only the applicant resubmits; the form is checked again
        r = self.act(self.employer2, app, 'resubmit')
        self.assertProblem(r, 404)
        _, ttok = self.talents[2]
        r = self.act(ttok, app, 'resubmit', form={'claims': ['Bad Code!']})
        self.assertProblem(r, 422, field='form.claims')
        r = self.act(ttok, app, 'resubmit', comment='已补充',
                     form={'claims': [], 'statement': '补充了工作经历'})
        self.assertEqual(r.status, 200, r.body)
        a = r.json
        self.assertEqual(a['state'], 'employer_review')   # back through the chain
        self.assertIsNone(a['returned_fields'])
        self.assertEqual(a['form']['statement'], '补充了工作经历')

    def test_3_forbidden_transitions_name_the_allowed_ones(self):
        self.clock.set(T0)
        r = self.submit(3)
        app = r.json['id']
        _, ttok = self.talents[3]
        for action in ('close', 'resubmit'):
            r = self.act(self.employer, app, action, comment='x')
            p = self.assertProblem(r, 409, 'action_not_allowed')
            allowed = sorted(e['code'] for e in p['errors'])
            self.assertEqual(allowed, ['approve', 'reject', 'return', 'withdraw'])
        r = self.act(self.employer, app, 'fly')
        self.assertProblem(r, 422, field='action')
        # a rejection needs a reason
        r = self.act(self.employer, app, 'reject')
        self.assertProblem(r, 422, field='comment')
        # the talent withdraws; then nothing more is allowed
        r = self.act(ttok, app, 'withdraw', comment='暂不申请')
        self.assertEqual(r.json['state'], 'withdrawn', r.body)
        r = self.act(self.employer, app, 'approve', comment='x')
        p = self.assertProblem(r, 409, 'action_not_allowed')
        self.assertEqual(p.get('errors', []), [])
        # a withdrawn application no longer blocks a new one
        r = self.submit(3)
        self.assertEqual(r.status, 201, r.body)
        r2 = self.submit(3)
        self.assertProblem(r2, 409, 'open_application')

    def test_4_concurrent_approvals_one_wins(self):
        self.clock.set(T0)
        r = self.submit(4)
        app = r.json['id']
        self.act(self.employer, app, 'approve', comment='属实')
        self.act(self.town, app, 'approve', comment='通过')
        results = []
        barrier = threading.Barrier(2)

        def go(tok):
            barrier.wait()
            results.append(self.act(tok, app, 'approve', comment='通过').status)

        threads = [threading.Thread(target=go, args=(t,)) for t in (self.office, self.office2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200, 409])
        r = self.as_(self.office, 'GET', f'/api/v1/applications/{app}')
        self.assertEqual([x['action'] for x in r.json['history']].count('approve'), 3)

        # with the version read, a stale one is refused even for the same role
        r = self.as_(self.office, 'GET', f'/api/v1/applications/{app}')
        v = r.json['application']['version']
        r = self.act(self.office, app, 'reject', comment='x', version=v - 1)
        self.assertProblem(r, 409, 'stale_version')

    def test_5_two_town_reviewers_race(self):
        self.clock.set(T0)
        r = self.submit(5)
        app = r.json['id']
        self.act(self.employer, app, 'approve', comment='属实')
        v = self.as_(self.town, 'GET', f'/api/v1/applications/{app}').json['application']['version']
        results = []
        barrier = threading.Barrier(2)

        def go(tok):
            barrier.wait()
            results.append(self.act(tok, app, 'approve', comment='通过', version=v).status)

        threads = [threading.Thread(target=go, args=(t,)) for t in (self.town, self.town_b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200, 409])

    def test_6_deadline_passes_and_reminds(self):
        self.clock.set(T0)
        r = self.submit(6)
        app = r.json['id']
        self.assertEqual(r.json['deadline'], '2026-09-29')
        r = self.as_(self.office, 'GET', '/api/v1/applications?overdue=true')
        self.assertNotIn(app, [i['id'] for i in r.json['items']])
        self.clock.set(T0 + 8 * DAY)   # Tue 09-29: the last day, not yet overdue
        r = self.as_(self.office, 'GET', '/api/v1/applications?overdue=true')
        self.assertNotIn(app, [i['id'] for i in r.json['items']])
        self.clock.set(T0 + 9 * DAY)   # Wed 09-30: overdue
        r = self.as_(self.office, 'GET', '/api/v1/applications?overdue=true')
        item = [i for i in r.json['items'] if i['id'] == app]
        self.assertEqual(len(item), 1)
        self.assertTrue(item[0]['overdue'])
        r = self.as_(self.office, 'GET', '/api/v1/reminders')
        mine = [x for x in r.json['items'] if x['application_id'] == app]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]['state'], mine[0]['role']), ('employer_review', 'employer'))
        # listing again makes no second reminder for the same step
        r = self.as_(self.office, 'GET', '/api/v1/reminders')
        self.assertEqual(len([x for x in r.json['items'] if x['application_id'] == app]), 1)
        # the town reviewer of another town sees none of this town's reminders
        r = self.as_(self.other_town, 'GET', '/api/v1/reminders')
        self.assertEqual([x for x in r.json['items'] if x['application_id'] == app], [])
        self.clock.set(T0)

    def test_7_employer_applies_for_staff(self):
        self.clock.set(T0)
        tid, _ = self.talents[7]
        r = self.as_(self.employer2, 'POST', '/api/v1/applications',
                     {'kind': 'identification', 'talent_id': tid, 'claimed_tier': 6})
        self.assertProblem(r, 404)   # not its staff
        r = self.as_(self.employer, 'POST', '/api/v1/applications',
                     {'kind': 'identification', 'talent_id': tid, 'claimed_tier': 6})
        self.assertEqual(r.status, 201, r.body)
        # the employer applied itself: no separate employer confirmation
        self.assertEqual(r.json['state'], 'town_review')
        self.assertEqual(r.json['submitted_role'], 'employer')
        # another talent cannot see it; the talent themself can
        _, other = self.talents[8]
        self.assertProblem(self.as_(other, 'GET', f'/api/v1/applications/{r.json["id"]}'), 404)
        _, mine = self.talents[7]
        self.assertEqual(self.as_(mine, 'GET', f'/api/v1/applications/{r.json["id"]}').status, 200)

    def test_8_bad_submissions(self):
        _, tok = self.talents[9]
        r = self.as_(tok, 'POST', '/api/v1/applications', {'kind': 'identification'})
        self.assertProblem(r, 422, field='claimed_tier')
        r = self.as_(tok, 'POST', '/api/v1/applications',
                     {'kind': 'identification', 'claimed_tier': 9})
        self.assertProblem(r, 422, field='claimed_tier')
        r = self.as_(tok, 'POST', '/api/v1/applications', {'kind': 'housing', 'claimed_tier': 3})
        self.assertProblem(r, 422, field='kind')
        r = self.as_(tok, 'POST', '/api/v1/applications',
                     {'kind': 'identification', 'claimed_tier': 3, 'form': {'x': 1}})
        self.assertProblem(r, 422)
        r = self.as_(tok, 'POST', '/api/v1/applications',
                     {'kind': 'identification', 'claimed_tier': 3, 'talent_id': 1})
        self.assertProblem(r, 422, field='talent_id')
        # nothing was written
        r = self.as_(tok, 'GET', '/api/v1/applications')
        self.assertEqual(r.json['items'], [])
        # a talent never acts as a reviewer
        r = self.as_(self.office, 'GET', '/api/v1/applications?state=town_review')
        for i in r.json['items']:
            self.assertProblem(self.act(tok, i['id'], 'approve', comment='x'), 404)


    def test_9_the_standard_proposes(self):
        """policies/jinjiang/standard (default-pack.md, the identification standard): a
        master's degree is a tier 6 criterion; an academician (claimed) is tier 1."""
        self.clock.set(T0)
        tid, tok = self.talents[8]
        r = self.as_(tok, 'POST', '/api/v1/identification/proposal', {})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['tier'], 6)
        self.assertIn('master', r.json['matched'])
        self.assertTrue(r.json['text'])
        r = self.as_(tok, 'POST', '/api/v1/identification/proposal', {'claims': ['academician']})
        self.assertEqual((r.json['tier'], r.json['matched']), (1, ['academician']))
        r = self.as_(tok, 'POST', '/api/v1/identification/proposal', {'claims': ['moon_landing']})
        self.assertProblem(r, 422, field='claims')
        # another talent's proposal is not the talent's to see; the employer may see its staff's
        _, other = self.talents[7]
        r = self.as_(other, 'POST', '/api/v1/identification/proposal', {'talent_id': tid})
        self.assertProblem(r, 422, field='talent_id')
        r = self.as_(self.employer2, 'POST', '/api/v1/identification/proposal', {'talent_id': tid})
        self.assertProblem(r, 404)
        r = self.as_(self.employer, 'POST', '/api/v1/identification/proposal', {'talent_id': tid})
        self.assertEqual(r.json['tier'], 6)
        # applying without a claimed tier takes the proposal; the office's approval keeps it
        r = self.as_(tok, 'POST', '/api/v1/applications', {'kind': 'identification'})
        self.assertEqual(r.status, 201, r.body)
        a = r.json
        self.assertEqual((a['proposed_tier'], a['claimed_tier']), (6, None))
        self.assertEqual(a['proposal']['tier'], 6)
        r = self.act(tok, a['id'], 'withdraw', comment='测试')
        self.assertEqual(r.json['state'], 'withdrawn')

    def test_town_filter_in_scope(self):
        """?town= narrows the list to one town, inside the caller's scope (a town reviewer
        asking for another town gets nothing, not that town's applications)."""
        self.clock.set(T0)
        self.assertIn(self.submit(8).status, (201, 409))   # at least one (409: one is open)
        r = self.as_(self.office, 'GET', '/api/v1/applications?per_page=200')
        everything = r.json['total']
        self.assertGreater(everything, 0)
        r = self.as_(self.office, 'GET', f'/api/v1/applications?town={TOWN}&per_page=200')
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['total'], everything)   # every test talent lives in TOWN
        self.assertTrue(all(i['town'] == TOWN for i in r.json['items']))
        r = self.as_(self.office, 'GET', f'/api/v1/applications?town={OTHER_TOWN}')
        self.assertEqual((r.json['total'], r.json['items']), (0, []))
        r = self.as_(self.town, 'GET', f'/api/v1/applications?town={TOWN}&state=town_review')
        mine = r.json['total']
        r = self.as_(self.town, 'GET', '/api/v1/applications?state=town_review')
        self.assertEqual(r.json['total'], mine)
        r = self.as_(self.other_town, 'GET', f'/api/v1/applications?town={TOWN}')
        self.assertEqual((r.json['total'], r.json['items']), (0, []))
        self.assertProblem(self.as_(self.office, 'GET', '/api/v1/applications?town=' + 'x' * 101),
                           422, field='town')


    def test_sort_orders(self):
        """?sort= orders the whole list on the server: -id (the default), id, deadline (the
        earliest deadline first, none last), -deadline and -updated_at; anything else is a 422
        on sort."""
        self.clock.set(T0 + 2 * DAY)        # Wed 09-23: six working days end in October
        a = self.submit(10)
        self.assertEqual(a.status, 201, a.body)
        self.clock.set(T0)                  # Mon 09-21: ends Tue 09-29 (test_6)
        b = self.submit(11)
        self.assertEqual(b.status, 201, b.body)
        a, b = a.json, b.json
        self.assertEqual(b['deadline'], '2026-09-29')
        self.assertGreater(a['deadline'], b['deadline'])
        self.assertLess(a['id'], b['id'])

        def order(sort):
            q = '/api/v1/applications?per_page=200' + (f'&sort={sort}' if sort else '')
            r = self.as_(self.office, 'GET', q)
            self.assertEqual(r.status, 200, r.body)
            return r.json['items'], [i['id'] for i in r.json['items'] if i['id'] in (a['id'], b['id'])]

        self.assertEqual(order(None)[1], [b['id'], a['id']])
        self.assertEqual(order('-id')[1], [b['id'], a['id']])
        items, ids = order('id')
        self.assertEqual(ids, [a['id'], b['id']])
        self.assertEqual([i['id'] for i in items], sorted(i['id'] for i in items))
        items, ids = order('deadline')
        self.assertEqual(ids, [b['id'], a['id']])
        dl = [i['deadline'] for i in items]
        dated = [d for d in dl if d]
        self.assertEqual(dated, sorted(dated))
        self.assertEqual(dl, dated + [None] * (len(dl) - len(dated)))   # none last
        items, ids = order('-deadline')
        self.assertEqual(ids, [a['id'], b['id']])
        dl = [i['deadline'] for i in items]
        dated = [d for d in dl if d]
        self.assertEqual(dated, sorted(dated, reverse=True))
        self.assertEqual(dl, dated + [None] * (len(dl) - len(dated)))
        self.assertEqual(self.act(self.employer, a['id'], 'approve', comment='属实').status, 200)
        self.assertEqual(order('-updated_at')[1], [a['id'], b['id']])
        self.assertProblem(self.as_(self.office, 'GET', '/api/v1/applications?sort=name'),
                           422, field='sort')


class Calendar(harness.ServerTest):
    def test_calendar_edit_changes_deadlines(self):
        r = self.get('/api/v1/calendar?year=2026')
        days = {d['day']: d['kind'] for d in r.json['items']}
        self.assertEqual(days['2026-10-01'], 'holiday')
        self.assertEqual(days['2026-10-10'], 'workday')
        self.assertEqual(days['2026-02-14'], 'workday')
        r = self.server.request('PUT', '/api/v1/calendar/2026-13-01', {'kind': 'holiday'})
        self.assertProblem(r, 422, field='day')
        r = self.server.request('PUT', '/api/v1/calendar/2026-12-31', {'kind': 'vacation'})
        self.assertProblem(r, 422, field='kind')
        r = self.server.request('PUT', '/api/v1/calendar/2026-12-31',
                                {'kind': 'holiday', 'name': '测试'})
        self.assertEqual(r.status, 200, r.body)
        r = self.get('/api/v1/calendar?year=2026')
        self.assertIn('2026-12-31', [d['day'] for d in r.json['items']])
        r = self.server.request('DELETE', '/api/v1/calendar/2026-12-31')
        self.assertEqual(r.status, 204)
        r = self.server.request('DELETE', '/api/v1/calendar/2026-12-31')
        self.assertProblem(r, 404)
        r = self.get('/api/v1/calendar?year=abc')
        self.assertProblem(r, 422, field='year')

    def test_workflow_definition(self):
        r = self.get('/api/v1/workflows/identification')
        self.assertEqual(r.status, 200)
        states = {s['id']: s for s in r.json['states']}
        self.assertEqual(states['announced']['deadline_days'], 5)
        self.assertTrue(states['announced']['public'])
        self.assertTrue(states['certified']['final'])
        self.assertProblem(self.get('/api/v1/workflows/nope'), 404)
