// Money corrections through the browser (issue 7: every capability of the API usable from the
// browser; issue 6 item 6, docs/payments.md "Retroactive changes"): the office recalculates a
// year after a fact change and sees the arrears and the clawback it wrote, waives the clawback
// with a reason; the office cancels one pending entitlement from the confirmation page; the
// auditor runs the ledger check (every invariant OK, then a broken entry named); the reminders
// page lists an application once its deadline has passed on the test clock and links to it.
//
// Amounts from /work/shared/reference/default-pack.md, talent-allowance: floor(annual × n / 12)
// 元 for n insured months of the year in which the tier is valid, annual 80000 元 at tier 3:
//   A: 10 months → floor(80000 × 10 / 12) = 66666 元; corrected to 12 → 80000 元:
//      arrears 80000 − 66666 = 13334 元 = 1333400 fen;
//   B: 12 months → 80000 元; corrected to 9 → floor(80000 × 9 / 12) = 60000 元:
//      clawback 60000 − 80000 = −20000 元 = −2000000 fen.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startServer, makeClock, openBrowser, shot, checkA11y, checkKeyboard, assert, BIN, ROOT, loginAs } from './harness.mjs'

const YEAR = new Date().getFullYear()
const POLICY = 'talent-allowance'
const DAY = 86400
const ARREARS_FEN = (80000 - Math.floor((80000 * 10) / 12)) * 100        // 1333400
const CLAWBACK_FEN = (Math.floor((80000 * 9) / 12) - 80000) * 100         // -2000000
const money = (fen) => (fen < 0 ? '-' : '') + '¥' + new Intl.NumberFormat('zh-CN').format(Math.trunc(Math.abs(fen) / 100)) + '.' + String(Math.abs(fen) % 100).padStart(2, '0')
const months = (n) => Array.from({ length: n }, (_, i) => i + 1)

/** One SQL statement on the test's database (python3's sqlite3; the server keeps running). */
function sql(db, query, params = []) {
  const py = 'import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1],timeout=10)\n' +
    'r=c.execute(sys.argv[2],json.loads(sys.argv[3])).fetchall()\nc.commit()\nprint(json.dumps(r))'
  return JSON.parse(execFileSync('python3', ['-c', py, db, query, JSON.stringify(params)], { encoding: 'utf8' }))
}

/** An 18-character resident ID number (GB 11643 check character). */
function idNumber(seq, birth = '19870615', region = '350582') {
  const first = `${region}${birth}${String(seq % 1000).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first].reduce((a, ch, i) => a + Number(ch) * w[i], 0)
  return first + '10X98765432'[sum % 11]
}

export async function before() {
  const clock = makeClock()
  process.env.TALENTPORT_TEST_CLOCK = clock.path
  const s = await startServer()
  delete process.env.TALENTPORT_TEST_CLOCK
  const office = await s.api('office')
  // two tier-3 talents: A insured 10 months of the year, B 12
  const tids = []
  for (const [seq, n] of [[901, 10], [902, 12]]) {
    const t = await office.call('POST', '/api/v1/talents', {
      name: `重算${seq}`, id_number: idNumber(seq),
      tier: { level: 3, from: `${YEAR - 2}-01-01`, to: `${YEAR + 2}-12-31` },
      insured_months: { [YEAR]: months(n) },
    })
    tids.push(t.id)
  }
  // the policy engine's run of the year: everyone's allowances pending
  execFileSync(BIN, ['policy', 'run', '--period', String(YEAR), '--db', s.db, '--pack', join(ROOT, 'policies', 'jinjiang')], { stdio: 'ignore' })
  const ent = (tid) => sql(s.db, "SELECT id, amount_fen FROM entitlements WHERE policy = ? AND beneficiary_id = ? AND period_key = ? AND adjusts IS NULL", [POLICY, tid, String(YEAR)])[0]
  const [ea, eb] = tids.map(ent)
  assert.equal(ea[1], Math.floor((80000 * 10) / 12) * 100, 'A is owed 66666 元')
  assert.equal(eb[1], 8000000, 'B is owed 80000 元')
  // confirmed (a recalculation compares what the platform owes: confirmed or paid)
  await office.call('POST', '/api/v1/entitlements/confirm', { ids: [ea[0], eb[0]] }, { 'Idempotency-Key': `adj-confirm-${Date.now()}` })
  // the facts corrected afterwards: A was insured all 12 months, B only 9
  for (const [tid, n] of [[tids[0], 12], [tids[1], 9]]) {
    const t = await office.call('GET', `/api/v1/talents/${tid}`)
    await office.call('PATCH', `/api/v1/talents/${tid}`, { insured_months: { [YEAR]: months(n) }, version: t.version })
  }
  const desk = await openBrowser()
  return { s, clock, desk, tids, ea: ea[0], eb: eb[0] }
}

export async function after({ s, clock, desk }) {
  await desk.browser.close()
  await s.stop()
  clock.close()
}

/** Logs in as user a tick later on the test clock (a TOTP code is never reused). */
const as = (ctx, user) => { ctx.clock.tick(); return loginAs(ctx, user) }

export const tests = {
  async 'the office recalculates the year: arrears for A, a clawback for B; waives the clawback with a reason'(ctx) {
    const { s, tids: [a, b] } = ctx
    const page = await as(ctx, 'office')
    await page.goto(s.url + '/office/payments/recalculate')
    await page.locator('#recalc-year').waitFor()
    assert.equal(await page.locator('#recalc-year').inputValue(), String(YEAR))
    await checkA11y(page, 'recalculate')
    await page.locator('[data-test=recalc-run]').click()
    // the confirmation says what it does before doing it
    const box = page.locator('.el-message-box')
    await box.getByText(`重算 ${YEAR} 年已确认和已发放的现金待遇`).waitFor()
    await shot(page, 'adj-recalc-confirm')
    await box.getByRole('button', { name: '开始重算' }).click()
    await box.waitFor({ state: 'hidden' })   // its (hidden) prompt input must be gone before checkA11y
    const res = page.locator('[data-test=recalc-result]')
    await res.waitFor()
    // only A and B had confirmed allowances: one of each, the sums as worked out above
    await res.locator('[data-test=recalc-arrears]', { hasText: money(ARREARS_FEN) }).waitFor()
    await res.locator('[data-test=recalc-clawbacks]', { hasText: money(CLAWBACK_FEN) }).waitFor()
    assert.equal(await res.locator('[data-test=recalc-n]').innerText(), '2')
    const items = res.locator('.el-table__body tr')
    await items.filter({ hasText: '重算901' }).filter({ hasText: '补发' }).filter({ hasText: money(ARREARS_FEN) }).waitFor()
    await items.filter({ hasText: '重算902' }).filter({ hasText: '追回' }).filter({ hasText: money(CLAWBACK_FEN) }).waitFor()
    await checkA11y(page, 'recalculated')
    await shot(page, 'adj-recalc')

    // the adjustments page: both rows, kinds as tags, the clawback in red with its actions
    await page.goto(s.url + '/office/payments/adjustments')
    const table = page.locator('[data-test=adj-table]')
    const rowA = table.locator('.el-table__body tr', { hasText: '重算901' }).first()
    const rowB = table.locator('.el-table__body tr', { hasText: '重算902' }).first()
    await rowA.filter({ hasText: money(ARREARS_FEN) }).waitFor()
    await rowB.filter({ hasText: money(CLAWBACK_FEN) }).waitFor()
    assert.equal(await rowA.locator('[data-test=adj-kind]').innerText(), '补发')
    assert.equal(await rowB.locator('[data-test=adj-kind]').innerText(), '追回')
    assert.equal(await rowB.locator('[data-test=adj-status]').innerText(), '待确认')
    assert.ok(await rowB.locator('[data-test=adj-amount]').evaluate((el) => el.classList.contains('neg')), 'the clawback is shown as negative')
    // nothing offset yet: the whole clawback is outstanding (offset against B's later payments)
    await rowB.locator('[data-test=adj-offset]', { hasText: `待抵扣 ${money(-CLAWBACK_FEN)}` }).waitFor()
    await page.locator('[data-test=adj-total]', { hasText: `补发 ${money(ARREARS_FEN)}，追回 ${money(CLAWBACK_FEN)}` }).waitFor()
    // arrears cannot be waived (they are confirmed or cancelled); the clawback can
    assert.equal(await rowA.getByRole('button', { name: '免予追回' }).count(), 0)
    await rowA.getByRole('button', { name: '确认补发' }).waitFor()
    await checkA11y(page, 'adjustments')
    await checkKeyboard(page, 'adjustments')
    await shot(page, 'adj-list')
    await rowB.getByRole('button', { name: '免予追回' }).click()
    const dlg = page.locator('.el-dialog', { hasText: '免予追回 #' })
    await dlg.getByText('不再从受益人的发放中抵扣').waitFor()
    await checkA11y(page, 'waive dialog')
    // the reason is required: the dialog says so beside the field
    await dlg.locator('[data-test=reason-ok]').click()
    await dlg.locator('.el-form-item__error', { hasText: '请填写理由' }).waitFor()
    await page.locator('#adj-reason').fill('参保月数更正，经研究免予追回')
    await shot(page, 'adj-waive-dialog')
    await dlg.locator('[data-test=reason-ok]').click()
    await rowB.locator('[data-test=adj-status]', { hasText: '免予追回' }).waitFor()
    await rowB.locator('[data-test=adj-note]', { hasText: '参保月数更正，经研究免予追回' }).waitFor()
    assert.equal(await rowB.getByRole('button', { name: '免予追回' }).count(), 0, 'a decided clawback has no actions left')
    assert.equal(await rowB.locator('[data-test=adj-offset]').count(), 0, 'a waived clawback is no longer outstanding')
    // the API agrees
    const adj = (await (await s.api('office')).call('GET', `/api/v1/adjustments?period=${YEAR}`)).items
    const xb = adj.find((x) => x.beneficiary_id === b)
    const xa = adj.find((x) => x.beneficiary_id === a)
    assert.deepEqual([xb.kind, xb.amount_fen, xb.status, xb.note, xb.adjusts, xb.outstanding_fen], ['clawback', CLAWBACK_FEN, 'waived', '参保月数更正，经研究免予追回', ctx.eb, 0])
    assert.deepEqual([xa.kind, xa.amount_fen, xa.status, xa.adjusts], ['arrears', ARREARS_FEN, 'pending', ctx.ea])
    await shot(page, 'adj-waived')
    // A's arrears confirmed (the next payment run pays them)
    await rowA.getByRole('button', { name: '确认补发' }).click()
    await page.locator('.el-message-box', { hasText: money(ARREARS_FEN) }).getByRole('button', { name: '确认' }).click()
    await rowA.locator('[data-test=adj-status]', { hasText: '已确认' }).waitFor()
    assert.equal(await rowA.getByRole('button', { name: '确认补发' }).count(), 0)
    const [[st]] = sql(s.db, 'SELECT status FROM entitlements WHERE adjusts = ? AND beneficiary_id = ?', [ctx.ea, a])
    assert.equal(st, 'confirmed')
  },

  async 'the office cancels one pending entitlement from the confirmation page, with a reason'(ctx) {
    const { s } = ctx
    // a demo talent's pending allowance (the policy run's), and what is pending in all
    const [[id, fen, name]] = sql(s.db, "SELECT e.id, e.amount_fen, t.name FROM entitlements e JOIN talents t ON t.id = e.beneficiary_id WHERE e.policy = ? AND e.status = 'pending' AND e.kind = 'cash' AND e.amount_fen > 0 AND e.adjusts IS NULL AND e.period_key = ? AND e.beneficiary_kind = 'talent' ORDER BY e.id LIMIT 1", [POLICY, String(YEAR)])
    // (the report sums the year's keys "Y" and "Y-MM", A's pending arrears included)
    const [[pendingFen]] = sql(s.db, "SELECT SUM(amount_fen) FROM entitlements WHERE policy = ? AND status = 'pending' AND kind = 'cash' AND amount_fen > 0 AND (period_key = ? OR period_key LIKE ?)", [POLICY, String(YEAR), `${YEAR}-%`])
    const page = await as(ctx, 'office')
    await page.goto(s.url + '/office/payments/confirm')
    const row = page.locator('[data-test=conf-table] .el-table__row', { hasText: POLICY }).first()
    await row.filter({ hasText: money(pendingFen) }).waitFor()
    await row.getByRole('button', { name: '待确认的待遇' }).click()
    const list = page.locator('[data-test=conf-pending-table]')
    const entRow = (n) => list.locator('.el-table__body tr', { has: page.locator('[data-test=ent-id]', { hasText: new RegExp(`^#${n}$`) }) })
    const er = entRow(id)
    await er.filter({ hasText: name }).filter({ hasText: money(fen) }).waitFor()   // the beneficiary by name
    await checkA11y(page, 'confirm with pending list')
    await shot(page, 'adj-confirm-pending')
    await er.getByRole('button', { name: '取消待遇' }).click()
    const dlg = page.locator('.el-dialog', { hasText: `取消待遇 #${id}` })
    await dlg.getByText(money(fen)).waitFor()
    await page.locator('#conf-cancel-reason').fill('重复计算，取消')
    await checkA11y(page, 'cancel dialog')
    await dlg.locator('[data-test=reason-ok]').click()
    await page.locator('.el-message', { hasText: `待遇 #${id} 已取消` }).waitFor()
    // gone from the pending list, and the policy's pending sum is less by its amount
    await entRow(id).waitFor({ state: 'detached' })
    await row.filter({ hasText: money(pendingFen - fen) }).waitFor()
    const c = (await (await s.api('office')).call('GET', `/api/v1/entitlements?period=${YEAR}&status=cancelled&policy=${POLICY}`)).items
    const x = c.find((e) => e.id === id)
    assert.ok(x, 'the API lists it as cancelled')
    assert.equal(x.note, '重复计算，取消')
    await shot(page, 'adj-confirm-cancelled')
  },

  async 'the auditor runs the ledger check: every invariant OK; a broken entry is named'(ctx) {
    const { s } = ctx
    const page = await as(ctx, 'auditor')
    // the auditor reads the adjustments but decides nothing
    await page.goto(s.url + '/office/payments/adjustments')
    await page.locator('[data-test=adj-table] .el-table__body tr', { hasText: '重算902' }).first().waitFor()
    assert.equal(await page.getByRole('button', { name: '免予追回' }).count(), 0)
    assert.equal(await page.getByRole('button', { name: '取消待遇' }).count(), 0)
    // the menu has the ledger check
    await page.locator('.el-menu-item', { hasText: '账务核对' }).click()
    await page.waitForURL(/\/office\/payments\/ledger$/)
    await page.locator('[data-test=ledger-verdict]', { hasText: '全部正常' }).waitFor()
    const states = page.locator('[data-test=ledger-invariants] [data-test=inv-state]')
    assert.deepEqual(await states.allInnerTexts(), Array(6).fill('正常'))
    await page.locator('[data-test=ledger-sum]', { hasText: '¥0.00' }).waitFor()
    await checkA11y(page, 'ledger')
    await checkKeyboard(page, 'ledger')
    await shot(page, 'adj-ledger')
    // an entry whose postings do not balance (written behind the platform's back; the
    // ledger is append-only, this database is the test's): invariant 1 names it, the later
    // ones are not checked
    const [[entry]] = sql(s.db, "INSERT INTO ledger_entries (kind, memo, created_at) VALUES ('correction', 'browser test', '2026-01-01T00:00:00Z') RETURNING id")
    sql(s.db, "INSERT INTO ledger_postings (entry_id, account, amount_fen) VALUES (?, 'bank_clearing', 5)", [entry])
    await page.locator('[data-test=ledger-run]').click()
    await page.locator('[data-test=ledger-verdict]', { hasText: '发现问题' }).waitFor()
    assert.deepEqual(await states.allInnerTexts(), ['违反', ...Array(5).fill('未核对（前一项已违反）')])
    await page.locator('[data-test=inv-violation]', { hasText: `entry ${entry} does not balance` }).waitFor()
    await shot(page, 'adj-ledger-broken')
    // in English: the same verdict in words, the title follows
    await page.getByRole('button', { name: 'English' }).click()
    await page.locator('[data-test=ledger-verdict]', { hasText: 'Problem found' }).waitFor()
    assert.deepEqual(await states.allInnerTexts(), ['Violated', ...Array(5).fill('Not checked (an earlier one failed)')])
    assert.equal(await page.title(), 'Ledger check - TalentPort')
    await shot(page, 'adj-ledger-en')
    await page.getByRole('button', { name: '中文' }).click()
  },

  async 'reminders: an application whose deadline passes on the test clock is listed and opens'(ctx) {
    const { s, clock } = ctx
    // an open step whose deadline has not passed yet (the demo's office review)
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)   // UTC+8
    const open = sql(s.db, "SELECT id, deadline, state FROM applications WHERE deadline IS NOT NULL AND deadline >= ? AND state = 'office_review' ORDER BY id", [today])
    assert.ok(open.length >= 1, 'the demo has an office review not yet due')
    const [app, deadline] = open[0]
    let page = await as(ctx, 'office')
    await page.goto(s.url + '/office/reminders')
    const table = page.locator('[data-test=rem-table]')
    await table.locator('.el-table__body, .el-table__empty-text').first().waitFor()
    await page.waitForLoadState('networkidle')
    assert.equal(await table.locator(`[data-test=rem-link]`, { hasText: `#${app}` }).count(), 0, 'not overdue yet')
    // 30 days on: the deadline (a working day of this step) has passed
    clock.advance(30 * DAY)
    page = await as(ctx, 'office')
    await page.goto(s.url + '/office/reminders')
    const row = table.locator('.el-table__body tr', { hasText: `#${app}` }).first()
    const [y, m, d] = deadline.split('-').map(Number)
    await row.filter({ hasText: `${y}年${m}月${d}日` }).filter({ hasText: '已超期' }).waitFor()
    await row.filter({ hasText: '人才办审核员' }).waitFor()
    await checkA11y(page, 'reminders')
    await checkKeyboard(page, 'reminders')
    await shot(page, 'adj-reminders')
    await row.locator('[data-test=rem-link]').click()
    await page.waitForURL(new RegExp(`/office/applications/${app}$`))
    await page.locator('h1').first().waitFor()
    await shot(page, 'adj-reminder-opened')
    // no script errors on any page of this file (failed requests are the tests' own 4xx)
    const bad = ctx.desk.errors.filter((e) => !/Failed to load resource/.test(e))
    assert.deepEqual(bad, [], 'page errors')
  },
}
