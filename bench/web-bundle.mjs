// The web UI's first page, measured: what the home page (/) loads from web/dist — index.html's
// entry script, its modulepreloads and stylesheets, and the lazy chunks of the route "/"
// (PublicLayout and Home) with every dependency Vite lists for them (__vite__mapDeps: JS and
// CSS) — raw and gzipped (zlib level 9, what a static gzip would send).  Also lists every
// other page chunk over 100 KB raw, to show what code-splitting keeps out of the first page.
//   scripts/build-web && node bench/web-bundle.mjs [--json]
// Target (issue 7): the first page under 500 KB gzipped.
import { readFileSync, readdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist')
const html = readFileSync(join(DIST, 'index.html'), 'utf8')
const attr = (re) => [...html.matchAll(re)].map((m) => m[1].replace(/^\//, ''))
const entry = attr(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)
const preload = attr(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)
const styles = attr(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)
if (entry.length !== 1) throw new Error('index.html: expected one entry script')

const entryJs = readFileSync(join(DIST, entry[0]), 'utf8')
const mapDeps = JSON.parse((/m\.f=(\[[^\]]*\])/.exec(entryJs) || [])[1] || '[]')
// import(`./Home-xxx.js`),__vite__mapDeps([0,1,…]) → the files that chunk needs
const lazy = {}
for (const m of entryJs.matchAll(/import\(`\.\/([^`]+)`\)(?:,__vite__mapDeps\(\[([\d,]*)\]\))?/g)) {
  const deps = (m[2] || '').split(',').filter(Boolean).map((i) => mapDeps[+i])
  lazy[m[1].replace(/-[\w-]{8}\.js$/, '')] = ['assets/' + m[1], ...deps]
}
const routeChunks = ['PublicLayout', 'Home']
for (const c of routeChunks) if (!lazy[c]) throw new Error(`no lazy chunk ${c} in the entry`)

const files = new Set([...entry, ...preload, ...styles, ...routeChunks.flatMap((c) => lazy[c])])
const size = (f) => {
  const b = readFileSync(join(DIST, f))
  return { file: f, raw: b.length, gzip: gzipSync(b, { level: 9 }).length }
}
const rows = [...files].map(size).sort((a, b) => b.gzip - a.gzip)
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 })
const others = readdirSync(join(DIST, 'assets')).map((f) => 'assets/' + f)
  .filter((f) => !files.has(f) && f.endsWith('.js')).map(size).filter((r) => r.raw > 100 * 1024)
  .sort((a, b) => b.raw - a.raw)

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ files: rows, total, outside: others }, null, 1))
} else {
  const kb = (n) => (n / 1024).toFixed(1).padStart(8)
  console.log('home page (/): files loaded        raw KB  gzip KB')
  for (const r of rows) console.log(`  ${r.file.padEnd(42)}${kb(r.raw)} ${kb(r.gzip)}`)
  console.log(`  ${'TOTAL (' + rows.length + ' files)'.padEnd(42)}${kb(total.raw)} ${kb(total.gzip)}   target < 500 KB gzip: ${total.gzip < 500 * 1024 ? 'met' : 'MISSED'}`)
  console.log('not loaded by the home page (chunks > 100 KB raw):')
  for (const r of others) console.log(`  ${r.file.padEnd(42)}${kb(r.raw)} ${kb(r.gzip)}`)
}
process.exit(total.gzip < 500 * 1024 ? 0 : 1)
