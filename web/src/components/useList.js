// useList — the state of a paged list page: its filters, the page, the rows and total, a
// loading flag and the error, all kept in the route query (a reload or a shared link shows
// the same list).  Render it with <ListPage :list="L"> (components/ListPage.vue).
//
//   const L = useList('talents', { filters: { q: '', town: '' } })
//   L.f.q, L.rows, L.total, L.page, L.loading, L.error; L.load(), L.search(), L.clear()
//
// A filter is read from the route query when the query names it (a boolean filter as
// 'true'/'false', others as strings), else it starts at its default; each load writes back the
// filters that differ from their defaults (an emptied one as `key=`) and the page when > 1.
// The API gets the filters (a boolean as 'true' or nothing) with page and per_page.
import { onMounted, reactive } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { get, qs } from '../api/client.js'

/**
 * source: an API path ('talents' → GET /api/v1/talents?…) or a function(params) → {items, total}.
 * opts.filters: the filters and their defaults; opts.clear: what 重置 sets (an object or a
 * function returning one; default: the defaults); opts.per: the page size (20);
 * opts.immediate: load when mounted (true); opts.keepRows: keep the rows shown after an
 * error (true).
 */
export function useList(source, { filters = {}, clear, per = 20, immediate = true, keepRows = true } = {}) {
  const route = useRoute()
  const router = useRouter()
  const path = route.path
  const defaults = { ...filters }
  const f = reactive({})
  for (const [k, d] of Object.entries(defaults)) {
    const q = route.query[k]
    f[k] = typeof q !== 'string' ? d : typeof d === 'boolean' ? q === 'true' : q
  }
  let seq = 0

  /** Writes the filters and the page into the route query (while the page is still shown). */
  function sync() {
    if (route.path !== path) return
    const q = { ...route.query }
    for (const [k, d] of Object.entries(defaults)) {
      if (f[k] === d || (f[k] == null && d == null)) delete q[k]
      else q[k] = f[k] == null ? '' : String(f[k])
    }
    if (L.page > 1) q.page = String(L.page)
    else delete q.page
    router.replace({ query: q }).catch(() => {})
  }

  async function load() {
    const mine = ++seq
    L.loading = true
    L.error = ''
    sync()
    const params = { page: L.page, per_page: per }
    for (const [k, v] of Object.entries(f)) params[k] = typeof v === 'boolean' ? (v ? 'true' : '') : v
    try {
      const a = typeof source === 'function' ? await source(params) : await get(source + qs(params))
      if (mine !== seq) return
      L.rows = a.items
      L.total = a.total
    } catch (e) {
      if (mine !== seq) return
      L.error = e.detail
      if (!keepRows) { L.rows = []; L.total = 0 }
    } finally {
      if (mine === seq) L.loading = false
    }
  }

  const L = reactive({
    f, rows: [], total: 0, page: Number(route.query.page) > 0 ? Number(route.query.page) : 1, per, loading: false, error: '',
    load,
    /** The first page with the filters as they stand (查询). */
    search() { L.page = 1; return load() },
    /** The filters back to what 重置 sets, then the first page. */
    clear() {
      Object.assign(f, typeof clear === 'function' ? clear() : clear || defaults)
      return L.search()
    },
  })
  if (immediate) onMounted(load)
  return L
}
