// Office work beyond the review queues: team review from the round to the tier (the office, the
// demo expert, a talent's and an employer's teams), registrations, the working-day calendar.
// Numbers are worked out from docs/team-review.md "The ranking (exact definition)".
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { startServer, apiSession, openBrowser, login, shot, checkA11y, checkKeyboard, scrollsSideways, assert, ROOT, PASSWORD, loginAs, closeAll } from './harness.mjs'

const jsQR = createRequire(join(ROOT, 'web', 'package.json'))('jsqr')

export async function before() {
  const s = await startServer({ talents: 120, enterprises: 20 })
  const desk = await openBrowser()
  const ctx = { s, desk, round: null, teamA: null, teamB: null }
  // the admin enrols TOTP now: its browser login comes minutes later, in another 30-s window
  // (a code is accepted once)
  await s.account('admin')
  return ctx
}

export { closeAll as after }

/** Logs the browser out (cookies gone) and in as `user`. */
const as = loginAs

/** Clicks the primary button of an open ElMessageBox (确定). */
async function confirmBox(page) {
  const b = page.locator('.el-message-box__btns .el-button--primary')
  await b.waitFor()
  await b.click()
  await page.locator('.el-message-box').waitFor({ state: 'hidden' })
}

// The round's criteria after the office edits one row of the default table: feasibility's weight
// 20 → 10 (max 20).  Expert total = 100 × Σ(w × s / max) / Σw with Σw = 30 + 25 + 25 + 10 = 90.
// Team A's scores 24, 20, 18, 15: 100 × (30·24/30 + 25·20/25 + 25·18/25 + 10·15/20) / 90
//   = 100 × (24 + 20 + 18 + 7.5) / 90 = 6950 / 90 = 77.222… → 77.22.
// Team B's scores 10, 10, 10, 10: 100 × (10 + 10 + 10 + 5) / 90 = 3500 / 90 = 38.888… → 38.89.
// One expert: n = 1, sd = 0, nothing flagged; A ranks 1, B ranks 2 (mean descending).
const A_SCORES = { innovation: 24, industry_fit: 20, team_strength: 18, feasibility: 15 }

export const tests = {
  async 'the office creates a round with an edited criterion and puts the demo expert on the panel'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    await as(ctx, 'office')
    await page.goto(s.url + '/office/team-rounds')
    await page.locator('[data-test=rounds]').waitFor()
    await checkA11y(page, 'team rounds')
    await page.locator('[data-test=round-new]').click()
    await page.locator('#rn-title').fill('2026 年度团队评审（浏览器测试）')
    // the 4th row is feasibility (weight 20, max 20): weight 10
    const w = page.getByLabel('权重 4')
    await w.fill('10')
    await w.press('Tab')
    await page.getByText('权重合计 90').waitFor()
    await checkA11y(page, 'new round dialog')
    await shot(page, 'office-team-round-new')
    await page.locator('[data-test=round-create]').click()
    await page.waitForURL(/\/office\/team-rounds\/\d+$/)
    ctx.round = Number(page.url().split('/').pop())
    await page.locator('[data-test=round-status]', { hasText: '申报中' }).waitFor()

    // the expert's account id (the office types it, or picks it when the list is offered)
    const expert = await s.api('expert')
    const me = await expert.call('GET', '/api/v1/session')
    const pick = page.locator('#pn-expert')
    if (await page.locator('.el-select', { has: pick }).count()) {
      await page.locator('.el-select', { has: pick }).click()
      await page.getByRole('option', { name: /expert/ }).click()
    } else {
      await pick.fill('999999')
      await page.locator('[data-test=panel-add]').click()
      // not an expert account: said beside the field
      await page.locator('.el-form-item__error').first().waitFor()
      await pick.fill(String(me.user.id))
    }
    await page.locator('[data-test=panel-add]').click()
    await page.locator('[data-test=panel] .el-table__row', { hasText: 'expert' }).waitFor()
    const round = await (await s.api('office')).call('GET', `/api/v1/team-rounds/${ctx.round}`)
    assert.deepEqual(round.panel.map((p) => p.expert_id), [me.user.id])
    assert.deepEqual(round.criteria.map((c) => [c.id, c.weight, c.max]),
      [['innovation', 30, 30], ['industry_fit', 25, 25], ['team_strength', 25, 25], ['feasibility', 10, 20]])
    await checkA11y(page, 'round')
    await checkKeyboard(page, 'round')
    await shot(page, 'office-team-round')
  },

  async 'a talent and an employer apply; the talent sees the call and its team'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    const talent = await s.api('talent')
    ctx.teamA = (await talent.call('POST', '/api/v1/teams', {
      round_id: ctx.round, name: '新材料团队', project_title: '高性能纤维', project_summary: '面向鞋服产业的新型纤维',
      members: [{ name: '王五', role: '研发' }, { name: '赵六', role: '工艺' }],
    })).id
    const employer = await s.api('employer')
    const staff = (await employer.call('GET', '/api/v1/talents?per_page=5')).items
    assert.ok(staff.length > 0, 'the demo employer has staff')
    ctx.teamB = (await employer.call('POST', '/api/v1/teams', {
      round_id: ctx.round, name: '智能制造团队', project_title: '数字化车间', leader_talent_id: staff[0].id,
    })).id
    await as(ctx, 'talent')
    await page.goto(s.url + '/teams')
    await page.locator(`[data-test=apply-${ctx.round}]`).waitFor()
    await page.locator('[data-test=my-teams] .el-table__row', { hasText: '新材料团队' }).waitFor()
    assert.match(await page.locator('[data-test=my-teams]').innerText(), /已申报/)
    await checkA11y(page, 'teams')
    await checkKeyboard(page, 'teams')
    await shot(page, 'talent-teams')
    // the apply form names its fields
    await page.locator(`[data-test=apply-${ctx.round}]`).click()
    await page.locator('#ta-name').waitFor()
    await checkA11y(page, 'apply dialog')
    await page.getByRole('button', { name: '取消' }).click()
  },

  async 'the office opens scoring; the expert scores, an out-of-range score is refused beside its field'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    await as(ctx, 'office')
    await page.goto(`${s.url}/office/team-rounds/${ctx.round}`)
    await page.locator('[data-test=round-scoring]').click()
    await confirmBox(page)
    await page.locator('[data-test=round-status]', { hasText: '评分中' }).waitFor()

    await as(ctx, 'expert')
    await page.goto(s.url + '/expert/rounds')
    await page.locator(`[data-test=expert-round-${ctx.round}]`).waitFor()
    await page.locator(`[data-test=expert-round-${ctx.round}] .el-table__row`, { hasText: '新材料团队' }).waitFor()
    await checkA11y(page, 'expert rounds')
    await shot(page, 'expert-rounds')
    await page.locator(`[data-test=score-${ctx.teamA}]`).click()
    await page.waitForURL(new RegExp(`/expert/teams/${ctx.teamA}$`))
    await page.locator('#sc-innovation').waitFor()
    // the expert sees the application, without talent ids
    assert.match(await page.locator('.team-card').innerText(), /高性能纤维[\s\S]*王五/)
    // 31 is over innovation's max of 30: 422 scores.innovation, shown beside that field
    await page.locator('#sc-innovation').fill('31')
    for (const [k, v] of Object.entries(A_SCORES)) if (k !== 'innovation') await page.locator('#sc-' + k).fill(String(v))
    await page.locator('[data-test=score-save]').click()
    const item = page.locator('.el-form-item', { has: page.locator('#sc-innovation') })
    await item.locator('.el-form-item__error').waitFor()
    assert.match(await item.locator('.el-form-item__error').innerText(), /30|范围|超出/)
    await shot(page, 'expert-score-error')
    await page.locator('#sc-innovation').fill(String(A_SCORES.innovation))
    // the total shown as typed, by the definition: 77.22
    await page.locator('[data-test=my-total]', { hasText: '77.22' }).waitFor()
    await page.locator('[data-test=score-save]').click()
    await item.locator('.el-form-item__error').waitFor({ state: 'detached' })
    const expert = await s.api('expert')
    for (let i = 0; i < 50; i++) {
      const mine = (await expert.call('GET', `/api/v1/teams/${ctx.teamA}`)).my_scores
      if (mine && Object.keys(mine).length === 4) { assert.deepEqual(mine, A_SCORES); break }
      assert.ok(i < 49, 'the scores were saved')
      await new Promise((r) => setTimeout(r, 100))
    }
    await checkA11y(page, 'expert team')
    await checkKeyboard(page, 'expert team')
    await shot(page, 'expert-team')
    // team B through the API (the same expert)
    await expert.call('POST', `/api/v1/teams/${ctx.teamB}/scores`,
      { scores: { innovation: 10, industry_fit: 10, team_strength: 10, feasibility: 10 } })
  },

  async 'the office closes scoring, reads the ranking worked out by hand and decides a tier'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    await as(ctx, 'office')
    await page.goto(`${s.url}/office/team-rounds/${ctx.round}`)
    await page.locator('[data-test=round-close]').click()
    await confirmBox(page)
    await page.locator('[data-test=round-status]', { hasText: '已结束' }).waitFor()
    const rows = page.locator('[data-test=ranking] .el-table__body-wrapper .el-table__row')
    await rows.first().waitFor()
    assert.equal(await rows.count(), 2)
    // rank 1: team A, mean 77.22, sd 0; rank 2: team B, mean 38.89
    const first = await rows.nth(0).innerText()
    const second = await rows.nth(1).innerText()
    assert.match(first, /^1\s[\s\S]*新材料团队[\s\S]*77\.22[\s\S]*0\.00/)
    assert.match(second, /^2\s[\s\S]*智能制造团队[\s\S]*38\.89/)
    assert.equal(await page.locator('[data-test=ranking] [data-flagged=true]').count(), 0)
    // decide: the reason is required (said beside the field), then tier A
    await rows.nth(0).locator('[data-test=decide]').click()
    await page.locator('[data-test=tier-A]').click()
    await page.locator('[data-test=decide-submit]').click()
    await page.locator('.el-form-item', { has: page.locator('#dec-reason') }).locator('.el-form-item__error').waitFor()
    await page.locator('#dec-reason').fill('排名第一，创新性突出')
    await page.locator('[data-test=decide-submit]').click()
    await rows.nth(0).locator('[data-test=tier]', { hasText: 'A 档' }).waitFor()
    const team = await (await s.api('office')).call('GET', `/api/v1/teams/${ctx.teamA}`)
    assert.equal(team.support_tier, 'A')
    assert.equal(team.status, 'decided')
    assert.equal(team.reason, '排名第一，创新性突出')
    await checkA11y(page, 'ranking')
    await shot(page, 'office-team-ranking')
  },

  async 'six experts: the outlying total is flagged in red, the mean and sd as worked out by hand'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    // docs/team-review.md's worked example (default criteria, weight = max: a total is the plain
    // sum): totals 80, 82, 78, 81, 79 and 20.  Mean 420 / 6 = 70; squared deviations 100 + 144 +
    // 64 + 121 + 81 + 2500 = 3010; population sd = sqrt(3010 / 6) = 22.40; 2 sd = 44.80.
    // |20 − 70| = 50 > 44.80: the 20 is flagged (z = −50 / 22.398 = −2.23); 12 is not.
    const office = await s.api('office')
    const admin = await s.api('admin')
    const rnd = await office.call('POST', '/api/v1/team-rounds', { year: 2026, title: '离群评分示例' })
    const sessions = [await s.api('expert')]
    const ids = [(await sessions[0].call('GET', '/api/v1/session')).user.id]
    for (let i = 1; i <= 5; i++) {
      const made = await admin.call('POST', '/api/v1/users', { username: `expert${i}`, role: 'expert', display_name: `专家${i}` })
      const api = await apiSession(s.url, `expert${i}`, made.password)
      await api.call('POST', '/api/v1/session/password', { current_password: made.password, new_password: PASSWORD })
      sessions.push(await apiSession(s.url, `expert${i}`, PASSWORD))
      ids.push(made.user.id)
    }
    for (const id of ids) await office.call('POST', `/api/v1/team-rounds/${rnd.id}/panel`, { expert_id: id })
    const team = await (await s.api('talent')).call('POST', '/api/v1/teams', { round_id: rnd.id, name: '离群示例团队', project_title: '示例' })
    await office.call('POST', `/api/v1/team-rounds/${rnd.id}/scoring`, {})
    const sets = [[24, 20, 20, 16], [25, 21, 20, 16], [23, 20, 19, 16], [24, 21, 20, 16], [24, 20, 19, 16], [5, 5, 5, 5]]
    for (let i = 0; i < 6; i++) {
      const [a, b, c, d] = sets[i]
      await sessions[i].call('POST', `/api/v1/teams/${team.id}/scores`,
        { scores: { innovation: a, industry_fit: b, team_strength: c, feasibility: d } })
    }
    await as(ctx, 'office')
    await page.goto(`${s.url}/office/team-rounds/${rnd.id}`)
    const row = page.locator('[data-test=ranking] .el-table__body-wrapper .el-table__row', { hasText: '离群示例团队' })
    await row.waitFor()
    assert.match(await row.innerText(), /70\.00[\s\S]*22\.40/)
    const flagged = row.locator('[data-flagged=true]')
    assert.equal(await flagged.count(), 1)
    assert.match(await flagged.innerText(), /20\.00[\s\S]*离群/)
    assert.equal(await row.locator('[data-flagged=false]').count(), 5)
    assert.match(await row.getAttribute('class'), /has-outlier/)
    await flagged.hover()
    await page.getByRole('tooltip').filter({ hasText: 'z = -2.23' }).waitFor()
    await shot(page, 'office-team-outlier')
    // English one click away
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Ranking' }).waitFor()
    assert.match(await flagged.innerText(), /20\.00[\s\S]*outlier/)
    assert.equal(await page.title(), 'Review round - TalentPort')
    await page.getByRole('button', { name: '中文' }).click()
    await page.getByRole('heading', { name: '排名' }).waitFor()
  },

  async 'a registration submitted to the API is approved in the browser'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    const office = await s.api('office')
    // talent 7 has no account: its full ID number (the office may unmask) and name
    const t7 = await office.call('GET', '/api/v1/talents/7?unmask=true', undefined, { 'X-Unmask-Reason': 'browser test: registration' })
    const r = await fetch(s.url + '/api/v1/registrations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Origin: s.url },
      body: JSON.stringify({ kind: 'talent', username: 'reg-browser', password: 'Zhuce-Mima-2026!', name: t7.name, id_number: t7.id_number }),
    })
    const text = await r.text()
    assert.equal(r.status, 202, text)
    const reg = JSON.parse(text)
    await as(ctx, 'office')
    await page.goto(s.url + '/office/registrations')
    const row = page.locator('[data-test=registrations] .el-table__row', { hasText: 'reg-browser' })
    await row.waitFor()
    assert.match(await row.innerText(), /已匹配/)
    await checkA11y(page, 'registrations')
    await checkKeyboard(page, 'registrations')
    await shot(page, 'office-registrations')
    await page.locator(`[data-test=reg-approve-${reg.id}]`).first().click()
    await confirmBox(page)
    await row.waitFor({ state: 'detached' }) // the pending filter no longer lists it
    const all = (await office.call('GET', '/api/v1/registrations?status=approved&per_page=100')).items
    const done = all.find((x) => x.username === 'reg-browser')
    assert.ok(done && done.user_id, 'approved with its account')
    // a request that matches no record cannot be approved: rejected with its reason
    const bad = await fetch(s.url + '/api/v1/registrations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Origin: s.url },
      body: JSON.stringify({ kind: 'talent', username: 'reg-nomatch', password: 'Zhuce-Mima-2026!', name: '冒名者', id_number: t7.id_number }),
    })
    assert.equal(bad.status, 202)
    const badId = (await bad.json()).id
    const badRow = page.locator('[data-test=registrations] .el-table__row', { hasText: 'reg-nomatch' })
    await page.reload()
    await badRow.waitFor()
    assert.match(await badRow.innerText(), /未匹配/)
    assert.equal(await page.locator(`[data-test=reg-approve-${badId}]`).first().isDisabled(), true)
    await page.locator(`[data-test=reg-reject-${badId}]`).first().click()
    await page.locator('[data-test=reason-submit]').click()
    await page.locator('.el-form-item', { has: page.locator('#reason-input') }).locator('.el-form-item__error').waitFor()
    await page.locator('#reason-input').fill('姓名与档案不符')
    await page.locator('[data-test=reason-submit]').click()
    await badRow.waitFor({ state: 'detached' })
    const rejected = (await office.call('GET', '/api/v1/registrations?status=rejected&per_page=100')).items
    assert.equal(rejected.find((x) => x.id === badId).reason, '姓名与档案不符')
    // the new account logs in with the password it chose
    const fresh = await fetch(s.url + '/api/v1/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: s.url },
      body: JSON.stringify({ username: 'reg-browser', password: 'Zhuce-Mima-2026!' }),
    })
    assert.ok(fresh.ok, 'the new account logs in: ' + fresh.status)
  },

  async 'the calendar shows 国庆 and a day the test adds, and removes it again'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    await as(ctx, 'office')
    await page.goto(s.url + '/office/calendar?month=2026-10')
    // 2026-10-01 is a holiday of the seeded calendar (国庆节); 2026-09-20 an adjusted working day
    const oct1 = page.locator('[data-test=calendar] .cell[data-day="2026-10-01"]')
    await oct1.locator('.mark.holiday').waitFor()
    assert.match(await oct1.innerText(), /休[\s\S]*国庆节/)
    await page.locator('[data-test=cal-list] .el-table__row', { hasText: '2026-09-20' }).filter({ hasText: '调休上班' }).waitFor()
    await checkA11y(page, 'calendar')
    // a test day: 2026-10-12 (a Monday) as a holiday
    await page.locator('[data-test=cal-add]').click()
    await page.locator('#cal-day').fill('2026-10-12')
    await page.locator('#cal-day').press('Enter')
    await page.locator('#cal-name').fill('测试休息日')
    await page.locator('[data-test=cal-save]').click()
    const d12 = page.locator('[data-test=calendar] .cell[data-day="2026-10-12"]')
    await d12.locator('.mark.holiday').waitFor()
    assert.match(await d12.innerText(), /测试休息日/)
    const cal = await (await s.api('office')).call('GET', '/api/v1/calendar?year=2026')
    assert.deepEqual(cal.items.find((x) => x.day === '2026-10-12'), { day: '2026-10-12', kind: 'holiday', name: '测试休息日' })
    await checkA11y(page, 'calendar dialog closed')
    await shot(page, 'office-calendar')
    await page.locator('[data-test="cal-del-2026-10-12"]').click()
    await confirmBox(page)
    await d12.locator('.mark').waitFor({ state: 'detached' })
  },

  async 'the office records a provincial holder directly; the detail has its QR and PDF; suspend needs a reason'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    await as(ctx, 'office')
    const office = await s.api('office')
    const t9 = await office.call('GET', '/api/v1/talents/9')
    await page.goto(s.url + '/office/certificates')
    await page.locator('#ct-q').fill(t9.name)
    await page.locator('[data-test=cert-search]').click()
    await page.locator('[data-test=cert-talents] .el-table__row', { hasText: t9.name }).first().waitFor()
    await checkA11y(page, 'certificates')
    await page.locator('[data-test=cert-record]').click()
    await page.locator('#cr-talent').fill(String(t9.id))
    await page.locator('.el-select', { has: page.locator('#cr-tier') }).click()
    await page.getByRole('option', { name: '第3层次' }).click()
    await page.locator('#cr-from').fill('2026-01-01')
    await page.locator('#cr-from').press('Enter')
    await page.locator('#cr-basis').fill('泉州市高层次人才（第三层次）认定')
    await checkA11y(page, 'record certificate')
    await page.locator('[data-test=cert-record-submit]').click()
    await page.waitForURL(/\/office\/certificates\/\d+$/)
    const id = Number(page.url().split('/').pop())
    await page.locator('[data-test=cert-status]', { hasText: '有效' }).waitFor()
    // valid_to defaults to five years less a day: 2026-01-01 → 2030-12-31
    await page.getByText('2026-01-01 ~ 2030-12-31').waitFor()
    const img = page.locator('[data-test=cert-qr]')
    await img.waitFor()
    const px = await img.evaluate((el) => {
      const c = document.createElement('canvas')
      c.width = el.naturalWidth
      c.height = el.naturalHeight
      const g = c.getContext('2d')
      g.drawImage(el, 0, 0)
      const d = g.getImageData(0, 0, c.width, c.height).data
      let bin = ''
      for (let i = 0; i < d.length; i += 8192) bin += String.fromCharCode.apply(null, d.subarray(i, i + 8192))
      return { w: c.width, h: c.height, data: btoa(bin) }
    })
    const qr = jsQR(new Uint8ClampedArray(Buffer.from(px.data, 'base64')), px.w, px.h)
    assert.ok(qr, 'the QR code decodes')
    const cert = await office.call('GET', `/api/v1/certificates/${id}`)
    assert.equal(qr.data, s.url + cert.verify_url)
    assert.equal(cert.tier, 3)
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=cert-pdf]').click()])
    assert.equal(readFileSync(await dl.path()).subarray(0, 5).toString(), '%PDF-')
    await checkA11y(page, 'certificate')
    await checkKeyboard(page, 'certificate')
    await shot(page, 'office-certificate')
    // suspend: the reason is required beside its field; then suspended with it
    await page.locator('[data-test=cert-suspend]').click()
    await page.locator('[data-test=cert-act-submit]').click()
    await page.locator('.el-form-item', { has: page.locator('#ca-reason') }).locator('.el-form-item__error').waitFor()
    await page.locator('#ca-reason').fill('核查学历材料期间暂停')
    await page.locator('[data-test=cert-act-submit]').click()
    await page.locator('[data-test=cert-status]', { hasText: '已暂停' }).waitFor()
    await page.getByText('核查学历材料期间暂停').waitFor()
    const v = await (await fetch(s.url + cert.verify_url, { headers: { Accept: 'application/json' } })).json()
    assert.equal(v.status, 'suspended')
    // reinstate with a reason, then upgrade to tier 2: a new certificate supersedes this one
    await page.locator('[data-test=cert-reinstate]').click()
    await page.locator('#ca-reason').fill('核查完毕')
    await page.locator('[data-test=cert-act-submit]').click()
    await page.locator('[data-test=cert-status]', { hasText: '有效' }).waitFor()
    await page.locator('[data-test=cert-upgrade]').click()
    await page.locator('.el-select', { has: page.locator('#ca-tier') }).click()
    await page.getByRole('option', { name: '第2层次' }).click()
    await page.locator('#ca-reason').fill('获评省级高层次人才（第二层次）')
    await page.locator('[data-test=cert-act-submit]').click()
    await page.waitForURL((u) => /\/office\/certificates\/\d+$/.test(u.pathname) && !u.pathname.endsWith('/' + id))
    const newId = Number(page.url().split('/').pop())
    await page.getByText('第二层次人才').waitFor()
    const old = await office.call('GET', `/api/v1/certificates/${id}`)
    assert.equal(old.status, 'superseded')
    assert.equal(old.superseded_by, newId)
    assert.equal((await office.call('GET', `/api/v1/certificates/${newId}`)).tier, 2)
  },

  async 'self-identification audit, API tokens and the security settings open, labelled and reachable'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    // two nominations of the demo employer's staff (its enterprise qualified for 2026 first)
    const office = await s.api('office')
    const employer = await s.api('employer')
    const me = (await employer.call('GET', '/api/v1/session')).user
    await office.call('POST', '/api/v1/self-identification/qualifications', { enterprise_id: me.enterprise_id, year: 2026 })
    const staff = (await employer.call('GET', '/api/v1/talents?per_page=20')).items
    const noms = []
    for (const t of staff) {
      if (noms.length === 2) break
      try {
        noms.push(await employer.call('POST', '/api/v1/self-identifications',
          { talent_id: t.id, year: 2026, category: 3, justification: '核心研发骨干，主持完成省级项目' }))
      } catch (e) { if (e.status !== 422 && e.status !== 409) throw e } // not employed there, or already nominated
    }
    assert.equal(noms.length, 2, 'two nominations')
    await as(ctx, 'office')
    await page.goto(s.url + '/office/self-identifications?year=2026')
    await page.locator('[data-test=selfids] .el-table__row').nth(1).waitFor()
    await checkA11y(page, 'self-identifications')
    await checkKeyboard(page, 'self-identifications')
    // audit the first with a note; revoke the second with its reason (required beside the field)
    await page.locator(`[data-test=si-audit-${noms[0].id}]`).click()
    await page.locator('#si-reason').fill('材料齐全，符合条件')
    await page.locator('[data-test=reason-submit]').click()
    await page.locator('[data-test=selfids] .el-table__row', { hasText: '材料齐全，符合条件' }).waitFor()
    await page.locator(`[data-test=si-revoke-${noms[1].id}]`).click()
    await page.locator('[data-test=reason-submit]').click()
    await page.locator('.el-form-item', { has: page.locator('#si-reason') }).locator('.el-form-item__error').waitFor()
    await page.locator('#si-reason').fill('已离职')
    await page.locator('[data-test=reason-submit]').click()
    await page.locator('[data-test=selfids] .el-table__row', { hasText: '已离职' }).filter({ hasText: '已撤销' }).waitFor()
    const a = await office.call('GET', `/api/v1/self-identifications/${noms[0].id}`)
    const b = await office.call('GET', `/api/v1/self-identifications/${noms[1].id}`)
    assert.equal(a.audit.note, '材料齐全，符合条件')
    assert.equal(a.status, 'active')
    assert.equal(b.status, 'revoked')
    assert.equal(b.revocation.reason, '已离职')
    await shot(page, 'office-self-identifications')
    // a token for the expert: shown once, listed by its prefix, revoked
    await as(ctx, 'expert')
    await page.goto(s.url + '/tokens')
    await page.locator('#tk-name').fill('评分脚本')
    await page.locator('[data-test=token-new]').click()
    const secret = (await page.locator('[data-test=token-secret] code').innerText()).trim()
    assert.equal(secret.length, 43)
    await page.locator('[data-test=tokens] .el-table__row', { hasText: secret.slice(0, 6) }).waitFor()
    const who = await (await fetch(s.url + '/api/v1/session', { headers: { Authorization: 'Bearer ' + secret } })).json()
    assert.equal(who.user.username, 'expert')
    await checkA11y(page, 'tokens')
    await shot(page, 'expert-tokens')
    await as(ctx, 'admin')
    await page.goto(s.url + '/admin/security')
    await page.locator('[data-test=sec-save]').waitFor()
    await checkA11y(page, 'security')
    await shot(page, 'office-security')
  },

  async 'an employer applies in the browser with a leader of its staff; the expert declares a conflict'(ctx) {
    const { s, desk } = ctx
    const { page } = desk
    const office = await s.api('office')
    const r2 = await office.call('POST', '/api/v1/team-rounds', { year: 2026, title: '第二轮团队评审' })
    const experts = (await office.call('GET', '/api/v1/experts')).items
    await office.call('POST', `/api/v1/team-rounds/${r2.id}/panel`, { expert_id: experts.find((x) => x.username === 'expert').id })
    const employer = await s.api('employer')
    const leader = (await employer.call('GET', '/api/v1/talents?per_page=5')).items[1]
    await as(ctx, 'employer')
    await page.goto(s.url + '/teams')
    await page.locator(`[data-test=apply-${r2.id}]`).click()
    // required fields are said beside them
    await page.locator('[data-test=apply-submit]').click()
    await page.locator('.el-form-item', { has: page.locator('#ta-name') }).locator('.el-form-item__error').waitFor()
    await page.locator('#ta-name').fill('鞋服数字化团队')
    await page.locator('.el-select', { has: page.locator('#ta-leader') }).click()
    await page.getByRole('option', { name: `${leader.name} (#${leader.id})` }).click()
    await page.locator('#ta-project').fill('柔性供应链')
    await page.getByRole('button', { name: '添加成员' }).click()
    await page.getByLabel('姓名 1').fill('外聘顾问')
    await page.getByLabel('分工 1').fill('顾问')
    await checkA11y(page, 'employer apply')
    await shot(page, 'employer-team-apply')
    await page.locator('[data-test=apply-submit]').click()
    const row = page.locator('[data-test=my-teams] .el-table__row', { hasText: '鞋服数字化团队' })
    await row.waitFor()
    const teams = (await employer.call('GET', `/api/v1/teams?round_id=${r2.id}`)).items
    assert.equal(teams.length, 1)
    const team = await employer.call('GET', `/api/v1/teams/${teams[0].id}`)
    assert.equal(team.leader.talent_id, leader.id)
    assert.deepEqual(team.members.map((m) => [m.name, m.role]), [['外聘顾问', '顾问']])
    assert.equal(team.enterprise_id, (await employer.call('GET', '/api/v1/session')).user.enterprise_id)
    // the team's own page
    await row.getByRole('link', { name: '鞋服数字化团队' }).click()
    await page.getByText('柔性供应链').waitFor()
    await shot(page, 'employer-team')

    await office.call('POST', `/api/v1/team-rounds/${r2.id}/scoring`, {})
    await as(ctx, 'expert')
    await page.goto(`${s.url}/expert/teams/${team.id}`)
    await page.locator('[data-test=conflict-open]').click()
    await page.locator('[data-test=conflict-submit]').click()
    await page.locator('.el-form-item', { has: page.locator('#coi-reason') }).locator('.el-form-item__error').waitFor()
    await page.locator('#coi-reason').fill('曾为该企业提供咨询服务')
    await page.locator('[data-test=conflict-submit]').click()
    await page.locator('[data-test=conflict-declared]').waitFor()
    assert.equal(await page.locator('[data-test=score-save]').isDisabled(), true)
    assert.equal(await page.locator('#sc-innovation').isDisabled(), true)
    const seen = await (await s.api('expert')).call('GET', `/api/v1/teams/${team.id}`)
    assert.equal(seen.conflict, true)
    await shot(page, 'expert-conflict')
  },

  async 'the talent team page fits a 375-px phone'(ctx) {
    const { s } = ctx
    const phone = await openBrowser({ phone: true })
    try {
      await login(phone.page, s, 'talent', await s.account('talent'))
      await phone.page.goto(s.url + '/teams')
      await phone.page.locator('[data-test=my-teams]').waitFor()
      assert.equal(await scrollsSideways(phone.page), false, '/teams scrolls sideways at 375 px')
      await phone.page.locator(`[data-test=my-teams] a[href="/teams/${ctx.teamA}"]`).click()
      await phone.page.getByText('高性能纤维').waitFor()
      assert.equal(await scrollsSideways(phone.page), false, '/teams/:id scrolls sideways at 375 px')
      await shot(phone.page, 'talent-team-phone')
    } finally {
      await phone.browser.close()
    }
  },
}
