// The session: log in, log out, reload after a page refresh (GET /api/v1/session).
import { auth, get, post, del } from './client.js'

function take(answer) {
  auth.user = answer.user
  auth.csrf = answer.csrf_token
  auth.restricted = !!answer.restricted
  auth.mustChange = !!(answer.must_change_password ?? answer.user?.must_change_password)
  auth.mfaSetup = !!answer.mfa_enrolment_required
  return answer
}

/** Loads the current session once per page load; resolves to the user or null. */
export async function loadSession() {
  if (auth.loaded) return auth.user
  try {
    take(await get('session', { quiet401: true }))
  } catch {
    auth.user = null
    auth.csrf = null
  }
  auth.loaded = true
  return auth.user
}

export async function login(username, password, totp) {
  const body = { username, password }
  if (totp) body.totp = totp
  auth.csrf = null
  return take(await post('session', body))
}

export async function logout() {
  try { await del('session') } finally {
    auth.user = null
    auth.csrf = null
    auth.restricted = false
  }
}

/** The home page of a role after logging in. */
export function homeOf(user) {
  if (!user) return '/'
  return {
    talent: '/me',
    employer: '/org',
    town_reviewer: '/office/queue',
    office_reviewer: '/office/dashboard',
    liaison: '/office/queue',
    finance: '/office/dashboard',
    auditor: '/office/dashboard',
    admin: '/office/users',
    expert: '/expert/rounds',
  }[user.role] || '/'
}
