// Money pages: payment runs (build, review, four-eyes approval, files, bank results),
// confirmation of pending entitlements, reports.  Roles as src/http/routes.c: runs are read
// by the office, finance and auditors (the actions on a run follow each POST's role).
const READERS = ['office_reviewer', 'finance', 'auditor']
export default [
  { path: 'office/payments', component: () => import('../pages/payments/Runs.vue'), meta: { title: 'pay.runs', roles: READERS, menu: true, icon: 'Money' } },
  { path: 'office/payments/confirm', component: () => import('../pages/payments/Confirm.vue'), meta: { title: 'pay.confirm', roles: ['office_reviewer'], menu: true, icon: 'Checked' } },
  { path: 'office/payments/reports', component: () => import('../pages/payments/Reports.vue'), meta: { title: 'pay.reports', roles: READERS, menu: true, icon: 'Histogram' } },
  { path: 'office/payments/:id(\\d+)', component: () => import('../pages/payments/RunDetail.vue'), meta: { title: 'pay.run', roles: READERS } },
]
