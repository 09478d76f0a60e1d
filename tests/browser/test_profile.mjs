// What a talent and an employer keep themselves (issue 7: every capability of the API in the
// browser): a talent, 375 px wide, changes their mobile number — a bad one is refused with the
// error beside the field and nothing stored, a good one is saved and shown masked; a notice
// written by real activity (the office confirms an entitlement of the demo talent) shows in the
// top bar's bell with the count 1, the notices page marks it read, the bell goes to 0 and the
// API says read; the employer registers the enterprise's corporate account (re-authenticating
// with the password) and sees the number masked, then changes it and is told payments wait.
// Expected values are worked out from the rules (the phone mask: 3 digits, ****, the last 4;
// one confirmed entitlement → one notice), never copied from the page.
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { startServer, openBrowser, login, shot, checkA11y, checkKeyboard, scrollsSideways, assert, PASSWORD, fieldError } from './harness.mjs'

const YEAR = String(new Date().getFullYear())

/** One SQL statement on the test's database (python3's sqlite3; the server keeps running). */
function sql(db, query, params = []) {
  const py = 'import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1],timeout=10)\n' +
    'cur=c.execute(sys.argv[2],json.loads(sys.argv[3]))\nr=cur.fetchall()\nc.commit()\nprint(json.dumps([r,cur.lastrowid]))'
  return JSON.parse(execFileSync('python3', ['-c', py, db, query, JSON.stringify(params)], { encoding: 'utf8' }))
}

const money = (fen) => '¥' + new Intl.NumberFormat('zh-CN').format(Math.trunc(fen / 100)) + '.' + String(fen % 100).padStart(2, '0')
/** How the platform masks a mobile number (src/core/idcard.c phone_mask): 139****5678. */
const maskMobile = (p) => p.slice(0, 3) + '****' + p.slice(-4)

export async function before() {
  const s = await startServer()
  const talent = await s.api('talent')
  const tid = (await talent.call('GET', '/api/v1/session')).user.talent_id
  assert.ok(tid, 'the demo talent account is bound to a talent')
  // a pending cash entitlement of the demo talent, as the policy engine's run writes one
  // (the notice itself comes from the office's confirmation below, through the API)
  const [, run] = sql(s.db, "INSERT INTO policy_runs (period, pack_id, pack_hash, started_at, finished_at, talents, enterprises, skipped, entitlements, kept, total_fen, status) VALUES (?, 'seed', 'seed', 't', 't', 0, 0, 0, 0, 0, 0, 'done')", [+YEAR])
  const amount = 250000
  const [, ent] = sql(s.db, "INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, item, period_key, instalment, kind, amount_fen, status, explanation_hash, created_at) VALUES (?, 'talent-allowance', 'talent', ?, '', ?, 1, 'cash', ?, 'pending', 'h', 't')", [run, tid, YEAR, amount])
  return { s, talent, tid, ent, amount }
}

export async function after({ s }) {
  await s.stop()
}

export const tests = {
  async 'a talent at 375 px changes their phone: a bad number is refused beside the field, a good one saved'(ctx) {
    const { s, talent, tid } = ctx
    const { browser, page, errors } = await openBrowser({ phone: true })
    try {
      await login(page, s, 'talent', await s.account('talent'))
      await page.goto(s.url + '/me')
      await page.locator('[data-test=edit-profile]').click()
      await page.waitForURL((u) => u.pathname === '/me/profile')
      await page.locator('[data-test=contact-phone]').waitFor()
      await checkA11y(page, 'profile')
      await checkKeyboard(page, 'profile')
      assert.equal(await scrollsSideways(page), false, 'the profile form fits 375 px')
      await shot(page, 'profile-form')
      const before = await talent.call('GET', `/api/v1/talents/${tid}`)

      // a bad number: the server's rule shown beside the phone field, nothing stored
      await page.locator('#pf-phone').fill('12345')
      await page.locator('[data-test=profile-save]').click()
      await fieldError(page, 'pf-phone').waitFor()
      assert.match(await fieldError(page, 'pf-phone').innerText(), /电话号码格式不正确/)
      assert.equal(await page.locator('.el-alert--error').count(), 0, 'the error stands beside its field, not in a banner')
      const still = await talent.call('GET', `/api/v1/talents/${tid}`)
      assert.deepEqual([still.phone, still.version], [before.phone, before.version], 'a refused change stores nothing')
      assert.equal(await scrollsSideways(page), false, 'the error fits 375 px')
      await shot(page, 'profile-bad-phone')

      // a good one: saved, the error gone, shown masked
      const good = before.phone === maskMobile('13912345678') ? '13687654321' : '13912345678'
      await page.locator('#pf-phone').fill(good)
      await page.locator('[data-test=profile-save]').click()
      await page.locator('[data-test=contact-phone]').filter({ hasText: maskMobile(good) }).waitFor()
      await fieldError(page, 'pf-phone').waitFor({ state: 'hidden', timeout: 5000 })   // the error went away
      const after = await talent.call('GET', `/api/v1/talents/${tid}`)
      assert.equal(after.phone, maskMobile(good))
      assert.equal(after.version, before.version + 1)
      assert.equal(await scrollsSideways(page), false)
      await shot(page, 'profile-saved')
      // the home page shows it too
      await page.goto(s.url + '/me')
      await page.locator('[data-test=profile]').filter({ hasText: maskMobile(good) }).waitFor()
      assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no errors in the browser console')
    } finally {
      await browser.close()
    }
  },

  async 'a confirmed entitlement is a notice in the bell; marked read, the count goes to 0'(ctx) {
    const { s, talent, ent, amount } = ctx
    const office = await s.api('office')
    const r = await office.call('POST', '/api/v1/entitlements/confirm', { ids: [ent] }, { 'Idempotency-Key': randomUUID() })
    assert.equal(r.confirmed, 1)
    const listed = await talent.call('GET', '/api/v1/notices')
    assert.equal(listed.unread, 1, 'one confirmation, one unread notice')
    const notice = listed.items.find((n) => n.entitlement_id === ent)
    assert.ok(notice && notice.read_at === null)

    const { browser, page, errors } = await openBrowser({ phone: true })
    try {
      await login(page, s, 'talent', await s.account('talent'))
      await page.goto(s.url + '/me')
      const bell = page.locator('header [data-test=notice-bell]')
      await page.locator('header [data-test=notice-bell][data-unread="1"]').waitFor()
      assert.equal((await bell.locator('.el-badge__content').innerText()).trim(), '1')
      assert.equal(await bell.getAttribute('href'), '/me/notices', 'the bell is a real link (keyboard)')
      assert.match(await bell.getAttribute('aria-label'), /1 条未读/)
      await bell.click()
      await page.waitForURL((u) => u.pathname === '/me/notices')
      const card = page.locator(`[data-test=notice][data-id="${notice.id}"]`)
      await card.waitFor()
      assert.equal(await card.getAttribute('data-read'), 'no')
      assert.ok((await card.innerText()).includes(money(amount)), 'the amount, as money')
      assert.ok((await card.innerText()).includes('待遇已确认'), 'the kind in words')
      await checkA11y(page, 'notices')
      await checkKeyboard(page, 'notices')
      assert.equal(await scrollsSideways(page), false, 'the notices page fits 375 px')
      await shot(page, 'notices-unread')

      await card.locator('[data-test=mark-read]').click()
      await page.locator(`[data-test=notice][data-id="${notice.id}"][data-read=yes]`).waitFor()
      await page.locator('header [data-test=notice-bell][data-unread="0"]').waitFor()
      await bell.locator('.el-badge__content').waitFor({ state: 'hidden', timeout: 5000 })   // no number on the bell
      const now = await talent.call('GET', '/api/v1/notices')
      assert.equal(now.unread, 0)
      assert.ok(now.items.find((n) => n.id === notice.id).read_at, 'the API says read')
      assert.equal(await page.locator('[data-test=mark-all]').isDisabled(), true, 'nothing left to mark')
      await shot(page, 'notices-read')
      assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no errors in the browser console')
    } finally {
      await browser.close()
    }
  },

  async 'the employer registers the enterprise account with its password and sees it masked'(ctx) {
    const { s } = ctx
    const emp = await s.api('employer')
    const eid = (await emp.call('GET', '/api/v1/session')).user.enterprise_id
    const ent = await emp.call('GET', `/api/v1/enterprises/${eid}`)
    const number = '3500112233445566'
    const { browser, page, errors } = await openBrowser()
    try {
      await login(page, s, 'employer', await s.account('employer'))
      await page.goto(s.url + '/org/bank-account')
      await page.locator('#ebank-name').waitFor()
      await page.locator('header [data-test=notice-bell]').waitFor()   // employers get the bell too
      await page.waitForFunction(() => document.querySelector('#ebank-name').value !== '')
      assert.equal(await page.locator('#ebank-name').inputValue(), ent.name, 'the holder: the registered name')
      await checkA11y(page, 'org bank account')
      await checkKeyboard(page, 'org bank account')
      await shot(page, 'org-bank-empty')

      await page.locator('#ebank-bank').fill('中国银行')
      await page.locator('#ebank-branch').fill('晋江支行')
      await page.locator('#ebank-number').fill(number)
      // a wrong password: refused beside the field, nothing stored
      await page.locator('#ebank-password').fill('not-my-password')
      await page.locator('[data-test=bank-save]').click()
      await fieldError(page, 'ebank-password').waitFor()
      await assert.rejects(emp.call('GET', `/api/v1/enterprises/${eid}/bank-account`), (e) => e.status === 404)

      await page.locator('#ebank-password').fill(PASSWORD)
      await page.locator('[data-test=bank-save]').click()
      const shown = page.locator('[data-test=bank-number]')
      await shown.waitFor()
      const masked = (await shown.innerText()).trim()
      assert.ok(!masked.replace(/\D/g, '').includes(number.slice(0, 8)), `masked: ${masked}`)
      assert.ok(masked.includes('*') && masked.replace(/\s/g, '').endsWith(number.slice(-4)), `masked: ${masked}`)
      const acc = await emp.call('GET', `/api/v1/enterprises/${eid}/bank-account`)
      assert.equal(acc.account_number_masked, masked)
      assert.equal(acc.account_name, ent.name)
      assert.equal(await page.locator('#ebank-password').inputValue(), '', 'the password is not kept in the form')
      assert.equal(await page.locator('[data-test=bank-hold]').count(), 0, 'a first account holds nothing')
      await shot(page, 'org-bank-saved')

      // a change within the hold period: payments wait, and the page says so
      await page.locator('#ebank-number').fill('3500112233447788')
      await page.locator('#ebank-reason').fill('开户行变更')
      await page.locator('#ebank-password').fill(PASSWORD)
      await page.locator('[data-test=bank-save]').click()
      await page.locator('[data-test=bank-number]').filter({ hasText: '7788' }).waitFor()
      await page.locator('[data-test=bank-hold]').waitFor()
      const changed = await emp.call('GET', `/api/v1/enterprises/${eid}/bank-account`)
      assert.deepEqual([changed.is_change, changed.payment_hold], [true, true])
      await checkA11y(page, 'org bank account changed')
      await shot(page, 'org-bank-hold')
      assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no errors in the browser console')
    } finally {
      await browser.close()
    }
  },
}
