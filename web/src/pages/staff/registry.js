// Who may do what in the registry pages — the same role sets as src/http/routes.c
// (REGISTRY_WRITERS; the bank-account history of office reviewers and finance) and the
// talent fields only the office sets (OFFICE_FIELDS of src/api/access.c).
import { auth } from '../../api/client.js'

const role = () => (auth.user && auth.user.role) || ''
/** POST/PATCH talents, enterprises and employments: REGISTRY_WRITERS. */
export const canWrite = () => ['office_reviewer', 'town_reviewer'].includes(role())
/** Certification and selections (tier, Quanzhou / provincial levels): the office only. */
export const isOffice = () => role() === 'office_reviewer'
/** GET …/bank-account and …/bank-account/history: office reviewers and finance. */
export const canSeeBank = () => ['office_reviewer', 'finance'].includes(role())
/** GET /enterprises/{id}/self-identification: office reviewers (and the employer). */
export const canSeeQuota = () => role() === 'office_reviewer'

/** An ApiError's field errors as {field: detail} for el-form-item :error. */
export function fieldErrors(e) {
  return Object.fromEntries(((e && e.errors) || []).map((x) => [x.field, x.detail]))
}

/** Yuan typed in a form (a number or null) → integer fen, or undefined when empty. */
export function toFen(yuan) {
  if (yuan === null || yuan === undefined || yuan === '') return undefined
  return Math.round(Number(yuan) * 100)
}
