// The apprentice register and its training-subsidy claims (企业新型学徒制培训补贴, policy
// apprentice-training): what the employer pages share.
import { get, qs, auth } from '../../api/client.js'

export const POLICY = 'apprentice-training'
// a claim that is over without being granted does not block a new one
const DEAD = ['withdrawn', 'rejected']

export const eid = () => (auth.user && auth.user.enterprise_id) || 0

export async function apprentices() {
  return (await get(`enterprises/${eid()}/apprentices`)).items || []
}

/** The enterprise's own claims (applications without a talent) of the policy, newest first. */
export async function claims() {
  const r = await get('applications' + qs({ kind: 'benefit', beneficiary: 'enterprise', per_page: 100 }))
  return (r.items || []).filter((a) => !a.talent_id && a.policy === POLICY)
}

/** The years an instalment of apprentice a may fall due: the enrolment year, the completion year. */
export function dueYears(a) {
  const ys = []
  if (a.enrolled_on) ys.push(a.enrolled_on.slice(0, 4))
  if (a.completed_on && !ys.includes(a.completed_on.slice(0, 4))) ys.push(a.completed_on.slice(0, 4))
  return ys
}

/** What the platform computes for apprentice a in year `period` (the benefit prefill). */
export function prefill(a, period) {
  return get('benefits/prefill' + qs({ policy: POLICY, period, item: String(a.id), enterprise_id: eid() }))
}

/**
 * The instalments of apprentice a, each {period, instalment, amount_fen, explanation, claim}
 * where claim is the live application of its year (or null).  Years that answer 422 are skipped.
 */
export async function instalments(a, apps) {
  const out = []
  for (const y of dueYears(a)) {
    let p
    try {
      p = await prefill(a, y)
    } catch (e) {
      if (e.status === 422) continue
      throw e
    }
    const claim = apps.find((x) => x.item === String(a.id) && x.period === y && !DEAD.includes(x.state)) || null
    for (const e of p.entitlements || [])
      out.push({ period: e.period, instalment: e.instalment, amount_fen: e.amount_fen, explanation: e.explanation || {}, claim })
  }
  return out
}
