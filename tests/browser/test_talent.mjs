// The talent's pages (phone first) and the public announcements page, against a real server
// with demo data: home with profile and records; applying (the standard's proposal, the form,
// a PDF as evidence); a return fixed and resubmitted; the chain through the employer, the town
// and the office to the announcement (公示: masked, objection with inline validation) and the
// certificate with its QR on /me, which the public checker finds valid; the bank account; every
// talent page 375 px wide without sideways scrolling; labels and titles on every page.
//
// The 5-working-day announcement: the server runs on the test clock (src/core/clock.c reads
// $TALENTPORT_TEST_CLOCK, the file named there holding the unix time), kept at the real time
// plus an offset; the test moves the offset 14 days on to end the period (any 14 calendar days
// hold at least 5 working days even over 国庆) — tests/api/test_applications.py does the same.
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { startServer, apiSession, totp, makeClock, openBrowser, login, shot, checkA11y, checkKeyboard, scrollsSideways, assert, ROOT } from './harness.mjs'

const jsQR = createRequire(join(ROOT, 'web', 'package.json'))('jsqr')
const DAY = 86400
const YEAR = new Date().getFullYear()
// default-pack.md, talent-allowance: a year's allowance by tier, in 元
const ANNUAL_BY_TIER = { 1: 180000, 2: 120000, 3: 80000, 4: 50000, 5: 30000, 6: 12000, 7: 6000 }

/** A small valid PDF, distinct per tag (the server deduplicates equal bytes). */
function pdf(tag) {
  const body = '%PDF-1.4\n% ' + tag + '\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
    '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n'
  const xref = body.length
  return Buffer.from(body + 'xref\n0 4\n0000000000 65535 f \n' + 'trailer<</Size 4/Root 1 0 R>>\nstartxref\n' + xref + '\n%%EOF\n')
}

/** A bank card number of n digits with a valid Luhn check digit. */
function cardNumber(prefix, n) {
  let s = prefix
  while (s.length < n - 1) s += String((s.length * 7) % 10)
  let sum = 0
  for (let i = 0; i < s.length; i++) {
    let d = +s[s.length - 1 - i]
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  return s + String((10 - (sum % 10)) % 10)
}

/** ¥12,345.00 from fen (as web/src/format.js shows money). */
const money = (fen) => '¥' + Math.trunc(fen / 100).toLocaleString('en-US') + '.' + String(fen % 100).padStart(2, '0')

/** "李*" / "欧阳**": the first character, one * per further one (the announcement's mask). */
const maskName = (name) => { const cs = Array.from(name); return cs[0] + '*'.repeat(cs.length - 1) }

/** Opens a talent page, logging in again if the session has ended (the clock moved). */
async function open(page, s, path) {
  await page.goto(s.url + path)
  await page.waitForLoadState('networkidle')
  if (new URL(page.url()).pathname.startsWith('/login')) {
    await login(page, s, 'talent', await s.account('talent'))
    await page.goto(s.url + path)
    await page.waitForLoadState('networkidle')
  }
}

/** Two demo talents with accounts of their own, made by the admin while the test clock is
 * still the real time (the admin logs in with TOTP):
 *  - 'talent2': certified through the whole of this year, not short-term, insured at least 6
 *    months of it (the talent allowance applies);
 *  - 'talent3': granted a benefit of an apply-channel policy (快申快享) this year. */
async function demoTalents(s, clock) {
  const office = await s.api('office')
  const applyPolicies = new Set((await (await fetch(s.url + '/api/v1/policies')).json()).items
    .filter((p) => p.channel === 'apply').map((p) => p.id))
  const list = (await office.call('GET', '/api/v1/talents?per_page=100')).items
  let certified = null
  let applicant = null
  for (const t of list) {
    if (t.id === 1) continue   // the demo 'talent' account's own
    if (!certified && t.tier && !t.short_term && t.tier.from <= `${YEAR}-01-01` && t.tier.to >= `${YEAR}-12-31`) {
      const d = await office.call('GET', `/api/v1/talents/${t.id}`)
      const n = (d.insured_months[YEAR] || []).length
      if (n >= 6) { certified = { talent: d, months: n }; continue }
    }
    if (!applicant) {
      const e = (await office.call('GET', `/api/v1/talents/${t.id}/entitlements?period=${YEAR}`)).entitlements
      const b = e.find((x) => applyPolicies.has(x.policy) && x.status === 'granted' && x.kind === 'cash')
      if (b) applicant = { talent: t, benefit: b }
    }
    if (certified && applicant) break
  }
  assert.ok(certified, 'the demo data has a talent certified through the year')
  assert.ok(applicant, 'the demo data has a talent granted an apply-channel benefit')
  clock.tick()
  const apw = await s.account('admin')   // enrols TOTP with a code of the real time
  // that code is spent: log in 30 s on (the server's clock with it), then back to the real time
  clock.advance(30)
  const admin = await apiSession(s.url, 'admin', apw, totp(s.totpSecrets.admin, (Math.floor(Date.now() / 1000) + clock.offset) * 1000))
  clock.advance(-30)
  for (const [name, x] of [['talent2', certified], ['talent3', applicant]]) {
    const u = await admin.call('POST', '/api/v1/users', { username: name, role: 'talent', talent_id: x.talent.id })
    s.oneTime[name] = u.password
  }
  return { certified, applicant }
}

export async function before() {
  const clock = makeClock()
  process.env.TALENTPORT_TEST_CLOCK = clock.path
  const s = await startServer()
  delete process.env.TALENTPORT_TEST_CLOCK
  const phone = await openBrowser({ phone: true })
  const desk = await openBrowser()
  const pw = await s.account('talent')
  const talentApi = await s.api('talent')
  const sess = await talentApi.call('GET', '/api/v1/session')
  const me = await talentApi.call('GET', `/api/v1/talents/${sess.user.talent_id}`)
  const { certified, applicant } = await demoTalents(s, clock)
  return { s, clock, phone, desk, pw, me, certified, applicant, app: null }
}

export async function after({ s, clock, phone, desk }) {
  await phone.browser.close()
  await desk.browser.close()
  await s.stop()
  clock.close()
}

export const tests = {
  async 'the talent logs in on a phone and sees the home with the profile'(ctx) {
    const { s, phone: { page }, pw, me, clock } = ctx
    clock.tick()
    await login(page, s, 'talent', pw)
    assert.equal(new URL(page.url()).pathname, '/me')
    const profile = page.locator('[data-test=profile]')
    await profile.getByText(me.name, { exact: true }).waitFor()
    // the ID number only masked, as the API gives it
    assert.match(me.id_number, /\*{4,}/)
    await profile.getByText(me.id_number, { exact: true }).waitFor()
    // the records: the employer of the demo talent's current employment
    const job = me.employments.find((j) => !j.ended_on)
    await page.locator('[data-test=records]').getByText(job.enterprise_name).waitFor()
    // no certificate yet: the empty state says where it will show
    await page.locator('[data-test=certificates]').getByText('暂无人才证书').waitFor()
    assert.equal(await page.title(), '我的首页 - 人才港')
    assert.equal(await scrollsSideways(page), false, '/me scrolls sideways at 375 px')
    await checkA11y(page, '/me')
    await shot(page, 'phone-home')
  },

  async 'applies for a tier: the proposal first, the prefilled form, a PDF as evidence'(ctx) {
    const { s, phone: { page }, me, clock } = ctx
    clock.tick()
    await open(page, s, '/me/apply')
    const prop = page.locator('[data-test=proposal]')
    // a bachelor outside the 双一流 list, with no title or skill level and a salary under the
    // 4341 thresholds: the standard (default-pack.md) proposes no tier from these facts
    assert.equal(me.degree, 'bachelor')
    assert.equal(me.double_first_class, false)
    await prop.locator('[data-test=proposed-tier]').filter({ hasText: '暂不能推荐层次' }).waitFor()
    // claiming a provincial first prize is a tier-2 criterion of the standard
    await prop.getByText('省级最高奖、省部级科技奖一等奖').click()
    await prop.locator('[data-test=proposed-tier]').filter({ hasText: '第二层次人才' }).waitFor()
    await prop.locator('[data-test=proposal-matched]').getByText('省级最高奖（一等奖）获得者').waitFor()
    await prop.getByText('省级最高奖、省部级科技奖一等奖').click()
    await prop.locator('[data-test=proposed-tier]').filter({ hasText: '暂不能推荐层次' }).waitFor()
    await checkA11y(page, '/me/apply proposal')
    assert.equal(await scrollsSideways(page), false, '/me/apply scrolls sideways at 375 px')
    await shot(page, 'phone-apply-proposal')

    await prop.getByRole('button', { name: '下一步' }).click()
    const form = page.locator('[data-test=apply-form]')
    // prefilled from what the platform knows: the name and the employer
    const statement = await page.locator('#apply-statement').inputValue()
    assert.ok(statement.includes(me.name) && statement.includes(me.enterprise_name), statement)
    // no proposal: submitting without a tier is refused beside the tier field (the server's rule)
    await form.getByRole('button', { name: '提交' }).click()
    await form.locator('.el-form-item', { has: page.locator('#apply-tier') }).locator('.el-form-item__error').waitFor()
    await form.locator('.el-select', { has: page.locator('#apply-tier') }).click()
    await page.getByRole('option', { name: '第七层次人才' }).click()
    await checkA11y(page, '/me/apply form')
    await shot(page, 'phone-apply-form')
    await form.getByRole('button', { name: '提交' }).click()
    // the talent has an employer: the employer confirms first (workflows/identification.yaml)
    const files = page.locator('[data-test=apply-files]')
    await files.getByText('用人单位确认').waitFor()
    await page.locator('[data-test=evidence-input]').setInputFiles({ name: '学位证书.pdf', mimeType: 'application/pdf', buffer: pdf('degree') })
    await files.locator('[data-test=evidence-file]').filter({ hasText: '学位证书.pdf' }).waitFor()
    await checkA11y(page, '/me/apply files')
    assert.equal(await scrollsSideways(page), false, '/me/apply (files) scrolls sideways at 375 px')
    await shot(page, 'phone-apply-files')
    await files.getByRole('button', { name: '完成，查看申请进度' }).click()
    await page.waitForURL(/\/me\/applications\/\d+$/)
    ctx.app = +new URL(page.url()).pathname.split('/').pop()
    // the server holds what the browser sent
    const a = await (await s.api('talent')).call('GET', `/api/v1/applications/${ctx.app}`)
    assert.equal(a.application.claimed_tier, 7)
    assert.equal(a.application.state, 'employer_review')
    const fl = await (await s.api('talent')).call('GET', `/api/v1/applications/${ctx.app}/files`)
    assert.deepEqual(fl.items.map((f) => [f.name, f.content_type]), [['学位证书.pdf', 'application/pdf']])
  },

  async 'a returned application shows what to fix; the talent fixes it and resubmits'(ctx) {
    const { s, phone: { page }, clock, app } = ctx
    assert.ok(app, 'the application of the test before')
    clock.tick()
    const employer = await s.api('employer')
    await employer.call('POST', `/api/v1/applications/${app}/actions`,
      { action: 'return', fields: ['statement', 'files'], comment: '请补充近三年的工作业绩说明和劳动合同' })
    await open(page, s, '/me/applications')
    const card = page.locator('[data-test=app-card]').filter({ hasText: `#${app}` })
    await card.locator('[data-test=app-state]').filter({ hasText: '退回修改' }).waitFor()
    // the applicant acts now
    await card.getByText('您（申请人）').waitFor()
    assert.equal(await scrollsSideways(page), false, '/me/applications scrolls sideways at 375 px')
    await checkA11y(page, '/me/applications')
    await shot(page, 'phone-applications')
    await card.getByRole('link').first().click()
    await page.waitForURL(new RegExp(`/me/applications/${app}$`))
    const fix = page.locator('[data-test=fix]')
    await fix.locator('[data-test=return-comment]').filter({ hasText: '请补充近三年的工作业绩说明和劳动合同' }).waitFor()
    assert.deepEqual(await fix.locator('[data-test=field-to-fix]').allInnerTexts(), ['申请说明', '佐证材料'])
    assert.equal(await scrollsSideways(page), false, 'the returned application scrolls sideways at 375 px')
    await checkA11y(page, 'returned application')
    await shot(page, 'phone-application-returned')
    // fix: a new statement and the contract as a second file — resubmitting without a new file
    // is stopped first, since the return asked for files
    await page.locator('#fix-statement').fill('2023—2025 年主持面料工艺改进 3 项，详见劳动合同和业绩证明。')
    await page.locator('[data-test=resubmit]').click()
    await page.locator('[data-test=files-needed]').waitFor()
    assert.equal((await employer.call('GET', `/api/v1/applications/${app}`)).application.state, 'returned')
    await page.locator('[data-test=evidence-input]').setInputFiles({ name: '劳动合同.pdf', mimeType: 'application/pdf', buffer: pdf('contract') })
    await page.locator('[data-test=evidence-file]').filter({ hasText: '劳动合同.pdf' }).waitFor()
    await page.locator('#fix-comment').fill('已补充')
    await page.locator('[data-test=resubmit]').click()
    // back to the start of the chain: the employer confirms again
    await page.locator('[data-test=app-summary] [data-test=app-state]').filter({ hasText: '用人单位确认' }).waitFor()
    await page.locator('[data-test=app-handler]').filter({ hasText: '用人单位' }).waitFor()
    await page.locator('[data-test=history]').getByText('重新提交').waitFor()
    assert.equal(await page.locator('[data-test=fix]').count(), 0)
    const a = (await employer.call('GET', `/api/v1/applications/${app}`)).application
    assert.equal(a.form.statement, '2023—2025 年主持面料工艺改进 3 项，详见劳动合同和业绩证明。')
    assert.equal(a.returned_fields, null)
    await checkA11y(page, 'resubmitted application')
    await shot(page, 'phone-application')
  },

  async 'the announcement shows the talent masked and takes an objection with inline validation'(ctx) {
    const { s, desk: { page }, clock, app, me } = ctx
    clock.tick()
    const employer = await s.api('employer')
    const town = await s.api('town')
    const office = await s.api('office')
    await employer.call('POST', `/api/v1/applications/${app}/actions`, { action: 'approve', comment: '情况属实' })
    await town.call('POST', `/api/v1/applications/${app}/actions`, { action: 'approve', comment: '镇街审核通过' })
    const a = await office.call('POST', `/api/v1/applications/${app}/actions`, { action: 'approve', comment: '同意认定为第七层次' })
    assert.equal(a.state, 'announced')
    // public page, no login (the desk browser has no session)
    await page.goto(s.url + '/announcements')
    const card = page.locator('[data-test=announcement]').filter({ hasText: maskName(me.name) }).filter({ hasText: me.id_number })
    await card.waitFor()
    assert.equal(await card.locator('[data-test=ann-name]').innerText(), maskName(me.name))
    assert.ok(!(await page.locator('[data-test=announcement]').allInnerTexts()).join(' ').includes(me.name), 'the full name is not shown')
    await card.getByText('第七层次人才').waitFor()
    await card.getByRole('button', { name: '提出异议' }).click()
    const form = card.locator('[data-test=objection-form]')
    // empty, then too short: each error beside the reason field, nothing sent
    await form.getByRole('button', { name: '提交异议' }).click()
    await form.locator('.el-form-item__error').filter({ hasText: '请填写异议内容' }).waitFor()
    await page.locator(`#obj-reason-${app}`).fill('学历存疑')
    await form.getByRole('button', { name: '提交异议' }).click()
    await form.locator('.el-form-item__error').filter({ hasText: '至少 10 个字' }).waitFor()
    await checkA11y(page, '/announcements with the objection form')
    await shot(page, 'talent-announcements-objection')
    await page.locator(`#obj-reason-${app}`).fill('该人才的学历证书与学信网信息不一致，请核查。')
    await page.locator(`#obj-contact-${app}`).fill('13800000000')
    await form.getByRole('button', { name: '提交异议' }).click()
    await card.locator('[data-test=objection-sent]').waitFor()
    // the office sees it, with the contact
    const objs = await office.call('GET', `/api/v1/applications/${app}/objections`)
    assert.equal(objs.items.length, 1)
    assert.equal(objs.items[0].reason, '该人才的学历证书与学信网信息不一致，请核查。')
    assert.equal(objs.items[0].contact, '13800000000')
    await office.call('POST', `/api/v1/applications/${app}/objections/${objs.items[0].id}/resolve`,
      { outcome: 'dismissed', resolution: '经核查学历真实' })
  },

  async 'carried through to the certificate: the QR on /me, the PDF, and the checker says valid'(ctx) {
    const { s, phone: { page }, clock, app } = ctx
    // the announcement period ends (5 working days; 14 days on)
    clock.advance(14 * DAY)
    const office = await s.api('office')
    const a = await office.call('POST', `/api/v1/applications/${app}/actions`, { action: 'close', comment: '公示期满无异议' })
    assert.equal(a.state, 'certified')
    assert.ok(a.certificate_id)
    await open(page, s, '/me')
    const cert = page.locator('[data-test=certificate]').first()
    await cert.getByText('第七层次人才').waitFor()
    const img = cert.locator('[data-test=cert-qr]')
    await img.waitFor()
    // read the QR back: it holds the absolute check URL of this certificate
    const px = await img.evaluate((el) => {
      const c = document.createElement('canvas')
      c.width = el.naturalWidth
      c.height = el.naturalHeight
      const g = c.getContext('2d')
      g.drawImage(el, 0, 0)
      const d = g.getImageData(0, 0, c.width, c.height).data
      let bin = ''   // the RGBA bytes as base64: far quicker across than a list of numbers
      for (let i = 0; i < d.length; i += 8192) bin += String.fromCharCode.apply(null, d.subarray(i, i + 8192))
      return { w: c.width, h: c.height, data: btoa(bin) }
    })
    const qr = jsQR(new Uint8ClampedArray(Buffer.from(px.data, 'base64')), px.w, px.h)
    assert.ok(qr, 'the QR code decodes')
    const c = await (await s.api('talent')).call('GET', `/api/v1/certificates/${a.certificate_id}`)
    assert.equal(qr.data, s.url + c.verify_url)
    assert.equal(await scrollsSideways(page), false, '/me with the certificate scrolls sideways at 375 px')
    await checkA11y(page, '/me with the certificate')
    await shot(page, 'phone-home-certificate')
    // the PDF download
    const [dl] = await Promise.all([page.waitForEvent('download'), cert.getByRole('button', { name: '下载证书 PDF' }).click()])
    const bytes = readFileSync(await dl.path())
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-')
    // the public checker, opened from the QR's URL
    await page.goto(qr.data)
    const res = page.locator('[data-test=verify-result]')
    await res.waitFor()
    await res.getByText('证书有效').waitFor()
    await res.getByText('第七层次人才').waitFor()
    await shot(page, 'phone-check-valid')
  },

  async 'the talent registers a bank account with the password'(ctx) {
    const { s, phone: { page }, clock, pw } = ctx
    clock.tick()
    await open(page, s, '/me/bank-account')
    await page.locator('[data-test=bank-current]').getByText('尚未登记收款账户').waitFor()
    const number = cardNumber('621700', 19)
    await page.locator('#bank-bank').fill('中国建设银行')
    await page.locator('#bank-branch').fill('晋江陈埭支行')
    await page.locator('#bank-number').fill(number)
    await page.locator('#bank-password').fill('wrong-password-1')
    await page.getByRole('button', { name: '保存' }).click()
    // a wrong password: said beside the password field
    await page.locator('.el-form-item', { has: page.locator('#bank-password') }).locator('.el-form-item__error').waitFor()
    await page.locator('#bank-password').fill(pw)
    await page.getByRole('button', { name: '保存' }).click()
    const shown = page.locator('[data-test=bank-number]')
    await shown.waitFor()
    // the toast says so, styled as a toast (its CSS came with the page)
    const toast = page.locator('.el-message').filter({ hasText: '收款账户已保存' })
    await toast.waitFor()
    assert.equal(await toast.evaluate((el) => getComputedStyle(el).position), 'fixed')
    const masked = await shown.innerText()
    assert.ok(masked.endsWith(number.slice(-4)) && !masked.includes(number.slice(4, 12)), masked)
    assert.equal(await scrollsSideways(page), false, '/me/bank-account scrolls sideways at 375 px')
    await checkA11y(page, '/me/bank-account')
    await shot(page, 'phone-bank-account')
  },

  async 'the talent withdraws an open application, with a reason'(ctx) {
    const { s, phone: { page }, clock } = ctx
    clock.tick()
    // the certified application is closed: a new one (for a higher tier) may be opened
    const talent = await s.api('talent')
    const a = await talent.call('POST', '/api/v1/applications',
      { kind: 'identification', claimed_tier: 6, form: { claims: [], statement: '申请调整为第六层次' } })
    await open(page, s, `/me/applications/${a.id}`)
    await page.locator('[data-test=app-state]').filter({ hasText: '用人单位确认' }).waitFor()
    await page.getByRole('button', { name: '撤回申请' }).click()
    const box = page.getByRole('dialog')
    await box.locator('#withdraw-reason').waitFor()
    // a reason is required: said beside the field, nothing sent
    await box.getByRole('button', { name: '撤回申请' }).click()
    await box.locator('.el-form-item__error').filter({ hasText: '请写明撤回原因' }).waitFor()
    await checkA11y(page, 'the withdraw dialog')
    await box.locator('#withdraw-reason').fill('暂不申请，明年再报')
    await box.getByRole('button', { name: '撤回申请' }).click()
    await page.locator('[data-test=app-summary] [data-test=app-state]').filter({ hasText: '已撤回' }).waitFor()
    await page.locator('[data-test=history]').getByText('暂不申请，明年再报').waitFor()
    await box.waitFor({ state: 'hidden' })
    assert.equal(await page.locator('[data-test=app-summary]').getByRole('button', { name: '撤回申请' }).count(), 0)
    const back = (await talent.call('GET', `/api/v1/applications/${a.id}`)).application
    assert.equal(back.state, 'withdrawn')
  },

  async 'a certified talent sees this year\'s benefits, what each is for and why'(ctx) {
    const { s, desk: { page }, clock, certified: { talent, months } } = ctx
    clock.tick()
    await login(page, s, 'talent2', await s.account('talent2'))
    assert.equal(new URL(page.url()).pathname, '/me')
    // talent-allowance: floor(annual[tier] × n / 12) 元, n = the insured months of the year
    // (the tier valid the whole year); default-pack.md
    const yuan = Math.floor(ANNUAL_BY_TIER[talent.tier.level] * months / 12)
    const want = '¥' + yuan.toLocaleString('en-US') + '.00'
    const card = page.locator('[data-test=benefits]')
    const item = card.locator('.el-collapse-item').filter({ hasText: '人才津贴' })
    await item.getByText(want).waitFor()
    await item.locator('.el-collapse-item__header').click()
    // what it is for (the policy's plain-language summary) and why (the conditions read)
    const pol = (await (await fetch(s.url + '/api/v1/policies')).json()).items.find((p) => p.id === 'talent-allowance')
    await item.locator('.purpose').filter({ hasText: pol.summary.zh.slice(0, 20) }).waitFor()
    await item.locator('.why code', { hasText: 'n >= 6' }).waitFor()
    await checkA11y(page, '/me of a certified talent')
    await shot(page, 'talent-home-benefits')
  },

  async 'a talent applies for a benefit (快申快享): the form filled in by the platform'(ctx) {
    const { s, desk: { page }, clock, applicant: { benefit } } = ctx
    clock.tick()
    await login(page, s, 'talent3', await s.account('talent3'))
    const item = page.locator('[data-test=benefits] .el-collapse-item').filter({ has: page.locator('[data-test=apply-benefit]') }).first()
    await item.waitFor()
    await item.locator('.el-collapse-item__header').click()
    await item.locator('[data-test=apply-benefit]').click()
    await page.waitForURL(/\/me\/apply-benefit\?/)
    const pre = page.locator('[data-test=benefit-prefill]')
    await pre.waitFor()
    // the amount the application will hold is the one the talent's benefits show
    const shown = new URL(page.url()).searchParams
    const want = (await (await s.api('talent3')).call('GET', `/api/v1/benefits/prefill?policy=${shown.get('policy')}&period=${shown.get('period')}` +
      (shown.get('item') ? `&item=${shown.get('item')}` : ''))).total_fen
    assert.ok(want > 0)
    if (shown.get('policy') === benefit.policy && !benefit.item) assert.equal(want, benefit.amount_fen)
    await pre.locator('[data-test=benefit-total]').filter({ hasText: money(want) }).waitFor()
    await checkA11y(page, '/me/apply-benefit')
    await shot(page, 'talent-apply-benefit')
    await page.locator('#benefit-statement').fill('请按平台信息核发')
    await pre.getByRole('button', { name: '提交' }).click()
    const done = page.locator('[data-test=benefit-files]')
    await done.waitFor()
    await done.getByRole('button', { name: '完成，查看申请进度' }).click()
    await page.waitForURL(/\/me\/applications\/\d+$/)
    const id = +new URL(page.url()).pathname.split('/').pop()
    const a = (await (await s.api('talent3')).call('GET', `/api/v1/applications/${id}`)).application
    assert.equal(a.kind, 'benefit')
    assert.equal(a.policy, shown.get('policy'))
    assert.equal(a.form.statement, '请按平台信息核发')
    await page.locator('[data-test=app-summary]').getByText(money(want)).waitFor()
    await page.locator('[data-test=app-summary] [data-test=app-state]').filter({ hasText: a.state_title }).waitFor()
    await checkA11y(page, 'a benefit application')
  },

  async 'every talent page fits 375 px, has a title and labels; desktop screenshots'(ctx) {
    const { s, phone: { page }, desk, clock, app, pw } = ctx
    clock.tick()
    const pages = { home: '/me', apply: '/me/apply', applications: '/me/applications', application: `/me/applications/${app}`,
      bank: '/me/bank-account', announcements: '/announcements' }
    for (const [name, path] of Object.entries(pages)) {
      await open(page, s, path)
      assert.equal(await scrollsSideways(page), false, `${path} scrolls sideways at 375 px`)
      await checkA11y(page, path)
      if (name === 'announcements') await shot(page, 'phone-announcements')
    }
    // the desktop layout, with the left menu
    const dp = desk.page
    await login(dp, s, 'talent', pw)
    for (const [name, path] of Object.entries(pages)) {
      await dp.goto(s.url + path)
      await dp.waitForLoadState('networkidle')
      await checkA11y(dp, 'desktop ' + path)
      await shot(dp, 'talent-' + name)
    }
    await dp.goto(s.url + '/me')
    await dp.waitForLoadState('networkidle')
    await checkKeyboard(dp, 'desktop /me')
    // English one click away
    await dp.getByRole('button', { name: 'English' }).click()
    await dp.getByRole('heading', { name: 'My page', exact: true }).waitFor()
    await dp.locator('[data-test=certificate]').getByText('Download the certificate (PDF)').waitFor()
    assert.equal(await dp.title(), 'My page - TalentPort')
    await shot(dp, 'talent-home-en')
    await dp.getByRole('button', { name: '中文' }).click()
    // no script errors on either (a 404 for the bank account not yet registered is an answer, not an error)
    assert.deepEqual(desk.errors.filter((e) => !/Failed to load resource/.test(e)), [])
    assert.deepEqual(ctx.phone.errors.filter((e) => !/Failed to load resource/.test(e)), [])
  },
}
