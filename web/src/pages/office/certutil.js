// Certificate states and their tags (docs: Certificate in docs/openapi.yaml).
export const CERT_TAG = { valid: 'success', suspended: 'warning', revoked: 'danger', superseded: 'info' }
/** The actions a state allows (valid → suspend/revoke/renew/upgrade; suspended → reinstate/revoke). */
export const CERT_ACTIONS = {
  valid: ['suspend', 'revoke', 'renew', 'upgrade'],
  suspended: ['reinstate', 'revoke'],
  revoked: [],
  superseded: [],
}
