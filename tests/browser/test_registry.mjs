// The registry pages, editable (issue 7: every capability of the API usable from the
// browser).  The office reviewer registers a talent — a wrong ID number is refused beside
// its field and nothing is stored, a good one is listed with its number masked; edits its
// degree (the detail and the audit log show the change; an edit made meanwhile by someone
// else is refused and the page reloads); adds an employment at a demo enterprise and ends
// it; registers and edits an enterprise (its detail page).  Finance opens the talent's
// bank-account history after a change made over the API and sees the numbers masked, who
// changed it and that the change awaits confirmation — and confirms it (four eyes); and an
// enterprise's account, masked.  A town reviewer registers a talent of their own town only
// and is not offered the office's certification fields.
//
// Who may do what is src/http/routes.c: talents, enterprises and employments are written by
// REGISTRY_WRITERS (office and town reviewers); the bank-account history is read by office
// reviewers and finance.  The audit record of a talent edit carries the BLAKE2b-256 of
// "v<version>|name|town|industry|tier|enterprise|degree|title" (src/domain/talents.c).
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { startServer, openBrowser, shot, checkA11y, checkKeyboard, assert, PASSWORD, pick, pickRemote, listsClosed, fieldError, loginAs, closeAll } from './harness.mjs'

const TODAY = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
const zhDate = (d) => { const [y, m, day] = d.split('-'); return `${+y}年${+m}月${+day}日` }

/** An 18-character ID number (GB 11643 MOD 11-2 check character). */
function idNumber(seq) {
  const first17 = `350582199003${String(10 + (seq % 18)).padStart(2, '0')}${String(seq % 1000).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((a, d, i) => a + Number(d) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

/** A unified social credit code (GB 32100-2015 check character over the first 17). */
function creditCode(seq) {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const first17 = `91350582MA${String(seq).padStart(7, '0')}`
  const sum = [...first17].reduce((a, ch, i) => a + A.indexOf(ch) * W[i], 0)
  return first17 + A[(31 - (sum % 31)) % 31]
}

/** A 16-digit card number passing the Luhn check. */
function luhnCard(seq) {
  const body = '621700000000' + String(seq).padStart(3, '0')
  let sum = 0
  ;[...body].reverse().forEach((ch, i) => {
    let d = +ch
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  })
  return body + ((10 - (sum % 10)) % 10)
}

/** BLAKE2b-256 hex of a UTF-8 string (libsodium's crypto_generichash; python3's hashlib). */
function blake2b256(s) {
  return execFileSync('python3', ['-c', 'import hashlib,sys;print(hashlib.blake2b(sys.argv[1].encode(),digest_size=32).hexdigest())', s],
    { encoding: 'utf8' }).trim()
}

export async function before() {
  const s = await startServer({ talents: 120, enterprises: 20 })
  const desk = await openBrowser()
  const office = await s.api('office')
  const ref = async (k) => Object.fromEntries((await office.call('GET', '/api/v1/reference/' + k)).items.map((x) => [x.code, x.name_zh]))
  const towns = await ref('towns')
  const degrees = await ref('degrees')
  const sizes = await ref('enterprise-sizes')
  const ents = (await office.call('GET', '/api/v1/enterprises?per_page=5')).items
  const talents = (await office.call('GET', '/api/v1/talents?per_page=5')).items
  return { s, desk, office, towns, degrees, sizes, ents, talents, created: null }
}

export { closeAll as after }

const as = loginAs

export const tests = {
  async 'the office registers a talent: a wrong ID number is refused beside its field, a good one is listed masked'(ctx) {
    const { s, office, towns, degrees } = ctx
    const page = await as(ctx, 'office')
    await page.goto(s.url + '/office/talents')
    await page.locator('[data-test=talents] .el-table__row').first().waitFor()
    await checkA11y(page, 'talents')
    await page.locator('[data-test=talent-add]').click()
    const dlg = page.locator('.el-dialog[data-test=talent-form]')
    await dlg.waitFor()
    // the repeating rows (a year's insurance, an education, a child) are labelled too
    for (const b of ['添加年份', '添加学习经历', '添加子女']) await dlg.getByRole('button', { name: b }).click()
    await dlg.locator('#tf-cn-0').waitFor()
    await checkA11y(page, 'talent form')
    for (let i = 0; i < 3; i++) await dlg.getByRole('button', { name: '删除此行' }).first().click()
    assert.equal(await dlg.locator('#tf-cn-0, #tf-es-0, #tf-y-0').count(), 0, 'the rows removed')
    const name = '浏览器登记甲'
    const good = idNumber(311)
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')   // the check character wrong
    const town = Object.keys(towns)[0]
    await page.locator('#tf-name').fill(name)
    await page.locator('#tf-idn').fill(bad)
    await pick(page, 'tf-town', towns[town])
    await pick(page, 'tf-degree', degrees.bachelor)
    await page.locator('#tf-email').fill('jia@example.cn')
    await page.locator('[data-test=tf-save]').click()
    // GB 11643: the 18th character is the MOD 11-2 check of the first 17 → the API's error, beside the field
    await fieldError(page, 'tf-idn').filter({ hasText: '身份证号码校验位错误' }).waitFor()
    assert.equal(await fieldError(page, 'tf-name').count(), 0, 'no error beside a good field')
    await dlg.locator('[data-test=tf-msg]').waitFor()
    await shot(page, 'registry-talent-form-error')
    assert.equal((await office.call('GET', '/api/v1/talents?q=' + encodeURIComponent(name))).total, 0, 'nothing stored')

    await page.locator('#tf-idn').fill(good)
    await page.locator('[data-test=tf-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    const listed = await office.call('GET', '/api/v1/talents?q=' + encodeURIComponent(name))
    assert.equal(listed.total, 1, 'stored once')
    const t = listed.items[0]
    assert.deepEqual([t.town, t.degree, t.gender, t.birth_date], [town, 'bachelor', good[16] % 2 ? 'M' : 'F',
      `${good.slice(6, 10)}-${good.slice(10, 12)}-${good.slice(12, 14)}`], 'gender and birth date come from the ID number')
    // the list shows it, its ID number masked (never the whole number)
    const row = page.locator('[data-test=talents] .el-table__row', { hasText: name })
    await row.waitFor()
    const text = await row.innerText()
    assert.ok(!text.includes(good), 'the full ID number is not shown')
    assert.ok(text.includes(t.id_number) && t.id_number.includes('*'), `the masked number is shown: ${text}`)
    await page.locator('[data-test=talent-created]', { hasText: t.id_number }).waitFor()
    await shot(page, 'registry-talents')
    ctx.created = t
  },

  async 'the office edits the degree: the detail and the audit log show it; a stale edit is told and reloaded'(ctx) {
    const { s, office, degrees, created } = ctx
    assert.ok(created, 'the talent of the first test')
    const page = ctx.desk.page
    await page.goto(`${s.url}/office/talents/${created.id}`)
    await page.locator('[data-test=talent]').waitFor()
    await checkA11y(page, 'talent detail')
    await checkKeyboard(page, 'talent detail')
    await page.locator('[data-test=talent-edit]').click()
    const dlg = page.locator('.el-dialog[data-test=talent-form]')
    await dlg.waitFor()
    await pick(page, 'tf-degree', degrees.phd)
    await page.locator('[data-test=tf-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=talent] .el-descriptions__cell', { hasText: degrees.phd }).first().waitFor()
    const t = await office.call('GET', `/api/v1/talents/${created.id}`)
    assert.equal(t.degree, 'phd')
    assert.equal(t.email, 'jia@example.cn', 'an edit sends only what changed')
    // the audit log (auditors read it): office's talent.update, the change as saved
    const auditor = await s.api('auditor')
    const log = await auditor.call('GET', `/api/v1/audit?action=talent.update&object_type=talent&object_id=${t.id}`)
    assert.equal(log.items.length, 1, 'one talent.update')
    const rec = log.items[0]
    assert.equal(rec.actor, 'office')
    const change = `v${t.version}|${t.name}|${t.town}|${t.industry || ''}|${t.tier ? t.tier.level : 0}|${t.enterprise_id || 0}|phd|${t.title || ''}`
    assert.equal(rec.change_hash, blake2b256(change), 'the audited change names the new degree')
    await shot(page, 'registry-talent-detail')

    // someone else saves first: this edit is refused (version), said so, and the page reloads
    await page.locator('[data-test=talent-edit]').click()
    await dlg.waitFor()
    await page.locator('#tf-email').fill('mine@example.cn')
    await office.call('PATCH', `/api/v1/talents/${t.id}`, { email: 'theirs@example.cn', version: t.version })
    await page.locator('[data-test=tf-save]').click()
    const box = page.locator('.el-message-box', { hasText: '已被他人修改' })
    await box.waitFor()
    await shot(page, 'registry-talent-stale')
    await box.locator('.el-button--primary').click()
    await page.locator('[data-test=talent] .el-descriptions__cell', { hasText: 'theirs@example.cn' }).waitFor()
    assert.equal((await office.call('GET', `/api/v1/talents/${t.id}`)).email, 'theirs@example.cn', 'the stale edit changed nothing')
  },

  async 'the office sees the full ID number only after stating why, and the reason is audited (PIPL)'(ctx) {
    const { s, created } = ctx
    assert.ok(created, 'the talent of the first test')
    const page = ctx.desk.page
    const full = idNumber(311)   // the number the first test registered
    await page.goto(`${s.url}/office/talents/${created.id}`)
    const card = page.locator('[data-test=talent]')
    await card.waitFor()
    assert.ok(!(await card.innerText()).includes(full), 'masked by default')
    await page.locator('[data-test=talent-unmask]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await checkA11y(page, 'unmask reason')
    await box.locator('input').fill('核对')   // 6 bytes of UTF-8: enough; ASCII 'ab' would not be
    await box.locator('.el-button--primary').click()
    await page.locator('[data-test=unmasked]').waitFor()
    await card.locator('.el-descriptions__cell', { hasText: full }).first().waitFor()
    await shot(page, 'registry-talent-unmasked')
    const auditor = await s.api('auditor')
    const log = await auditor.call('GET', `/api/v1/audit?action=pii.unmask&object_type=talent&object_id=${created.id}`)
    assert.deepEqual(log.items.map((x) => [x.actor, x.reason]), [['office', '核对']], 'one unmask, with the reason as typed')
    // reloading masks it again
    await page.reload()
    await card.waitFor()
    assert.ok(!(await card.innerText()).includes(full), 'masked again after a reload')
    // finance has no unmask permission in the demo (only office reviewers): no button
    await as(ctx, 'finance')
    await page.goto(`${s.url}/office/talents/${created.id}`)
    await card.waitFor()
    assert.equal(await page.locator('[data-test=talent-unmask]').count(), 0)
    await as(ctx, 'office')   // the tests after this one go on as the office
  },

  async 'the office adds an employment at a demo enterprise, then ends it'(ctx) {
    const { s, office, created, ents } = ctx
    const page = ctx.desk.page
    const ent = ents[1]
    await page.goto(`${s.url}/office/talents/${created.id}`)
    await page.locator('[data-test=employments]').waitFor()
    await page.locator('[data-test=emp-add]').click()
    const dlg = page.locator('.el-dialog[data-test=emp-form]')
    await dlg.waitFor()
    // the enterprise by remote search (GET /enterprises?q=)
    await pickRemote(page, 'em-ent', ent.name.slice(0, 4), ent.name)
    await page.locator('#em-pos').fill('研发工程师')
    await page.locator('#em-salary').fill('240000')
    await checkA11y(page, 'employment form')
    await page.locator('[data-test=emp-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.locator('[data-test=employments] .el-table__row', { hasText: ent.name })
    await row.filter({ hasText: '¥240,000.00' }).filter({ hasText: zhDate(TODAY) }).filter({ hasText: '在职' }).waitFor()
    let t = await office.call('GET', `/api/v1/talents/${created.id}`)
    const e = t.employments.find((x) => x.enterprise_id === ent.id)
    assert.ok(e, 'the employment is stored')
    assert.deepEqual([e.started_on, e.ended_on, e.position, e.annual_salary_fen], [TODAY, null, '研发工程师', 24000000])
    assert.equal(t.enterprise_id, ent.id, 'an open employment is the current employer')
    await page.locator('[data-test=talent] .el-descriptions__cell', { hasText: ent.name }).first().waitFor()
    await shot(page, 'registry-employment')

    // a raise: the annual salary changed (PATCH …/employments/{id})
    await page.locator(`[data-test=emp-edit-${e.id}]`).click()
    await dlg.waitFor()
    await page.locator('#em-salary').fill('264000.5')
    await page.locator('[data-test=emp-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await row.filter({ hasText: '¥264,000.50' }).waitFor()
    t = await office.call('GET', `/api/v1/talents/${created.id}`)
    assert.equal(t.employments.find((x) => x.id === e.id).annual_salary_fen, 26400050)

    await page.locator(`[data-test=emp-end-${e.id}]`).click()
    await dlg.waitFor()
    await page.locator('[data-test=emp-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await row.filter({ hasNotText: '在职' }).waitFor()
    t = await office.call('GET', `/api/v1/talents/${created.id}`)
    assert.equal(t.employments.find((x) => x.id === e.id).ended_on, TODAY, 'ended today')
    assert.ok(!t.enterprise_id, 'ending the current job leaves no employer')
  },

  async 'the office registers an enterprise and edits it on its detail page'(ctx) {
    const { s, office, towns, sizes } = ctx
    const page = ctx.desk.page
    await page.goto(s.url + '/office/enterprises')
    await page.locator('[data-test=enterprises] .el-table__row').first().waitFor()
    await page.locator('[data-test=ent-add]').click()
    const dlg = page.locator('.el-dialog[data-test=ent-form]')
    await dlg.waitFor()
    await checkA11y(page, 'enterprise form')
    const code = creditCode(4242)
    const town = Object.keys(towns)[1]
    await page.locator('#ef-name').fill('晋江浏览器测试科技有限公司')
    await page.locator('#ef-code').fill(code.slice(0, 17) + (code[17] === '0' ? '1' : '0'))
    await pick(page, 'ef-town', towns[town])
    await pick(page, 'ef-size', sizes.small)
    await page.locator('[data-test=ef-save]').click()
    await fieldError(page, 'ef-code').waitFor()
    await page.locator('#ef-code').fill(code)
    await page.locator('[data-test=ef-save]').click()
    await page.waitForURL((u) => /\/office\/enterprises\/\d+$/.test(u.pathname))
    const id = Number(new URL(page.url()).pathname.split('/').pop())
    await page.locator('[data-test=enterprise]', { hasText: code }).waitFor()
    let e = await office.call('GET', `/api/v1/enterprises/${id}`)
    assert.deepEqual([e.name, e.credit_code, e.town, e.size], ['晋江浏览器测试科技有限公司', code, town, 'small'])
    await checkA11y(page, 'enterprise detail')
    await page.locator('[data-test=ent-edit]').click()
    await dlg.waitFor()
    await page.locator('#ef-contact').fill('王经理')
    await page.locator('#ef-address').fill('晋江市经济开发区五里园')
    await page.locator('[data-test=ef-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=enterprise]', { hasText: '晋江市经济开发区五里园' }).waitFor()
    e = await office.call('GET', `/api/v1/enterprises/${id}`)
    assert.deepEqual([e.contact_name, e.address, e.credit_code], ['王经理', '晋江市经济开发区五里园', code])
    await shot(page, 'registry-enterprise')
    // a demo enterprise's detail: its staff listed
    await page.goto(`${s.url}/office/enterprises/${ctx.ents[0].id}`)
    await page.locator('[data-test=ent-staff]').waitFor()
    await page.locator('[data-test=bank-enterprise]').waitFor()
    await checkA11y(page, 'demo enterprise detail')
  },

  async 'finance sees a talent’s bank-account history, masked, and confirms the change'(ctx) {
    const { s, office, talents } = ctx
    const tid = talents[2].id
    const t = await office.call('GET', `/api/v1/talents/${tid}`)
    const numbers = [luhnCard(71), luhnCard(72)]
    for (const [k, why] of [[0, '首次登记账户'], [1, '本人更换银行卡']])
      await office.call('PUT', `/api/v1/talents/${tid}/bank-account`, {
        bank: '中国工商银行', branch: '晋江支行', account_name: t.name, account_number: numbers[k],
        reason: why, current_password: PASSWORD,
      }, { 'Idempotency-Key': randomUUID() })
    const hist = (await office.call('GET', `/api/v1/talents/${tid}/bank-account/history`)).items
    assert.ok(hist.length >= 2)
    const page = await as(ctx, 'finance')
    await page.goto(`${s.url}/office/talents/${tid}`)
    const table = page.locator('[data-test=bank-history]')
    await table.waitFor()
    await checkA11y(page, 'talent detail (finance)')
    assert.equal(await page.locator('[data-test=talent-edit]').count(), 0, 'finance does not edit the registry')
    assert.equal(await page.locator('[data-test=emp-add]').count(), 0, 'finance does not add employments')
    const text = await table.innerText()
    for (const n of numbers) {
      assert.ok(!text.includes(n), 'no full account number on the page')
      assert.ok(text.includes(n.slice(-4)), 'the last four digits shown')
    }
    assert.ok(text.includes(hist[0].account_number_masked) && hist[0].account_number_masked.includes('*'))
    assert.ok(text.includes('本人更换银行卡'), 'why it was changed')
    await table.locator(`[data-test=confirm-state-${hist[0].id}]`, { hasText: '待确认' }).waitFor()
    await table.locator(`[data-test=confirm-state-${hist[1].id}]`, { hasText: '首次登记' }).waitFor()
    await shot(page, 'registry-bank-history')
    // four eyes: office changed it, finance confirms — the payment hold is lifted
    await page.locator('[data-test=bank-confirm]').click()
    const dlg = page.locator('.el-dialog[data-test=bank-confirm-form]')
    await dlg.waitFor()
    await checkA11y(page, 'confirm a bank-account change')
    await page.locator('#bc-note').fill('已电话核实本人')
    await page.locator('[data-test=bank-confirm-send]').click()
    await dlg.waitFor({ state: 'hidden' })
    await table.locator(`[data-test=confirm-state-${hist[0].id}]`, { hasText: '已确认' }).waitFor()
    await table.locator(`[data-test=confirm-state-${hist[0].id}]`).getByText('finance', { exact: false }).waitFor()
    const now = await office.call('GET', `/api/v1/talents/${tid}/bank-account`)
    assert.equal(now.payment_hold, false)
    assert.ok(now.confirmed_at)

    // an enterprise's account: masked on its detail page, with its history
    const ent = ctx.ents[0]
    const corporate = '35050166010700001234'
    await office.call('PUT', `/api/v1/enterprises/${ent.id}/bank-account`, {
      bank: '中国建设银行', branch: '晋江分行', account_name: ent.name, account_number: corporate,
      account_type: 'corporate', reason: '首次登记对公账户', current_password: PASSWORD,
    }, { 'Idempotency-Key': randomUUID() })
    await page.goto(`${s.url}/office/enterprises/${ent.id}`)
    await page.locator('[data-test=ent-account]', { hasText: '1234' }).waitFor()
    const etable = page.locator('[data-test=bank-enterprise] [data-test=bank-history]')
    await etable.waitFor()
    const etext = await page.locator('main').innerText()
    assert.ok(!etext.includes(corporate), 'no full corporate account number on the page')
    assert.ok(etext.includes('3505 **** **** 1234'), 'masked as the API masks it')
    assert.ok((await etable.innerText()).includes('对公账户'))
    assert.equal(await page.locator('[data-test=ent-edit]').count(), 0, 'finance does not edit enterprises')
    assert.equal(await page.locator('[data-test=ent-quota]').count(), 0, 'the quota is the office’s')
    await checkA11y(page, 'enterprise detail (finance)')
    await shot(page, 'registry-enterprise-finance')
  },

  async 'a town reviewer registers a talent of their town; the office’s certification fields are not offered'(ctx) {
    const { s, office, towns } = ctx
    const town = await s.api('town')
    const mine = (await town.call('GET', '/api/v1/session')).user.towns
    assert.ok(mine.length >= 1)
    const page = await as(ctx, 'town')
    await page.goto(s.url + '/office/talents')
    await page.locator('[data-test=talent-add]').click()
    const dlg = page.locator('.el-dialog[data-test=talent-form]')
    await dlg.waitFor()
    assert.equal(await dlg.locator('#tf-tier').count(), 0, 'no tier field for a town reviewer')
    await page.locator('.el-select', { has: page.locator('#tf-town') }).click()
    const offered = await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').allInnerTexts()
    assert.deepEqual(offered.sort(), mine.map((c) => towns[c]).sort(), 'only their own towns are offered')
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().click()
    await listsClosed(page)
    await page.locator('#tf-name').fill('镇街登记乙')
    await page.locator('#tf-idn').fill(idNumber(322))
    await page.locator('[data-test=tf-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=talents] .el-table__row', { hasText: '镇街登记乙' }).waitFor()
    const got = await office.call('GET', '/api/v1/talents?q=' + encodeURIComponent('镇街登记乙'))
    assert.equal(got.total, 1)
    assert.ok(mine.includes(got.items[0].town))
  },

  async 'no script errors on the way'({ desk }) {
    assert.deepEqual(desk.errors.filter((e) => !/Failed to load resource/.test(e)), [])
  },
}
