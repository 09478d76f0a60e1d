// Staff pages: review queues, application detail, announcements, registry, audit, users.
export const REVIEWERS = ['town_reviewer', 'office_reviewer', 'liaison']
export default [
  { path: 'account', component: () => import('../pages/Account.vue'), meta: { title: 'account.title', roles: [], menu: false } },
]
