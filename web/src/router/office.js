// Office work beyond the review queues: registrations, team review (experts score here),
// self-identification audit and qualification (quotas), certificates, the working-day calendar; API tokens for everyone
// and the security settings for admins.
const O = ['office_reviewer']
const ANY = ['talent', 'employer', 'liaison', 'town_reviewer', 'office_reviewer', 'finance', 'auditor', 'admin', 'expert']
const page = (f) => () => import(`../pages/office/${f}.vue`)
export default [
  { path: 'office/registrations', component: page('Registrations'), meta: { title: 'office.reg.title', roles: ['office_reviewer', 'town_reviewer'], menu: true, icon: 'Stamp' } },
  { path: 'office/team-rounds', component: page('TeamRounds'), meta: { title: 'office.round.title', roles: O, menu: true, icon: 'Trophy' } },
  { path: 'office/team-rounds/:id(\\d+)', component: page('TeamRound'), meta: { title: 'office.round.detail', roles: O } },
  { path: 'office/self-identifications', component: page('SelfIds'), meta: { title: 'office.selfid.title', roles: O, menu: true, icon: 'Checked' } },
  { path: 'office/self-identification/qualifications', component: page('SelfIdQualify'), meta: { title: 'office.sq.title', roles: O, menu: true, icon: 'Finished' } },
  { path: 'office/certificates', component: page('Certificates'), meta: { title: 'office.cert.title', roles: O, menu: true, icon: 'Medal' } },
  { path: 'office/certificates/:id(\\d+)', component: page('Certificate'), meta: { title: 'office.cert.detail', roles: O } },
  { path: 'office/industries', component: page('Industries'), meta: { title: 'office.ind.title', roles: ['office_reviewer', 'admin'], menu: true, icon: 'Collection' } },
  { path: 'office/calendar', component: page('Calendar'), meta: { title: 'office.cal.title', roles: ['office_reviewer', 'admin'], menu: true, icon: 'Calendar' } },
  { path: 'expert/rounds', component: page('ExpertRounds'), meta: { title: 'office.expert.title', roles: ['expert'], menu: true, icon: 'EditPen' } },
  { path: 'expert/teams/:id(\\d+)', component: page('ExpertTeam'), meta: { title: 'office.expert.team', roles: ['expert'] } },
  { path: 'teams', component: page('Teams'), meta: { title: 'office.teams.title', roles: ['talent', 'employer'], menu: true, icon: 'Trophy' } },
  { path: 'teams/:id(\\d+)', component: page('TeamView'), meta: { title: 'office.teams.detail', roles: ['talent', 'employer'] } },
  { path: 'tokens', component: page('Tokens'), meta: { title: 'office.tok.title', roles: ANY, menu: true, icon: 'Lock' } },
  { path: 'admin/security', component: page('Security'), meta: { title: 'office.sec.title', roles: ['admin'], menu: true, icon: 'Setting' } },
]
