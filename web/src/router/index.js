// The one route table of the web UI.  Each area keeps its routes in its own file
// (public.js, talent.js, employer.js, staff.js, payments.js, dashboard.js, office.js); meta.title is an i18n key, meta.roles the
// roles that may open the page (absent: anyone), meta.menu puts it in the left menu of
// the signed-in layout, with meta.icon (an @element-plus/icons-vue name) and meta.group.
import { createRouter, createWebHistory } from 'vue-router'
import { watch } from 'vue'
import { auth, prefs } from '../api/client.js'
import { loadSession } from '../api/session.js'
import { i18n } from '../locales/index.js'
import publicRoutes from './public.js'
import talentRoutes from './talent.js'
import employerRoutes from './employer.js'
import staffRoutes from './staff.js'
import paymentRoutes from './payments.js'
import dashboardRoutes from './dashboard.js'
import officeRoutes from './office.js'

export const appRoutes = [...talentRoutes, ...employerRoutes, ...dashboardRoutes, ...staffRoutes, ...officeRoutes, ...paymentRoutes]

const routes = [
  {
    path: '/',
    component: () => import('../layouts/PublicLayout.vue'),
    children: publicRoutes,
  },
  {
    path: '/',
    component: () => import('../layouts/AppLayout.vue'),
    children: appRoutes,
  },
  { path: '/forbidden', component: () => import('../pages/Forbidden.vue'), meta: { title: 'common.forbidden' } },
  { path: '/:rest(.*)*', component: () => import('../pages/NotFound.vue'), meta: { title: 'common.notFound' } },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  await loadSession()
  const roles = to.meta.roles
  if (!roles) return true
  if (!auth.user) return { path: '/login', query: { next: to.fullPath } }
  if (auth.restricted && to.path !== '/account') return { path: '/account' }
  if (roles.length && !roles.includes(auth.user.role)) return { path: '/forbidden' }
  return true
})

function setTitle(to) {
  const t = i18n.global.t
  const title = to.meta.title ? t(to.meta.title) : ''
  document.title = title ? `${title} - ${t('app.name')}` : t('app.full')
}
router.afterEach(setTitle)
watch(() => prefs.lang, () => setTitle(router.currentRoute.value))

/** The menu entries a role sees, in the order of the route files. */
export function menuFor(role) {
  return appRoutes.filter((r) => r.meta && r.meta.menu && (!r.meta.roles || r.meta.roles.includes(role)))
}
