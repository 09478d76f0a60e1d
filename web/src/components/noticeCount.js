// The caller's unread notice count, shared by the top bar's bell (NoticeBell.vue) and the
// notices page (pages/Notices.vue) so that marking a notice read updates the bell at once.
import { reactive } from 'vue'
import { auth, get } from '../api/client.js'

export const notices = reactive({ unread: 0, loaded: false })

/** True for the roles that receive notices (GET /api/v1/notices admits these). */
export const receivesNotices = () => !!auth.user && ['talent', 'employer'].includes(auth.user.role)

/** The notices page of the caller's area. */
export const noticesPath = () => (auth.user && auth.user.role === 'employer' ? '/org/notices' : '/me/notices')

/** Re-reads the unread count (errors leave the last count: the bell is not worth an alert). */
export async function refreshUnread() {
  if (!receivesNotices()) return
  try {
    const r = await get('notices?unread=1')
    notices.unread = r.unread || 0
    notices.loaded = true
  } catch { /* offline or logged out: keep what we had */ }
}
