// Public pages: home, calculator, certificate check, login; accessibility basics; phone width.
import { startServer, openBrowser, shot, checkA11y, checkKeyboard, scrollsSideways, assert } from './harness.mjs'

export async function before() {
  const s = await startServer()
  const desk = await openBrowser()
  const phone = await openBrowser({ phone: true })
  return { s, desk, phone }
}

export async function after({ s, desk, phone }) {
  await desk.browser.close()
  await phone.browser.close()
  await s.stop()
}

export const tests = {
  async 'home lists every policy of the pack in plain language'({ s, desk }) {
    const { page } = desk
    await page.goto(s.url + '/')
    await page.getByRole('heading', { name: '人才津贴' }).waitFor()
    // default-pack.md lists 12 policies
    assert.equal(await page.locator('.pol').count(), 12)
    assert.match(await page.locator('.pol').first().innerText(), /免申即享/)
    assert.equal(await page.title(), '首页 - 人才港')
    await checkA11y(page, 'home')
    await checkKeyboard(page, 'home')
    await shot(page, 'public-home')
  },

  async 'the calculator shows the allowance of a sample profile as it is typed'({ s, desk }) {
    const { page } = desk
    await page.goto(s.url + '/calculator')
    // tier 5, insured all 12 months, not short-term: talent-allowance = 30000 元 × 12/12
    // (default-pack.md: annual by tier 5 = 30000); nothing else applies → total ¥30,000.00
    await page.locator('.el-select', { has: page.locator('#calc-tier') }).click()
    await page.getByRole('option', { name: '第5类' }).click()
    await page.locator('[data-test=calc-total]').filter({ hasText: '¥30,000.00' }).waitFor()
    // 8 insured months: floor(30000 × 8 / 12) = 20000 元
    const months = page.locator('#calc-months')
    await months.fill('8')
    await months.press('Tab')
    await page.locator('[data-test=calc-total]').filter({ hasText: '¥20,000.00' }).waitFor()
    // the "why" opens with the conditions read
    await page.locator('.el-collapse-item__header').first().click()
    await page.locator('.why code', { hasText: 'n >= 6' }).waitFor()
    await checkA11y(page, 'calculator')
    await shot(page, 'public-calculator')
  },

  async 'a malformed talent code is reported, not crashed on'({ s, desk }) {
    const { page } = desk
    await page.goto(s.url + '/check')
    await page.locator('#verify-code').fill('TP1.not-a-token.x')
    await page.getByRole('button', { name: '核验' }).click()
    await page.locator('[data-test=verify-result]').waitFor()
    assert.match(await page.locator('[data-test=verify-result]').innerText(), /人才码/)
    await checkA11y(page, 'check')
    await shot(page, 'public-check')
  },

  async 'login page: labels, wrong password message, English one click away'({ s, desk }) {
    const { page } = desk
    await page.goto(s.url + '/login')
    await checkA11y(page, 'login')
    await page.locator('#login-username').fill('talent')
    await page.locator('#login-password').fill('wrong-password-123')
    await page.locator('button[type=submit]').click()
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor()
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    assert.equal(await page.title(), 'Log in - TalentPort')
    await page.getByRole('button', { name: '中文' }).click()
    await shot(page, 'public-login')
  },

  async 'public pages fit a 375-px phone without sideways scrolling'({ s, phone }) {
    const { page } = phone
    for (const path of ['/', '/calculator', '/check', '/announcements', '/login', '/register']) {
      await page.goto(s.url + path)
      await page.waitForLoadState('networkidle')
      assert.equal(await scrollsSideways(page), false, `${path} scrolls sideways at 375 px`)
    }
    await page.goto(s.url + '/calculator')
    await shot(page, 'phone-calculator')
  },

  async 'no script errors and the strict CSP holds'({ s, desk }) {
    const { page, errors } = desk
    const r = await page.goto(s.url + '/calculator')
    assert.match(r.headers()['content-security-policy'], /script-src 'self'/)
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), [])
  },
}
