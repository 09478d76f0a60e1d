// The talent's pages (phone first: they must work 375 px wide).
const T = ['talent']
export default [
  { path: 'me', component: () => import('../pages/talent/MyHome.vue'), meta: { title: 'talent.home', roles: T, menu: true, icon: 'House' } },
]
