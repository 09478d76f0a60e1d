// The office's dashboard (ECharts).
export default [
  { path: 'office/dashboard', component: () => import('../pages/dashboard/Dashboard.vue'), meta: { title: 'dash.title', roles: ['office_reviewer', 'finance', 'auditor'], menu: true, icon: 'DataAnalysis' } },
]
