// Runs the browser tests: every tests/browser/test_*.mjs exports `tests`, an object of
// named async functions run in order (a file may also export `before` and `after`, whose
// result is passed to each test).  Prints one line per test and writes the counts to
// $TALENTPORT_BROWSER_REPORT as {"passed", "failed", "skipped"}.
//   node tests/browser/run.mjs [test_x.mjs ...]
import { readdirSync, writeFileSync } from 'node:fs'
import { join, dirname, basename } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { haveChromium } from './harness.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2).map((f) => basename(f))
const files = readdirSync(HERE).filter((f) => /^test_.*\.mjs$/.test(f) && (!only.length || only.includes(f))).sort()
const counts = { passed: 0, failed: 0, skipped: 0 }
const failures = []

if (!haveChromium()) {
  console.log('chromium is not installed (scripts/install-deps test installs it)')
  counts.failed = 1
} else {
  for (const f of files) {
    const mod = await import(pathToFileURL(join(HERE, f)).href)
    let ctx = null
    try {
      if (mod.before) ctx = await mod.before()
    } catch (e) {
      counts.failed++
      failures.push(`${f} before: ${e.stack || e}`)
      console.log(`  FAIL ${f} (set-up): ${e.message}`)
      continue
    }
    for (const [name, fn] of Object.entries(mod.tests || {})) {
      const t0 = Date.now()
      try {
        await Promise.race([fn(ctx), new Promise((_, no) => setTimeout(() => no(new Error('timed out after 120 s')), 120000))])
        counts.passed++
        console.log(`  ok   ${f} ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`)
      } catch (e) {
        counts.failed++
        failures.push(`${f} ${name}: ${e.stack || e}`)
        console.log(`  FAIL ${f} ${name}: ${e.message}`)
      }
    }
    try {
      if (mod.after) await mod.after(ctx)
    } catch (e) {
      console.log(`  (after of ${f}: ${e.message})`)
    }
  }
}
for (const x of failures) console.log('\n' + x)
console.log(`${counts.passed} passed, ${counts.failed} failed`)
if (process.env.TALENTPORT_BROWSER_REPORT) writeFileSync(process.env.TALENTPORT_BROWSER_REPORT, JSON.stringify(counts))
process.exit(counts.failed ? 1 : 0)
