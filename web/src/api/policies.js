// Policy descriptions (GET /api/v1/policies/{id}), fetched once per page load and shared:
// the explanation view reads each parameter's type from them to show money as money.
import { get } from './client.js'

const cache = new Map()

/** Resolves to the policy's description, or null when it cannot be read. */
export function policyInfo(id) {
  if (!cache.has(id)) cache.set(id, get('policies/' + encodeURIComponent(id)).catch(() => null))
  return cache.get(id)
}
