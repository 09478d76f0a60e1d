// The employer's HR pages.
const E = ['employer']
export default [
  { path: 'org', component: () => import('../pages/employer/OrgHome.vue'), meta: { title: 'org.home', roles: E, menu: true, icon: 'OfficeBuilding' } },
  { path: 'org/applications', component: () => import('../pages/employer/OrgApplications.vue'), meta: { title: 'org.applications', roles: E, menu: true, icon: 'Checked' } },
  { path: 'org/applications/:id(\\d+)', component: () => import('../pages/staff/ApplicationDetail.vue'), meta: { title: 'staff.application', roles: E } },
  { path: 'org/notices', component: () => import('../pages/Notices.vue'), meta: { title: 'inbox.title', roles: E, menu: true, icon: 'Bell' } },
  { path: 'org/bank-account', component: () => import('../pages/employer/BankAccount.vue'), meta: { title: 'org.bank', roles: E, menu: true, icon: 'CreditCard' } },
  { path: 'org/self-identification', component: () => import('../pages/employer/SelfId.vue'), meta: { title: 'org.selfId', roles: E, menu: true, icon: 'Medal' } },
]
