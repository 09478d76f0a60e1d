// Money pages through the browser (issue 7 item 5, issue 6): a month of payments on the demo
// data — the policy engine's run makes the pending allowances; the office confirms them in
// bulk and builds a run (only the talents with a bank account get lines, the others wait
// "no bank account"); submits; the submitter is refused as approver (four eyes); finance
// approves with its password and downloads the bank file (the export); a bank result with two
// failures comes back and the failed lines show their reasons; the next run takes the failure
// whose account is still good and the office cancels it.  Then the reports page and the
// dashboard (charts drawn, figures equal to the API's, PNG and XLSX exports, English).  Amounts are worked out from the
// entitlements in the database, never copied from the page.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { startServer, openBrowser, shot, checkA11y, checkKeyboard, assert, BIN, ROOT, PASSWORD, loginAs, closeAll } from './harness.mjs'

const YEAR = String(new Date().getFullYear())
const MONTH = `${YEAR}-${String(new Date().getMonth() + 1).padStart(2, '0')}`
const POLICY = 'talent-allowance'

/** One SQL statement on the test's database (python3's sqlite3; the server keeps running). */
function sql(db, query, params = []) {
  const py = 'import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1],timeout=10)\n' +
    'r=c.execute(sys.argv[2],json.loads(sys.argv[3])).fetchall()\nc.commit()\nprint(json.dumps(r))'
  return JSON.parse(execFileSync('python3', ['-c', py, db, query, JSON.stringify(params)], { encoding: 'utf8' }))
}

/** A 16-digit card number passing the Luhn check. */
function luhnCard(seq) {
  const body = '622200000000' + String(seq).padStart(3, '0')
  let sum = 0
  ;[...body].reverse().forEach((ch, i) => {
    let d = +ch
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  })
  return body + ((10 - (sum % 10)) % 10)
}

const yuan = (fen) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
const money = (fen) => '¥' + new Intl.NumberFormat('zh-CN').format(Math.trunc(fen / 100)) + '.' + String(fen % 100).padStart(2, '0')

const as = loginAs

async function runState(page, zh) {
  await page.locator('[data-test=pay-state]').filter({ hasText: zh }).waitFor()
}

export async function before() {
  const s = await startServer()
  // the policy engine's whole-population run of the year: pending entitlements
  execFileSync(BIN, ['policy', 'run', '--period', YEAR, '--db', s.db, '--pack', join(ROOT, 'policies', 'jinjiang')], { stdio: 'ignore' })
  const pending = sql(s.db, "SELECT id, beneficiary_id, amount_fen FROM entitlements WHERE policy = ? AND status = 'pending' AND kind = 'cash' ORDER BY period_key, id", [POLICY])
  assert.ok(pending.length >= 3, 'the demo talents have allowances')
  // three of them get a bank account (the office registers it, re-authenticating)
  const office = await s.api('office')
  const paid = pending.slice(0, 3)
  for (const [k, [, tid]] of paid.entries()) {
    const t = await office.call('GET', `/api/v1/talents/${tid}`)
    await office.call('PUT', `/api/v1/talents/${tid}/bank-account`, {
      bank: '中国工商银行', branch: '晋江支行', account_name: t.name, account_number: luhnCard(k + 1),
      reason: '首次登记', current_password: PASSWORD,
    }, { 'Idempotency-Key': randomUUID() })
  }
  // the allowance is announced (公示) before it is paid (docs/payments.md: payments.announce)
  sql(s.db, "INSERT INTO settings (key, value) VALUES ('payments.announce', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [POLICY])
  const desk = await openBrowser()
  return { s, desk, pending, paid, run: null, lines: null }
}

export { closeAll as after }

export const tests = {
  async 'the office confirms the pending allowances in bulk and builds a run'(ctx) {
    const page = await as(ctx, 'office')
    await page.goto(ctx.s.url + '/office/payments/confirm')
    const row = page.locator('[data-test=conf-table] .el-table__row', { hasText: POLICY })
    const pendingFen = ctx.pending.reduce((a, x) => a + x[2], 0)
    await row.filter({ hasText: money(pendingFen) }).waitFor()
    // a budget for the allowance (1,000,000 元, more than it needs: it caps nothing here)
    await row.getByRole('button', { name: '设置预算' }).click()
    await page.locator('#conf-budget').fill('1000000')
    await checkA11y(page, 'budget dialog')
    await page.locator('.el-dialog').getByRole('button', { name: '保存' }).click()
    await row.filter({ hasText: '¥1,000,000.00' }).waitFor()
    await checkA11y(page, 'confirm')
    await shot(page, 'pay-confirm')
    await row.getByRole('button', { name: '确认该政策的待遇' }).click()
    await page.locator('.el-message-box').getByRole('button', { name: '确认' }).click()
    await page.locator('.el-message', { hasText: `已确认 ${ctx.pending.length} 条待遇` }).waitFor()

    await page.goto(ctx.s.url + '/office/payments')
    await page.locator('#pay-period').waitFor()
    assert.equal(await page.locator('#pay-period').inputValue(), MONTH)
    await checkA11y(page, 'runs')
    await page.locator('[data-test=pay-build]').click()
    await page.waitForURL(/\/office\/payments\/\d+$/)
    await runState(page, '草稿')
    const id = Number(/(\d+)$/.exec(page.url())[1])
    // lines: the three talents with an account; everyone else waits for one
    const want = ctx.paid.reduce((a, x) => a + x[2], 0)
    await page.locator('[data-test=pay-total]', { hasText: money(want) }).waitFor()
    const lineRows = page.locator('[data-test=pay-lines] .el-table__body tr')
    await lineRows.nth(2).waitFor()
    assert.equal(await lineRows.count(), 3)
    await page.getByRole('tab', { name: /等待中的待遇/ }).click()
    await page.locator('.sums', { hasText: `无可用银行账户：${ctx.pending.length - 3}` }).waitFor()
    await checkA11y(page, 'run draft')
    await shot(page, 'pay-run-draft')
    await page.getByRole('button', { name: '提交审批' }).click()
    await page.locator('.el-message-box').getByRole('button', { name: '确认' }).click()
    await runState(page, '待审批')
    ctx.run = id
    await page.goto(ctx.s.url + '/office/payments')
    await page.locator('[data-test=pay-runs]', { hasText: '#' + id }).waitFor()
    await checkKeyboard(page, 'runs')
    await shot(page, 'pay-runs')
  },

  async 'four eyes: the one who prepared and submitted the run may not approve it'(ctx) {
    assert.ok(ctx.run, 'a run was built')
    // the office account turned finance (as the API test does): the server still refuses
    sql(ctx.s.db, "UPDATE users SET role = 'finance' WHERE username = 'office'")
    try {
      const page = await as(ctx, 'office')
      await page.goto(`${ctx.s.url}/office/payments/${ctx.run}`)
      await page.getByRole('button', { name: '审批通过' }).click()
      await page.locator('#pay-approve-pw').fill(PASSWORD)
      await page.locator('[data-test=pay-approve-ok]').click()
      await page.locator('[data-test=pay-approve-error]', { hasText: '四眼原则' }).waitFor()
      await shot(page, 'pay-four-eyes')
    } finally {
      sql(ctx.s.db, "UPDATE users SET role = 'office_reviewer' WHERE username = 'office'")
    }
  },

  async 'finance approves with its password; the allowance is announced (公示) first'(ctx) {
    assert.ok(ctx.run, 'a run was built')
    const page = await as(ctx, 'finance')
    await page.goto(`${ctx.s.url}/office/payments/${ctx.run}`)
    await runState(page, '待审批')
    await page.getByRole('button', { name: '审批通过' }).click()
    await page.locator('#pay-approve-pw').fill('not-my-password-1')
    await page.locator('[data-test=pay-approve-ok]').click()
    await page.locator('.el-dialog .el-form-item__error', { hasText: '密码不正确' }).waitFor()
    await checkA11y(page, 'approve dialog')
    await page.locator('#pay-approve-pw').fill(PASSWORD)
    await page.locator('[data-test=pay-approve-ok]').click()
    // the setting payments.announce lists the allowance: approved → announced
    await runState(page, '公示中')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '公示名单 (CSV)' }).click()])
    const rows = readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','))
    const want = ctx.paid.reduce((a, x) => a + x[2], 0)
    assert.equal(rows.length, 1 + 3 + 1, 'caption, three lines, the total')
    for (const r of rows.slice(1, 4)) assert.match(r[1], /^.\*+$/, 'names masked: the first character kept')
    assert.deepEqual([rows[4][0], rows[4][1], rows[4].at(-1)], ['合计', '3笔', yuan(want)])
    await shot(page, 'pay-run-announced')
  },

  async 'the office ends the announcement'(ctx) {
    const page = await as(ctx, 'office')
    await page.goto(`${ctx.s.url}/office/payments/${ctx.run}`)
    await runState(page, '公示中')
    await page.getByRole('button', { name: '结束公示' }).click()
    await runState(page, '已审批')
  },

  async 'finance downloads the bank file: the export, with its control count and total'(ctx) {
    const page = await as(ctx, 'finance')
    await page.goto(`${ctx.s.url}/office/payments/${ctx.run}`)
    await runState(page, '已审批')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载银行代发文件' }).click()])
    await runState(page, '已导出')
    const text = readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, '')
    const recs = text.trim().split('\r\n').map((l) => l.split(','))
    const want = ctx.paid.reduce((a, x) => a + x[2], 0)
    assert.equal(recs[0][0], 'H')
    assert.deepEqual([recs[0][3], recs[0][4]], ['3', yuan(want)])
    assert.deepEqual(recs.at(-1), ['T', '3', yuan(want)])
    ctx.lines = recs.filter((r) => r[0] === 'D').map((r) => ({ id: r[1], amount: r[6] }))
    assert.equal(ctx.lines.length, 3)
    await checkA11y(page, 'run exported')
    await checkKeyboard(page, 'run exported', 'main [data-test=pay-actions] button:not([disabled])')
    await shot(page, 'pay-run-exported')
  },

  async 'a bank result with two failures: the failed lines show the bank\'s reasons'(ctx) {
    assert.ok(ctx.lines, 'the bank file was read')
    const page = ctx.desk.page
    const [a, b, c] = ctx.lines
    const csv = '\uFEFF明细编号,状态,金额,原因,银行流水\r\n' +
      `${a.id},成功,${a.amount},,B1\r\n${b.id},失败,${b.amount},账户已销户,B2\r\n${c.id},失败,${c.amount},户名不符,B3\r\n` +
      '999999,成功,1.00,,B4\r\n'
    await page.getByRole('button', { name: '导入银行回盘文件' }).click()
    await checkA11y(page, 'import dialog')
    await page.locator('#pay-import-file').setInputFiles({ name: 'result.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.locator('[data-test=pay-import-ok]').click()
    const rep = page.locator('[data-test=pay-import-report]')
    await rep.getByText('匹配 3 行，成功 1，失败 2').waitFor()
    // the unmatched row is reported, not applied
    await page.locator('[data-test=pay-issues]', { hasText: '999999' }).waitFor()
    await runState(page, '已对账')
    const failedFen = [b, c].reduce((s, x) => s + Math.round(Number(x.amount) * 100), 0)
    await page.locator('[data-test=pay-failed]', { hasText: `2 / ${money(failedFen)}` }).waitFor()
    // the lines filtered to "failed" (set by the import): two rows with the bank's reasons
    const rows = page.locator('[data-test=pay-lines] .el-table__body tr')
    await rows.filter({ hasText: '户名不符' }).waitFor()
    assert.equal(await rows.count(), 2)
    await rows.filter({ hasText: '账户已销户' }).waitFor()
    await checkA11y(page, 'run reconciled')
    await shot(page, 'pay-run-reconciled')
  },

  async 'the next run takes the failure back, not the closed account; the office cancels it'(ctx) {
    assert.ok(ctx.lines, 'the bank result was imported')
    // docs/payments.md: a failed line returns to the queue; the "account closed" one now has
    // no usable account (it waits), the "name mismatch" one is paid again by the next run
    const c = ctx.lines[2]
    const page = await as(ctx, 'office')
    await page.goto(ctx.s.url + '/office/payments')
    await page.locator('[data-test=pay-build]').click()
    await page.waitForURL((u) => /\/office\/payments\/\d+$/.test(u.pathname) && !u.pathname.endsWith('/' + ctx.run))
    await runState(page, '草稿')
    await page.locator('[data-test=pay-total]', { hasText: money(Math.round(Number(c.amount) * 100)) }).waitFor()
    await page.getByRole('tab', { name: /等待中的待遇/ }).click()
    await page.locator('.sums', { hasText: `无可用银行账户：${ctx.pending.length - 3 + 1}` }).waitFor()
    await page.getByRole('button', { name: '取消批次' }).click()
    await page.locator('#pay-cancel-reason').fill('测试：重新核对后再发')
    await checkA11y(page, 'cancel dialog')
    await page.locator('.el-dialog').getByRole('button', { name: '取消批次' }).click()
    await runState(page, '已取消')
    await page.locator('[data-test=pay-totals]', { hasText: '测试：重新核对后再发' }).waitFor()
  },

  async 'reports: paid and owed per policy, with the XLSX'(ctx) {
    const page = await as(ctx, 'auditor')
    await page.goto(ctx.s.url + '/office/payments/reports')
    const paidFen = ctx.lines ? Math.round(Number(ctx.lines[0].amount) * 100) : 0
    await page.locator('[data-test=rep-table] .el-table__row', { hasText: '人才津贴' }).filter({ hasText: money(paidFen) }).waitFor()
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出数据' }).click()])
    assert.match(dl.suggestedFilename(), /\.xlsx$/)
    await checkA11y(page, 'reports')
    await shot(page, 'pay-reports')
  },

  async 'the dashboard draws its charts with the API\'s figures'(ctx) {
    const page = await as(ctx, 'office')
    await page.goto(ctx.s.url + '/office/dashboard')
    const office = await ctx.s.api('office')
    const d = await office.call('GET', '/api/v1/dashboard')
    const rep = await office.call('GET', `/api/v1/reports/payments?year=${YEAR}&by=policy`)
    for (const name of ['tier', 'benefits', 'industry', 'degree', 'town', 'applications'])
      await page.locator(`[data-test=chart-${name}] canvas`).first().waitFor()
    // figures: the totals of the API's groups
    const sum = (rows) => rows.reduce((a, x) => a + x.count, 0)
    assert.equal(d.talents, sum(d.tier))
    assert.equal(d.talents, sum(d.town))
    const n = (x) => x.toLocaleString('zh-CN')
    await page.locator('[data-test=dash-talents]', { hasText: n(d.talents) }).waitFor()
    await page.locator('[data-test=dash-applications]', { hasText: n(sum(d.application_states)) }).waitFor()
    await page.locator('[data-test=dash-overdue]', { hasText: n(d.overdue) }).waitFor()
    await page.locator('[data-test=dash-paid]', { hasText: money(rep.total.paid_fen) }).waitFor()
    assert.equal(rep.total.budget_fen, 100000000, 'the budget set on the confirm page')
    await page.locator('[data-test=dash-budget]', { hasText: money(rep.total.budget_fen) }).waitFor()
    assert.equal(d.talents, 300, 'the demo has 300 talents')
    // exports: the chart as PNG, its data as XLSX
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=chart-tier]').getByRole('button', { name: /导出图片/ }).click()])
    assert.equal(png.suggestedFilename(), 'tier.png')
    assert.equal(readFileSync(await png.path()).subarray(1, 4).toString(), 'PNG')
    const [xl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=chart-tier]').getByRole('button', { name: /导出数据/ }).click()])
    assert.equal(xl.suggestedFilename(), 'dashboard-tier.xlsx')
    assert.equal(readFileSync(await xl.path()).subarray(0, 2).toString(), 'PK')
    await checkA11y(page, 'dashboard')
    await checkKeyboard(page, 'dashboard')
    // nothing broke in the page: no script error, nothing the Content-Security-Policy refused
    // (the API's refusals — 403 four eyes, 422 wrong password — are expected console lines)
    const bad = ctx.desk.errors.filter((e) => !/Failed to load resource/.test(e))
    assert.deepEqual(bad, [], 'page errors')
    await shot(page, 'dashboard')
    // English one click away: the chart titles follow
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Talents by tier' }).waitFor()
    assert.equal(await page.title(), 'Dashboard - TalentPort')
    await shot(page, 'dashboard-en')
    await page.getByRole('button', { name: '中文' }).click()
  },

  async 'a bank account changed within 30 days holds the payment until finance confirms the change'(ctx) {
    const { s } = ctx
    // docs/payments-accounts.md: a change (not a first registration) holds the next payment
    // until office or finance — not the one who changed it — confirms it
    const [eid, tid] = ctx.pending[3]
    const office = await s.api('office')
    const t = await office.call('GET', `/api/v1/talents/${tid}`)
    for (const [k, why] of [[11, '首次登记'], [12, '本人更换银行卡']])
      await office.call('PUT', `/api/v1/talents/${tid}/bank-account`, {
        bank: '中国工商银行', branch: '晋江支行', account_name: t.name, account_number: luhnCard(k),
        reason: why, current_password: PASSWORD,
      }, { 'Idempotency-Key': randomUUID() })
    const held = await office.call('GET', `/api/v1/talents/${tid}/bank-account`)
    assert.equal((held.account || held).payment_hold, true, 'a change made today holds the payment')
    let page = await as(ctx, 'office')
    await page.goto(s.url + '/office/payments')
    await page.locator('[data-test=pay-build]').click()
    await page.waitForURL((u) => /\/office\/payments\/\d+$/.test(u.pathname))
    const run = new URL(page.url()).pathname.split('/').pop()
    await runState(page, '草稿')
    page = await as(ctx, 'finance')
    await page.goto(`${s.url}/office/payments/${run}`)
    await page.getByRole('tab', { name: /等待中的待遇/ }).click()
    await page.locator('.sums', { hasText: '银行账户 30 天内变更，待核实：1' }).waitFor()
    await page.locator(`[data-test=release-${eid}]`).click()
    await page.locator('.el-message-box input').fill('已电话核实本人')
    await page.locator('.el-message-box').getByRole('button', { name: '确认' }).click()
    await page.getByText('已核实，下次发放将正常支付').waitFor()
    // the account: a change, no longer holding payments, confirmed by finance
    const acc = await (await s.api('finance')).call('GET', `/api/v1/talents/${tid}/bank-account`)
    const a = acc.account || acc
    assert.deepEqual([a.is_change, a.payment_hold, a.confirmed_by ? 'confirmed' : 'not'], [true, false, 'confirmed'], JSON.stringify(acc).slice(0, 400))
    await shot(page, 'pay-release-hold')
  },
}
