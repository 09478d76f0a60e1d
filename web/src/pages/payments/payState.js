// Shared bits of the payment pages: the el-tag type of a run's state and of a line's status,
// and the policy titles (GET /api/v1/policies, public) for showing ids as names.
import { get } from '../../api/client.js'

export const RUN_TAG = {
  building: 'info', draft: 'info', submitted: 'warning', announced: 'warning', approved: 'primary',
  exported: 'primary', reconciled: 'success', cancelled: 'danger',
}
export const LINE_TAG = { pending: 'info', exported: 'primary', paid: 'success', failed: 'danger', cancelled: 'info' }
export const PAYERS = ['office_reviewer', 'finance', 'auditor']

let titles = null
/** { policyId: {zh, en} } from the pack (cached for the page's life). */
export async function policyTitles() {
  if (titles) return titles
  try {
    const r = await get('policies')
    titles = {}
    for (const p of r.items || []) titles[p.id] = { zh: (p.title && p.title.zh) || p.id, en: (p.title && (p.title.en || p.title.zh)) || p.id }
  } catch {
    titles = {}
  }
  return titles
}
export function policyName(map, id, lang) {
  const x = map && map[id]
  return x ? (lang === 'en' ? x.en : x.zh) : id
}

/** The message of a failure: the server's detail, or the network error's text. */
export const errMsg = (e) => (e && (e.detail || e.message)) || String(e)
/** The message of one field of a failure ('' when none). */
export const fieldErr = (e, name) => (e && typeof e.field === 'function' ? e.field(name) : '')
/** A network failure (no HTTP answer): the same Idempotency-Key may be retried. */
export const noAnswer = (e) => !(e && e.status)
