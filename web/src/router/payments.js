// Money pages: payment runs (build, review, four-eyes approval, files, bank results),
// confirmation of pending entitlements, reports, and the corrections: recalculation of a
// year (arrears and clawbacks), the adjustments with the office's decisions, the ledger
// check, reminders of overdue steps.  Roles as src/http/routes.c: runs are read by the
// office, finance and auditors (the actions on a run follow each POST's role).
const READERS = ['office_reviewer', 'finance', 'auditor']
export default [
  { path: 'office/payments', component: () => import('../pages/payments/Runs.vue'), meta: { title: 'pay.runs', roles: READERS, menu: true, icon: 'Money' } },
  { path: 'office/payments/confirm', component: () => import('../pages/payments/Confirm.vue'), meta: { title: 'pay.confirm', roles: ['office_reviewer'], menu: true, icon: 'Checked' } },
  { path: 'office/payments/reports', component: () => import('../pages/payments/Reports.vue'), meta: { title: 'pay.reports', roles: READERS, menu: true, icon: 'Histogram' } },
  { path: 'office/payments/:id(\\d+)', component: () => import('../pages/payments/RunDetail.vue'), meta: { title: 'pay.run', roles: READERS } },
  // POST /api/v1/recalculations: office; GET /api/v1/adjustments: payment readers
  { path: 'office/payments/recalculate', component: () => import('../pages/payments/Recalc.vue'), meta: { title: 'pay.recalc', roles: ['office_reviewer'], menu: true, icon: 'RefreshRight' } },
  { path: 'office/payments/adjustments', component: () => import('../pages/payments/Adjustments.vue'), meta: { title: 'pay.adjustments', roles: READERS, menu: true, icon: 'Coin' } },
  // GET /api/v1/ledger/check: auditor and finance
  { path: 'office/payments/ledger', component: () => import('../pages/payments/Ledger.vue'), meta: { title: 'pay.ledger', roles: ['auditor', 'finance'], menu: true, icon: 'Finished' } },
  // GET /api/v1/reminders: office and town reviewers
  { path: 'office/reminders', component: () => import('../pages/payments/Reminders.vue'), meta: { title: 'pay.reminders', roles: ['office_reviewer', 'town_reviewer'], menu: true, icon: 'AlarmClock' } },
]
