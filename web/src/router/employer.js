// The employer's HR pages.
const E = ['employer']
export default [
  { path: 'org', component: () => import('../pages/employer/OrgHome.vue'), meta: { title: 'org.home', roles: E, menu: true, icon: 'OfficeBuilding' } },
  { path: 'org/applications', component: () => import('../pages/employer/OrgApplications.vue'), meta: { title: 'org.applications', roles: E, menu: true, icon: 'Checked' } },
  { path: 'org/applications/:id(\\d+)', component: () => import('../pages/staff/ApplicationDetail.vue'), meta: { title: 'staff.application', roles: E } },
  { path: 'org/apprentices', component: () => import('../pages/employer/Apprentices.vue'), meta: { title: 'org.apprentices', roles: E, menu: true, icon: 'Reading' } },
  { path: 'org/apprentices/:id(\\d+)/claim/:period(\\d{4})', component: () => import('../pages/employer/ApprenticeClaim.vue'), meta: { title: 'org.claimTitle', roles: E } },
  { path: 'org/notices', component: () => import('../pages/Notices.vue'), meta: { title: 'inbox.title', roles: E, menu: true, icon: 'Bell' } },
  { path: 'org/bank-account', component: () => import('../pages/employer/BankAccount.vue'), meta: { title: 'org.bank', roles: E, menu: true, icon: 'CreditCard' } },
  { path: 'org/self-identification', component: () => import('../pages/employer/SelfId.vue'), meta: { title: 'org.selfId', roles: E, menu: true, icon: 'Medal' } },
]
