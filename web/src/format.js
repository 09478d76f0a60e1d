// Chinese formatting of money (integer fen), dates and masked numbers.
const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** 1234500 → "¥12,345.00"; null/undefined → "—".  Money is integer fen everywhere. */
export function money(fen) {
  if (fen === null || fen === undefined || fen === '') return '—'
  const n = Number(fen)
  const sign = n < 0 ? '-' : ''
  const abs = Math.abs(n)
  // integer arithmetic: no float rounding of fen
  const whole = Math.trunc(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  return `${sign}¥${yuan.format(whole).split('.')[0]}.${cents}`
}

/** "2026-03-05" or an ISO time → "2026年3月5日" (zh) / "2026-03-05" (en). */
export function date(s, lang = 'zh-CN') {
  if (!s) return '—'
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s)
  if (!m) return s
  return lang === 'en' ? `${m[1]}-${m[2]}-${m[3]}` : `${+m[1]}年${+m[2]}月${+m[3]}日`
}

/** An ISO time → "2026-03-05 14:07" in the browser's zone. */
export function datetime(s) {
  if (!s) return '—'
  const d = new Date(s)
  if (isNaN(d)) return s
  const p = (x) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** Masks an ID or account number the Chinese way: first 3 + **** + last 4 (already-masked input is kept). */
export function mask(s) {
  if (!s) return '—'
  if (s.includes('*')) return s
  if (s.length <= 7) return s.replace(/.(?=.{2})/g, '*')
  return s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4)
}

/** Amount of an entitlement by kind: cash/loan in money, nights, points, a school place. */
export function amountOf(e, t) {
  switch (e.kind) {
    case 'cash': case 'loan': return money(e.amount_fen)
    case 'nights': return t('kind.nightsN', { n: e.quantity ?? 0 })
    case 'points': return t('kind.pointsN', { n: e.quantity ?? 0 })
    case 'service': return t('kind.service')
    default: return e.amount_fen !== undefined ? money(e.amount_fen) : '—'
  }
}
