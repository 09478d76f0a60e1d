// Staff pages: reviewers, finance, auditors, administrators, experts.
export const REVIEWERS = ['town_reviewer', 'office_reviewer', 'liaison']
export const OFFICE = ['office_reviewer']
export default [
  { path: 'office/dashboard', component: () => import('../pages/staff/Dashboard.vue'), meta: { title: 'staff.dashboard', roles: ['office_reviewer', 'finance', 'auditor'], menu: true, icon: 'DataAnalysis' } },
  { path: 'account', component: () => import('../pages/Account.vue'), meta: { title: 'account.title', roles: [], menu: false } },
]
