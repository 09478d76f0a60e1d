// Training-subsidy claims in the employer area (企业新型学徒制培训补贴, policy
// apprentice-training; issue 7 item 4): the employer registers an apprentice, sees the
// instalment the platform computes with its why, claims it; the office approves; the
// employer sees the claim approved in its applications and, once the completion date is
// recorded, the second instalment.
//
// Amounts from /work/shared/reference/default-pack.md (apprentice-training: intermediate
// 5000 元; instalment 1 = 50 % in the enrolment year, instalment 2 = the rest in the
// completion year once completed_on is set): an intermediate apprentice enrolled
// 2026-03-01 → 2026 instalment 1 = ¥2,500.00; completed 2027-06-30 → 2027 instalment 2 =
// 5000 − 2500 = ¥2,500.00.
import { startServer, openBrowser, shot, checkA11y, checkKeyboard, assert, loginAs, closeAll } from './harness.mjs'

const NAME = '浏览器学徒甲'

/** An 18-character ID number (GB 11643 MOD 11-2 check character), born 2005. */
function idNumber(seq) {
  const first17 = `350582200503${String(10 + (seq % 18)).padStart(2, '0')}${String(seq % 1000).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((a, d, i) => a + Number(d) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

export async function before() {
  const s = await startServer({ talents: 100, enterprises: 10 })
  const desk = await openBrowser()
  const employer = await s.api('employer')
  const eid = (await employer.call('GET', '/api/v1/session')).user.enterprise_id
  assert.ok(eid, 'the demo employer is bound to an enterprise')
  const office = await s.api('office')
  return { s, desk, employer, office, eid }
}

export { closeAll as after }

const as = loginAs

/** Picks a date in an Element Plus date picker by typing it. */
async function typeDate(page, id, value) {
  const input = page.locator('#' + id)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
}

export const tests = {
  async 'the employer registers an apprentice, sees the instalment and why, and claims it'(ctx) {
    const { s, eid } = ctx
    const page = await as(ctx, 'employer')
    await page.goto(s.url + '/org/apprentices')
    await page.locator('[data-test=appr-table]').waitFor()
    await checkA11y(page, 'apprentices')
    // a refusal beside its field: completion before enrolment
    await page.locator('[data-test=appr-add]').click()
    await page.locator('#appr-name').fill(NAME)
    await page.locator('#appr-idn').fill(idNumber(701))
    await typeDate(page, 'appr-enrolled', '2026-03-01')
    await typeDate(page, 'appr-completed', '2026-02-01')
    await checkA11y(page, 'apprentice dialog')
    await page.locator('[data-test=appr-save]').click()
    await page.locator('[data-test=appr-dialog]').getByText('结业日期不能早于入学日期').first().waitFor()
    // fixed: no completion date yet
    await page.locator('#appr-completed').click()
    await page.locator('#appr-completed').fill('')
    await page.locator('#appr-completed').press('Enter')
    await page.locator('[data-test=appr-save]').click()
    const row = page.locator('[data-test=appr-table] .el-table__row', { hasText: NAME })
    await row.waitFor()
    const list = (await ctx.employer.call('GET', `/api/v1/enterprises/${eid}/apprentices`)).items
    const a = list.find((x) => x.name === NAME)
    assert.ok(a, 'registered')
    assert.deepEqual([a.level, a.enrolled_on, a.completed_on], ['intermediate', '2026-03-01', null])
    ctx.appr = a
    // the 2026 instalment 1: half of 5000 元
    const inst1 = page.locator(`[data-test=inst-${a.id}-1]`)
    await inst1.filter({ hasText: '¥2,500.00' }).waitFor()
    assert.match(await inst1.innerText(), /2026/)
    // the why: the row expands to the explanation (the condition and the parameter)
    await row.locator('.el-table__expand-icon').click()
    await page.getByText('present(item.enrolled_on)').first().waitFor()
    await shot(page, 'employer-apprentices')
    await checkKeyboard(page, 'apprentices')

    // the claim page: amount and why, then submit
    await page.locator(`[data-test=claim-${a.id}-2026]`).click()
    await page.waitForURL((u) => u.pathname === `/org/apprentices/${a.id}/claim/2026`)
    await page.locator('[data-test=claim-amount-1]', { hasText: '¥2,500.00' }).waitFor()
    await page.locator('[data-test=claim-total]', { hasText: '¥2,500.00' }).waitFor()
    await checkA11y(page, 'claim')
    await shot(page, 'employer-apprentice-claim')
    await page.locator('#claim-statement').fill('2026 年 3 月入学，中级工班')
    await page.locator('[data-test=claim-submit]').click()
    await page.locator('[data-test=claim-done]').waitFor()
    const apps = (await ctx.office.call('GET', '/api/v1/applications?kind=benefit&per_page=100')).items
    const claim = apps.find((x) => x.beneficiary_kind === 'enterprise' && x.item === String(a.id))
    assert.ok(claim, 'the claim reached the office')
    assert.deepEqual([claim.state, claim.period, claim.enterprise_id, claim.talent_id], ['office_review', '2026', eid, null])
    ctx.claim = claim
    // back on the list the instalment shows the claim's state instead of the button
    await page.goto(s.url + '/org/apprentices')
    await page.locator(`[data-test=inst-${a.id}-1]`).getByText('人才办审核').waitFor()
    assert.equal(await page.locator(`[data-test=claim-${a.id}-2026]`).count(), 0)
  },

  async 'the office approves the claim; the employer sees it approved and the second instalment'(ctx) {
    const { s, claim, appr } = ctx
    let page = await as(ctx, 'office')
    await page.goto(s.url + `/office/applications/${claim.id}`)
    await page.locator('[data-test=act-approve]').click()
    await page.locator('#act-comment').fill('学徒登记与入学材料齐全')
    await page.locator('[data-test=act-send]').click()
    await page.locator('[data-test=history]').getByText('学徒登记与入学材料齐全').waitFor()
    const now = (await ctx.office.call('GET', `/api/v1/applications/${claim.id}`)).application
    assert.equal(now.state, 'approved')
    await shot(page, 'office-apprentice-claim')

    page = await as(ctx, 'employer')
    await page.goto(s.url + '/org/applications')
    await page.locator('.el-select', { has: page.locator('#oa-kind') }).click()
    await page.getByRole('option', { name: '学徒培训补贴' }).click()
    const row = page.locator('[data-test=org-apps] .el-table__row', { hasText: NAME })
    await row.waitFor()
    assert.match(await row.innerText(), /已批准/)
    await checkA11y(page, 'org applications (claims)')
    await shot(page, 'employer-claims')

    // completion recorded in the edit dialog → instalment 2 in 2027: the rest, ¥2,500.00
    await page.goto(s.url + '/org/apprentices')
    await page.locator(`[data-test=appr-edit-${appr.id}]`).click()
    await typeDate(page, 'appr-completed', '2027-06-30')
    await page.locator('[data-test=appr-save]').click()
    const inst2 = page.locator(`[data-test=inst-${appr.id}-2]`)
    await inst2.filter({ hasText: '¥2,500.00' }).waitFor()
    assert.match(await inst2.innerText(), /2027/)
    await page.locator(`[data-test=inst-${appr.id}-1]`).getByText('已批准').waitFor()
  },

  async 'a returned claim is corrected in the register and resubmitted from the list'(ctx) {
    const { s, eid, employer, office } = ctx
    // set up over the API: an apprentice registered as intermediate, claimed, returned
    const a = await employer.call('POST', `/api/v1/enterprises/${eid}/apprentices`,
      { name: '浏览器学徒乙', id_number: idNumber(702), level: 'intermediate', enrolled_on: '2026-05-01' })
    const app = await employer.call('POST', '/api/v1/applications',
      { kind: 'benefit', policy: 'apprentice-training', period: '2026', item: String(a.id), enterprise_id: eid })
    await office.call('POST', `/api/v1/applications/${app.id}/actions`,
      { action: 'return', comment: '应为高级工班', fields: ['facts'] })
    const page = await as(ctx, 'employer')
    await page.goto(s.url + '/org/apprentices')
    await page.locator(`[data-test=resubmit-${app.id}]`).waitFor()
    // the register corrected: advanced → 6000 元, half in 2026
    await page.locator(`[data-test=appr-edit-${a.id}]`).click()
    await page.locator('.el-select', { has: page.locator('#appr-level') }).click()
    await page.getByRole('option', { name: '高级工班' }).click()
    await page.locator('[data-test=appr-save]').click()
    await page.locator(`[data-test=inst-${a.id}-1]`).filter({ hasText: '¥3,000.00' }).waitFor()
    await page.locator(`[data-test=resubmit-${app.id}]`).click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator(`[data-test=resubmit-${app.id}]`).waitFor({ state: 'detached' })
    const now = (await office.call('GET', `/api/v1/applications/${app.id}`)).application
    assert.equal(now.state, 'office_review')
    assert.equal(now.proposal.entitlements[0].amount_fen, 300000)
  },

  async 'the employer withdraws a claim from its detail page; the instalment can be claimed again'(ctx) {
    const { s, eid, employer, office } = ctx
    const a = await employer.call('POST', `/api/v1/enterprises/${eid}/apprentices`,
      { name: '浏览器学徒丙', id_number: idNumber(703), level: 'intermediate', enrolled_on: '2026-04-01' })
    const app = await employer.call('POST', '/api/v1/applications',
      { kind: 'benefit', policy: 'apprentice-training', period: '2026', item: String(a.id), enterprise_id: eid })
    const page = await as(ctx, 'employer')
    await page.goto(`${s.url}/org/applications/${app.id}`)
    // the applicant may withdraw; approving is the office's, not offered here
    await page.locator('[data-test=act-withdraw]').click()
    assert.equal(await page.locator('[data-test=act-approve]').count(), 0)
    await page.locator('#act-comment').fill('学徒已转岗，不再申请')
    await checkA11y(page, 'withdraw claim')
    await page.locator('[data-test=act-send]').click()
    await page.locator('[data-test=history]').getByText('学徒已转岗，不再申请').waitFor()
    assert.equal((await office.call('GET', `/api/v1/applications/${app.id}`)).application.state, 'withdrawn')
    // the list offers the claim again (a withdrawn claim leaves the key open)
    await page.goto(s.url + '/org/apprentices')
    await page.locator(`[data-test=claim-${a.id}-2026]`).waitFor()
  },

  async 'no script errors on the way'({ desk }) {
    const bad = desk.errors.filter((e) => !/Failed to load resource/.test(e))
    assert.deepEqual(bad, [], 'the console stayed clean')
  },
}
