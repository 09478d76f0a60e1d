// The one way the web UI talks to the API (/api/v1, docs/openapi.yaml).
//
// api(method, path, body?, opts?) → the parsed JSON answer (or a Blob with opts.blob).
// Unsafe methods carry the session's X-CSRF-Token; the browser adds Origin and the
// session cookie (HttpOnly, SameSite=Strict).  Money-moving POSTs pass opts.idempotencyKey.
// An error answer (RFC 9457 problem) throws ApiError with .status, .code, .detail and
// .errors ([{field, code, detail}]) so forms can show each error beside its field.
import { reactive } from 'vue'

export const auth = reactive({ user: null, csrf: null, restricted: false, loaded: false })
export const prefs = reactive({ lang: localStorage.getItem('tp-lang') || 'zh-CN' })

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `HTTP ${status}`)
    this.status = status
    this.code = (problem && problem.code) || 'http_' + status
    this.detail = this.message
    this.errors = (problem && problem.errors) || []
    this.retryAfter = null
  }
  /** The message for one field, or '' — for el-form-item :error. */
  field(name) {
    const e = this.errors.find((x) => x.field === name)
    return e ? e.detail : ''
  }
}

export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': prefs.lang === 'en' ? 'en' : 'zh-CN' }
  const init = { method, headers, credentials: 'same-origin' }
  if (method !== 'GET' && method !== 'HEAD' && auth.csrf) headers['X-CSRF-Token'] = auth.csrf
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey
  if (opts.headers) Object.assign(headers, opts.headers)
  if (body instanceof FormData || body instanceof Blob || body instanceof ArrayBuffer) {
    init.body = body
    if (opts.contentType) headers['Content-Type'] = opts.contentType
  } else if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const url = path.startsWith('/') ? path : '/api/v1/' + path
  const r = await fetch(url, init)
  if (!r.ok) {
    let problem = null
    try { problem = await r.json() } catch { /* not JSON */ }
    const err = new ApiError(r.status, problem)
    err.retryAfter = r.headers.get('Retry-After')
    if (r.status === 401 && auth.user && !opts.quiet401) {
      auth.user = null
      auth.csrf = null
    }
    throw err
  }
  if (opts.blob) return r.blob()
  if (r.status === 204) return null
  const ct = r.headers.get('Content-Type') || ''
  return ct.includes('json') ? r.json() : r.text()
}

export const get = (path, opts) => api('GET', path, null, opts)
export const post = (path, body, opts) => api('POST', path, body, opts)
export const put = (path, body, opts) => api('PUT', path, body, opts)
export const patch = (path, body, opts) => api('PATCH', path, body, opts)
export const del = (path, opts) => api('DELETE', path, null, opts)

/** A fresh Idempotency-Key for one user action (reuse it when the same action is retried). */
export function newKey() {
  const a = new Uint8Array(16)
  crypto.getRandomValues(a)
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Builds a query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') u.set(k, v)
  const s = u.toString()
  return s ? '?' + s : ''
}

/** Downloads a file answer (XLSX, CSV, PDF) under its name. */
export async function download(path, name) {
  const blob = await api('GET', path, null, { blob: true })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.appendChild(a)
  a.click()
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove() }, 1000)
}
