// Helpers the talent's pages share (not a page): code-table names, tiers, roles, the
// phone breakpoint, the application's evidence upload.
import { reactive, ref, onMounted, onBeforeUnmount } from 'vue'
import { get, post, prefs } from '../../api/client.js'

const tables = reactive({})
const loading = {}

/** The names of a public code table (towns, industries, titles…): code → {name_zh, name_en}. */
export function useRef(kind) {
  if (!loading[kind]) {
    loading[kind] = get('reference/' + kind)
      .then((r) => { tables[kind] = Object.fromEntries(r.items.map((x) => [x.code, x])) })
      .catch(() => { tables[kind] = {} })
  }
  return (code) => {
    const x = tables[kind] && tables[kind][code]
    if (!x) return code || '—'
    return prefs.lang === 'en' ? x.name_en || x.name_zh : x.name_zh
  }
}

/** "第五层次人才" / "Tier 5 talent"; "—" when none. */
export const tierText = (n, t) => (!n ? '—' : n >= 1 && n <= 7 ? t('talent.tiers.' + n) : t('talent.tierN', { n }))

/** Who acts in a state: "you" for the applicant, else the role's name. */
export const roleText = (role, t) => (!role ? '—' : role === 'applicant' ? t('talent.applicant') : t('role.' + role))

/** The el-tag type of an application state. */
export function stateType(state) {
  return { certified: 'success', rejected: 'danger', withdrawn: 'info', returned: 'warning', announced: 'primary' }[state] || ''
}

/** True while the window is phone-wide (< 768 px). */
export function usePhone() {
  const phone = ref(window.innerWidth < 768)
  const on = () => { phone.value = window.innerWidth < 768 }
  onMounted(() => window.addEventListener('resize', on))
  onBeforeUnmount(() => window.removeEventListener('resize', on))
  return phone
}

/** Uploads one evidence file (PDF/JPEG/PNG) to an application: the raw bytes, the name in ?filename=. */
export function uploadEvidence(appId, file) {
  return post(`applications/${appId}/files?filename=${encodeURIComponent(file.name)}`, file,
    { contentType: 'application/octet-stream' })
}

/** Calendar days from today to an ISO date (negative once past). */
export function daysUntil(d) {
  if (!d) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d)
  if (!m) return null
  const now = new Date()
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())
  return Math.round((Date.UTC(+m[1], +m[2] - 1, +m[3]) - today) / 86400000)
}

let policies = null
const polTitles = reactive({})
/** The title of a policy of the pack by id (GET /api/v1/policies, read once). */
export function usePolicyTitle() {
  if (!policies) {
    policies = get('policies').then((r) => {
      for (const p of r.items || []) polTitles[p.id] = p.title
    }).catch(() => {})
  }
  return (id) => {
    const x = polTitles[id]
    if (!x) return id || ''
    return typeof x === 'object' ? (prefs.lang === 'en' ? x.en || x.zh : x.zh) : x
  }
}

/** The name of an application's kind: the talent's words for it, else the kind. */
export const kindText = (kind, t, te) => (te('talent.kind.' + kind) ? t('talent.kind.' + kind) : kind)
