// Shared bits of the team-review pages (docs/team-review.md): states, tags, the default criteria.
export const ROUND_STATES = ['open', 'scoring', 'decided']
export const ROUND_TAG = { open: 'primary', scoring: 'warning', decided: 'success' }
export const TEAM_STATES = ['submitted', 'withdrawn', 'scored', 'decided']
export const TEAM_TAG = { submitted: 'primary', withdrawn: 'info', scored: 'warning', decided: 'success' }
export const TIERS = ['A', 'B', 'C', 'none']
export const TIER_TAG = { A: 'danger', B: 'warning', C: 'success', none: 'info' }

/** The default criteria of a new round ([design], as the API's default). */
export const DEFAULT_CRITERIA = [
  { id: 'innovation', title_zh: '创新性', title_en: 'Innovation', weight: 30, max: 30 },
  { id: 'industry_fit', title_zh: '产业契合度（4341）', title_en: 'Industry fit (4341)', weight: 25, max: 25 },
  { id: 'team_strength', title_zh: '团队实力', title_en: 'Team strength', weight: 25, max: 25 },
  { id: 'feasibility', title_zh: '可行性', title_en: 'Feasibility', weight: 20, max: 20 },
]

export function critTitleOf(c, lang) {
  return lang === 'en' ? c.title_en || c.id : c.title_zh || c.id
}
