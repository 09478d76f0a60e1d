// Staff pages: review queues, application detail, announcements, registry, audit, users.
export const REVIEWERS = ['town_reviewer', 'office_reviewer', 'liaison']
const REGISTRY = ['office_reviewer', 'town_reviewer', 'liaison', 'finance']
const OFFICE = ['office_reviewer']
export default [
  { path: 'office/queue', component: () => import('../pages/staff/Queue.vue'), meta: { title: 'staff.queue', roles: REVIEWERS, menu: true, icon: 'Tickets' } },
  { path: 'office/applications/:id(\\d+)', component: () => import('../pages/staff/ApplicationDetail.vue'), meta: { title: 'staff.application', roles: REVIEWERS } },
  { path: 'office/announcements', component: () => import('../pages/staff/Announcements.vue'), meta: { title: 'staff.announcements', roles: OFFICE, menu: true, icon: 'Bell' } },
  { path: 'office/talents', component: () => import('../pages/staff/Talents.vue'), meta: { title: 'staff.talents', roles: REGISTRY, menu: true, icon: 'UserFilled' } },
  { path: 'office/talents/:id(\\d+)', component: () => import('../pages/staff/TalentDetail.vue'), meta: { title: 'staff.talent', roles: REGISTRY } },
  { path: 'office/enterprises', component: () => import('../pages/staff/Enterprises.vue'), meta: { title: 'staff.enterprises', roles: REGISTRY, menu: true, icon: 'OfficeBuilding' } },
  { path: 'office/enterprises/:id(\\d+)', component: () => import('../pages/staff/EnterpriseDetail.vue'), meta: { title: 'staff.enterprise1', roles: REGISTRY } },
  { path: 'office/audit', component: () => import('../pages/staff/Audit.vue'), meta: { title: 'staff.audit', roles: ['auditor'], menu: true, icon: 'Notebook' } },
  { path: 'office/users', component: () => import('../pages/staff/Users.vue'), meta: { title: 'staff.users', roles: ['admin'], menu: true, icon: 'User' } },
  { path: 'account', component: () => import('../pages/Account.vue'), meta: { title: 'account.title', roles: [], menu: false } },
]
