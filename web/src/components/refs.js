// Code tables (towns, industries, degrees…) read once per page load from
// GET /api/v1/reference/{kind}, and the name of a code in the current language.
import { reactive } from 'vue'
import { get } from '../api/client.js'

const tables = reactive({})
const pending = {}

/** Loads a code table (cached); resolves to its items [{code, name_zh, name_en}]. */
export function loadRef(kind) {
  if (tables[kind]) return Promise.resolve(tables[kind])
  if (!pending[kind])
    pending[kind] = get('reference/' + kind)
      .then((a) => (tables[kind] = a.items || []))
      .catch(() => { delete pending[kind]; return [] })
  return pending[kind]
}

/** The name of code in table kind ('' → '—'; unknown codes shown as they are). */
export function refName(kind, code, lang) {
  if (!code) return '—'
  const it = (tables[kind] || []).find((x) => x.code === code)
  if (!it) return code
  return lang === 'en' ? it.name_en || it.name_zh : it.name_zh
}

/** The items of a loaded table (reactive; [] until loaded). */
export function refItems(kind) {
  return tables[kind] || []
}
