// Browser-test harness: a real `talentport serve` over a fresh demo database, and Debian's
// chromium driven by playwright-core (never a downloaded browser).
//
//   const s = await startServer()           // demo data, web/dist, a free port
//   const pw = await s.account('talent')    // one-time password changed → the new password
//   const { browser, page } = await openBrowser({ phone: true })
//   await login(page, s, 'talent', pw)
//   await shot(page, 'talent-home')         // tests/browser/screenshots/talent-home.png
//   await s.stop(); await browser.close()
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, existsSync, writeFileSync, renameSync } from 'node:fs'
import { createHmac } from 'node:crypto'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const HERE = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(HERE, '..', '..')
export const BIN = process.env.TALENTPORT_BIN || join(ROOT, 'build', 'talentport')
export const SHOTS = join(HERE, 'screenshots')
export const PASSWORD = 'Browser-pass-2026!'
export { assert }
// playwright-core is a dev dependency of the web UI (web/package.json)
const { chromium } = createRequire(join(ROOT, 'web', 'package.json'))('playwright-core')

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => ok(p)) })
    srv.on('error', fail)
  })
}

/** RFC 6238 code for a base32 secret (for accounts that must use TOTP). */
export function totp(secret, t = Date.now()) {
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alpha.indexOf(ch).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
  const ctr = Buffer.alloc(8)
  ctr.writeBigUInt64BE(BigInt(Math.floor(t / 1000 / 30)))
  const h = createHmac('sha1', key).update(ctr).digest()
  const o = h[h.length - 1] & 15
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0')
}

const spentCodes = new Map()
/** A TOTP code not used before for this secret (the server refuses a replayed code): waits
 * for the next 30-second step when the current code was spent. */
export async function freshCode(secret) {
  let c = totp(secret)
  while (spentCodes.get(secret) === c) {
    await new Promise((r) => setTimeout(r, 1000))
    c = totp(secret)
  }
  spentCodes.set(secret, c)
  return c
}

/** The server's clock for tests: real time + offset seconds, written whole then renamed into
 * place.  src/core/clock.c reads $TALENTPORT_TEST_CLOCK, the file named there holding the
 * unix time: set it to clock.path in the environment before startServer(). */
export function makeClock() {
  const dir = mkdtempSync(join(tmpdir(), 'tp-clock-'))
  const path = join(dir, 'now')
  const c = {
    path, offset: 0,
    tick() {
      writeFileSync(path + '.tmp', String(Math.floor(Date.now() / 1000) + c.offset))
      renameSync(path + '.tmp', path)
    },
    advance(secs) { c.offset += secs; c.tick() },
    close() { rmSync(dir, { recursive: true, force: true }) },
  }
  c.tick()
  return c
}

/** Starts the server over a new demo database; resolves when /api/v1/health answers. */
export async function startServer({ talents = 300, enterprises = 40 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tp-browser-'))
  const db = join(dir, 'demo.db')
  const out = execFileSync(BIN, ['demo', '--db', db, '--talents', String(talents), '--enterprises', String(enterprises)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const oneTime = {}
  for (const line of out.split('\n')) {
    const m = /^\s{2}(\S+)\s+(talent|employer|liaison|town_reviewer|office_reviewer|finance|auditor|admin|expert)\s+(\S+)\s*$/.exec(line)
    if (m) oneTime[m[1]] = m[3]
  }
  assert.ok(oneTime.talent, 'demo printed its accounts')
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', join(ROOT, 'web', 'dist')],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TALENTPORT_LOG_LEVEL: 'warn' } })
  let log = ''
  proc.stderr.on('data', (d) => { log += d; if (log.length > 200000) log = log.slice(-100000) })
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(url + '/api/v1/health')).ok) break } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50))
  }
  const passwords = {}
  const totpSecrets = {}
  const sessions = {}
  const s = {
    url, db, dir, oneTime, passwords, totpSecrets, log: () => log,
    /** A ready account: its one-time password changed (and TOTP enrolled where its role needs it). */
    async account(username) {
      if (passwords[username]) return passwords[username]
      const api = await apiSession(url, username, oneTime[username])
      await api.call('POST', '/api/v1/session/password', { current_password: oneTime[username], new_password: PASSWORD })
      const sess = await api.call('GET', '/api/v1/session')
      if (sess.mfa_enrolment_required) {
        const a = await api.call('POST', '/api/v1/session/totp', {})
        totpSecrets[username] = a.secret
        await api.call('POST', '/api/v1/session/totp/confirm', { code: await freshCode(a.secret) })
        // that code is spent for 30 s: keep this session for s.api() rather than log in again
        sessions[username] = api
      }
      passwords[username] = PASSWORD
      return PASSWORD
    },
    /** An API session in Node for setting up data (cookie + CSRF like the browser). */
    async api(username) {
      await s.account(username)
      // the session of the TOTP enrolment is used once (its code is spent for 30 s)
      const enrolled = sessions[username]
      if (enrolled) { delete sessions[username]; return enrolled }
      const code = totpSecrets[username] ? await freshCode(totpSecrets[username]) : undefined
      return apiSession(url, username, passwords[username], code)
    },
    async stop() {
      proc.kill('SIGTERM')
      await new Promise((r) => { proc.once('exit', r); setTimeout(r, 3000) })
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return s
}

/** Logs in over HTTP; returns { call(method, path, body, headers) } that throws on errors. */
export async function apiSession(url, username, password, code) {
  let cookie = ''
  let csrf = ''
  async function call(method, path, body, headers = {}) {
    const h = { Accept: 'application/json', Origin: url, ...headers }
    if (cookie) h.Cookie = cookie
    if (csrf && method !== 'GET') h['X-CSRF-Token'] = csrf
    if (body !== undefined) h['Content-Type'] = 'application/json'
    const r = await fetch(url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
    const sc = r.headers.get('set-cookie')
    if (sc) cookie = sc.split(';')[0]
    const text = await r.text()
    const json = text ? JSON.parse(text) : null
    if (json && json.csrf_token) csrf = json.csrf_token
    if (!r.ok) {
      const e = new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`)
      e.status = r.status
      e.body = json
      throw e
    }
    return json
  }
  const body = { username, password }
  if (code) body.totp = code
  await call('POST', '/api/v1/session', body)
  return { call }
}

/** Debian's chromium, headless, with the flags this closed network needs and a fresh profile. */
export async function openBrowser({ phone = false, lang = 'zh-CN' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tp-chromium-'))
  // a fresh --user-data-dir: playwright takes it as the persistent context's folder
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
    ...(phone
      ? { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: lang }
      : { viewport: { width: 1366, height: 860 }, locale: lang }),
  })
  const browser = context
  const page = context.pages()[0] || (await context.newPage())
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  const close = browser.close.bind(browser)
  browser.close = async () => { await close(); rmSync(profile, { recursive: true, force: true }) }
  return { browser, context, page, errors }
}

/** Logs in through the login page and waits for the role's home page. */
export async function login(page, s, username, password) {
  await page.goto(s.url + '/login')
  await page.locator('#login-username').fill(username)
  await page.locator('#login-password').fill(password)
  await page.locator('button[type=submit]').click()
  if (s.totpSecrets[username]) {
    await page.locator('#login-totp').waitFor()
    await page.locator('#login-totp').fill(await freshCode(s.totpSecrets[username]))
    await page.locator('button[type=submit]').click()
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

/** Saves a full-page screenshot under tests/browser/screenshots/NAME.png (not committed). */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true })
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true })
}

/** Accessibility basics of the page as it stands: a title, and a label for every form field. */
export async function checkA11y(page, where) {
  const title = await page.title()
  assert.ok(title && title.trim().length > 0, `${where}: the page has a title`)
  const unlabelled = await page.evaluate(() => {
    const bad = []
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.closest('[aria-hidden="true"]')) continue
      const st = getComputedStyle(el)
      // not rendered (itself or an ancestor display:none — e.g. a closing message box's hidden
      // prompt input during its fade-out) is not perceivable: skipped
      if (el.type !== 'file' && (st.visibility === 'hidden' || el.getClientRects().length === 0)) continue
      const id = el.id
      const byFor = id && document.querySelector(`label[for="${CSS.escape(id)}"]`)
      const byWrap = el.closest('label')
      const aria = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title')
      if (!byFor && !byWrap && !aria) bad.push(el.outerHTML.slice(0, 160))
    }
    return bad
  })
  assert.deepEqual(unlabelled, [], `${where}: every form field has a label`)
}

/** Presses Tab until every visible button and link of `selector` has had the focus once. */
export async function checkKeyboard(page, where, selector = 'main button:not([disabled]), main a[href]') {
  const want = await page.$$eval(selector, (els) => els.filter((e) => e.offsetParent !== null).length)
  const seen = new Set()
  for (let i = 0; i < want * 3 + 40 && seen.size < want; i++) {
    await page.keyboard.press('Tab')
    const k = await page.evaluate((sel) => {
      const a = document.activeElement
      if (!a || !a.matches(sel)) return null
      if (!a.dataset.tpKey) a.dataset.tpKey = Math.random().toString(36).slice(2)
      return a.dataset.tpKey
    }, selector)
    if (k) seen.add(k)
  }
  assert.ok(seen.size >= want, `${where}: the keyboard reaches every action (${seen.size}/${want})`)
}

/** Logs the test's browser (ctx.desk) in afresh as user on ctx.s — cookies cleared first —
 *  and returns the page. */
export async function loginAs(ctx, user) {
  await ctx.desk.context.clearCookies()
  await login(ctx.desk.page, ctx.s, user, await ctx.s.account(user))
  return ctx.desk.page
}

/** The usual `after` of a test file: closes its browser (ctx.desk) and stops its server. */
export async function closeAll({ s, desk }) {
  await desk.browser.close()
  await s.stop()
}

/** Opens an el-select by the id of its input and picks the option whose text matches. */
export async function pick(page, id, name) {
  await page.locator('.el-select', { has: page.locator('#' + id) }).click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: name }).first().click()
  await listsClosed(page)
}

/** Types query into the remote-search select with this input id and picks the option that has
 *  name; waits until the select shows it. */
export async function pickRemote(page, id, query, name) {
  await page.locator('.el-select', { has: page.locator('#' + id) }).click()
  await page.locator('#' + id).fill(query)
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: name }).first().click()
  await listsClosed(page)
  await page.locator('.el-select', { has: page.locator('#' + id) }).filter({ hasText: name }).waitFor()
}

/**
 * Waits for every select's list to finish closing: while one fades out it lies over the next
 * field.  A remote list re-rendered under the click can stay open: after a second a click on
 * the dialog's (or page's) title closes it, as a person would.
 */
export async function listsClosed(page) {
  const open = () => page.evaluate(() => [...document.querySelectorAll('.el-select-dropdown')].some((d) => d.getClientRects().length > 0))
  for (let i = 0; i < 100 && (await open()); i++) {
    if (i === 10) {
      // the open dialog's title (the page behind a dialog is under its overlay), else the page's
      const dlg = page.locator('.el-dialog__title:visible')
      const target = (await dlg.count()) ? dlg.last() : page.locator('h1:visible').first()
      await target.click({ timeout: 2000 }).catch(() => {})
    }
    await page.waitForTimeout(100)
  }
  assert.ok(!(await open()), 'the select lists close')
}

/** The inline error of the form item holding the field with this id. */
export const fieldError = (page, id) => page.locator('.el-form-item', { has: page.locator('#' + id) }).locator('.el-form-item__error')

/** True when the page is wider than the viewport (horizontal scrolling). */
export async function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)
}

export function haveChromium() {
  return existsSync(process.env.CHROMIUM || '/usr/bin/chromium')
}
