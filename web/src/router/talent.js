// The talent's pages (phone first: they must work 375 px wide).
const T = ['talent']
export default [
  { path: 'me', component: () => import('../pages/talent/MyHome.vue'), meta: { title: 'talent.home', roles: T, menu: true, icon: 'House' } },
  { path: 'me/apply', component: () => import('../pages/talent/Apply.vue'), meta: { title: 'talent.apply', roles: T, menu: true, icon: 'EditPen' } },
  { path: 'me/apply-benefit', component: () => import('../pages/talent/ApplyBenefit.vue'), meta: { title: 'talent.applyBenefit', roles: T } },
  { path: 'me/applications', component: () => import('../pages/talent/MyApplications.vue'), meta: { title: 'talent.applications', roles: T, menu: true, icon: 'List' } },
  { path: 'me/applications/:id', component: () => import('../pages/talent/ApplicationDetail.vue'), meta: { title: 'talent.application', roles: T } },
  { path: 'me/profile', component: () => import('../pages/talent/Profile.vue'), meta: { title: 'talent.editProfile', roles: T } },
  { path: 'me/notices', component: () => import('../pages/Notices.vue'), meta: { title: 'inbox.title', roles: T, menu: true, icon: 'Bell' } },
  { path: 'me/bank-account', component: () => import('../pages/talent/BankAccount.vue'), meta: { title: 'talent.bank', roles: T, menu: true, icon: 'CreditCard' } },
]
