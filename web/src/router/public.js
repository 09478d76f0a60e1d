// Public pages: no login.
export default [
  { path: '', component: () => import('../pages/public/Home.vue'), meta: { title: 'pub.home' } },
  { path: 'calculator', component: () => import('../pages/public/Calculator.vue'), meta: { title: 'pub.calculator' } },
  { path: 'check', component: () => import('../pages/public/Verify.vue'), meta: { title: 'pub.check' } },
  { path: 'verify/:token', component: () => import('../pages/public/Verify.vue'), meta: { title: 'pub.check' } },
  { path: 'announcements', component: () => import('../pages/public/Announcements.vue'), meta: { title: 'pub.announcements' } },
  { path: 'policies/:id', component: () => import('../pages/public/Policy.vue'), meta: { title: 'pub.policy' } },
  { path: 'login', component: () => import('../pages/public/Login.vue'), meta: { title: 'common.login' } },
  { path: 'register', component: () => import('../pages/public/Register.vue'), meta: { title: 'common.register' } },
]
