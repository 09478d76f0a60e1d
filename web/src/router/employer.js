// The employer's HR pages.
const E = ['employer']
export default [
  { path: 'org', component: () => import('../pages/employer/OrgHome.vue'), meta: { title: 'org.home', roles: E, menu: true, icon: 'OfficeBuilding' } },
]
