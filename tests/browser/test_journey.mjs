// One identification from start to finish, every step in the browser, each actor in their own
// session: the talent applies (proposal, form, evidence) → the employer confirms → the town
// reviewer approves → the office reviewer approves (公示 starts) → the announcement period ends
// (the test clock moves 14 days: at least 5 working days) → the office closes it → the talent
// sees the certificate with its QR → the public checker, opened from the QR, says it is valid.
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { startServer, makeClock, openBrowser, login, shot, assert, ROOT, loginAs } from './harness.mjs'

const jsQR = createRequire(join(ROOT, 'web', 'package.json'))('jsqr')
const DAY = 86400
const PDF = Buffer.from('%PDF-1.4\n% journey\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
  '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n' +
  'trailer<</Size 4/Root 1 0 R>>\n%%EOF\n')

export async function before() {
  const clock = makeClock()
  process.env.TALENTPORT_TEST_CLOCK = clock.path
  const s = await startServer()
  delete process.env.TALENTPORT_TEST_CLOCK
  const desk = await openBrowser()
  const phone = await openBrowser({ phone: true })
  return { s, clock, desk, phone, app: null }
}

export async function after({ s, clock, desk, phone }) {
  await desk.browser.close()
  await phone.browser.close()
  await s.stop()
  clock.close()
}

/** The desktop browser, signed in afresh as user. */
/** Logs in as user a tick later on the test clock (a TOTP code is never reused). */
const as = (ctx, user) => { ctx.clock.tick(); return loginAs(ctx, user) }

async function stateOf({ s }, id) {
  return (await (await s.api('office')).call('GET', `/api/v1/applications/${id}`)).application
}

export const tests = {
  async 'the talent applies on a phone: proposal, form, a PDF as evidence'(ctx) {
    const { s, phone: { page }, clock } = ctx
    clock.tick()
    await login(page, s, 'talent', await s.account('talent'))
    await page.goto(s.url + '/me/apply')
    await page.locator('[data-test=proposal]').getByRole('button', { name: '下一步' }).click()
    const form = page.locator('[data-test=apply-form]')
    await form.locator('.el-select', { has: page.locator('#apply-tier') }).click()
    await page.getByRole('option', { name: '第七层次人才' }).click()
    await form.getByRole('button', { name: '提交' }).click()
    await page.locator('[data-test=evidence-input]').setInputFiles({ name: '业绩证明.pdf', mimeType: 'application/pdf', buffer: PDF })
    await page.locator('[data-test=evidence-file]').filter({ hasText: '业绩证明.pdf' }).waitFor()
    await page.getByRole('button', { name: '完成，查看申请进度' }).click()
    await page.waitForURL(/\/me\/applications\/\d+$/)
    ctx.app = +new URL(page.url()).pathname.split('/').pop()
    // the talent works for the demo employer: its confirmation is the first step
    await page.locator('[data-test=app-handler]').filter({ hasText: '用人单位' }).waitFor()
    assert.equal((await stateOf(ctx, ctx.app)).state, 'employer_review')
    await shot(page, 'journey-1-talent-applied')
  },

  async 'the employer confirms it'(ctx) {
    const page = await as(ctx, 'employer')
    await page.goto(ctx.s.url + '/org/applications')
    await page.locator(`[data-test=confirm-${ctx.app}]`).first().click()
    await page.locator('#act-comment').fill('本单位员工，情况属实')
    await page.locator('[data-test=act-send]').click()
    await page.locator(`[data-test=confirm-${ctx.app}]`).first().waitFor({ state: 'detached' })
    assert.equal((await stateOf(ctx, ctx.app)).state, 'town_review')
    await shot(page, 'journey-2-employer-confirmed')
  },

  async 'the town reviewer and then the office reviewer approve it'(ctx) {
    for (const [user, comment, next] of [['town', '镇街审核通过', 'office_review'], ['office', '人才办审核通过', 'announced']]) {
      const page = await as(ctx, user)
      await page.goto(ctx.s.url + `/office/applications/${ctx.app}`)
      await page.locator('[data-test=act-approve]').click()
      await page.locator('#act-comment').fill(comment)
      await page.locator('[data-test=act-send]').click()
      await page.locator('[data-test=history]').getByText(comment).waitFor()
      assert.equal((await stateOf(ctx, ctx.app)).state, next)
      await shot(page, `journey-3-${user}-approved`)
    }
    // the tier the talent claimed is the one announced
    assert.equal((await stateOf(ctx, ctx.app)).final_tier, 7)
  },

  async 'after the announcement period the office closes it and the certificate is issued'(ctx) {
    const { s, clock } = ctx
    clock.advance(14 * DAY)
    const page = await as(ctx, 'office')
    await page.goto(s.url + '/office/announcements')
    await page.locator(`[data-test=close-${ctx.app}]:not([disabled])`).first().click()
    await page.locator('#act-comment').fill('公示期满无异议')
    await page.locator('[data-test=act-send]').click()
    await page.locator(`[data-test=close-${ctx.app}]`).first().waitFor({ state: 'detached' })
    const a = await stateOf(ctx, ctx.app)
    assert.equal(a.state, 'certified')
    assert.ok(a.certificate_id, 'the close issued a certificate')
    ctx.cert = a.certificate_id
    await shot(page, 'journey-4-office-closed')
  },

  async 'the talent sees the certificate and its QR; the public checker finds it valid'(ctx) {
    const { s, clock, phone } = ctx
    clock.tick()
    const page = phone.page
    await phone.context.clearCookies()   // the session ended while the clock moved
    await login(page, s, 'talent', await s.account('talent'))
    await page.goto(s.url + '/me')
    const cert = page.locator('[data-test=certificate]').first()
    await cert.getByText('第七层次人才').waitFor()
    const img = cert.locator('[data-test=cert-qr]')
    await img.waitFor()
    const px = await img.evaluate((el) => {
      const c = document.createElement('canvas')
      c.width = el.naturalWidth
      c.height = el.naturalHeight
      const g = c.getContext('2d')
      g.drawImage(el, 0, 0)
      return { w: c.width, h: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) }
    })
    const qr = jsQR(new Uint8ClampedArray(px.data), px.w, px.h)
    assert.ok(qr, 'the QR code decodes')
    assert.match(qr.data, new RegExp('^' + s.url.replace(/[.]/g, '\\.') + '/verify/TP1\\.'))
    await shot(page, 'journey-5-talent-certificate')
    // a stranger's phone opens the QR's link: the checker page, which asks the same URL for JSON
    await phone.context.clearCookies()
    await page.goto(qr.data)
    const res = page.locator('[data-test=verify-result]')
    await res.getByText('证书有效').waitFor()
    await res.getByText('第七层次人才').waitFor()
    await shot(page, 'journey-6-public-check')
  },
}
