// Self-identification qualification (企业自主认定) in the browser: the office qualifies a demo
// enterprise for a year and sees its standing; a refused qualification shows its error beside
// the field and changes nothing.  The quotas are worked out from docs/self-identification.md
// ("self_id_quota_defaults": the yearly quota per category copied from the enterprise's size).
import { startServer, openBrowser, login, shot, checkA11y, checkKeyboard, assert, pickRemote, closeAll } from './harness.mjs'

// docs/self-identification.md, the [design] table: size → quota of 一类, 二类, 三类
const DEFAULT_QUOTA = { micro: [0, 1, 2], small: [0, 2, 4], medium: [1, 3, 6], large: [2, 5, 10] }
const YEAR = 2027

export async function before() {
  const s = await startServer({ talents: 40, enterprises: 12 })
  const desk = await openBrowser()
  const office = await s.api('office')
  await login(desk.page, s, 'office', await s.account('office'))
  return { s, desk, office }
}

export { closeAll as after }

/** Picks an enterprise in the remote-search select by the start of its name. */
const pickEnterprise = (page, ent) => pickRemote(page, 'sq-ent', ent.name.slice(0, 4), ent.name)

const standing = (office, id, year) => office.call('GET', `/api/v1/enterprises/${id}/self-identification?year=${year}`)

export const tests = {
  async 'the office qualifies a demo enterprise for a year and sees its quotas, then changes one'(ctx) {
    const { s, desk, office } = ctx
    const { page } = desk
    const ents = (await office.call('GET', '/api/v1/enterprises?per_page=100')).items
    // the largest enterprise in an industry of the 4341 system (every demo industry but OTHER)
    const order = ['large', 'medium', 'small', 'micro']
    const ent = ents.filter((e) => e.size && e.industry && e.industry !== 'OTHER')
      .sort((a, b) => order.indexOf(a.size) - order.indexOf(b.size))[0]
    assert.ok(ent, 'a demo enterprise that meets the criteria')
    ctx.ent = ent
    const want = DEFAULT_QUOTA[ent.size]
    assert.equal((await standing(office, ent.id, YEAR)).qualified, false, 'not qualified before')

    await page.goto(s.url + '/office/self-identification/qualifications')
    await page.locator('#sq-ent').waitFor()
    await checkA11y(page, 'qualification page')
    await pickEnterprise(page, ent)
    await page.locator('#sq-year').fill(String(YEAR))
    // the standing before: not qualified, every quota 0
    const card = page.locator('[data-test=sq-standing]')
    await card.getByText('未取得资格').waitFor()
    await page.locator('[data-test=sq-qualify]').click()
    await card.getByText('已具备资格').waitFor()

    // the table: category, quota, used, remaining for 一类, 二类, 三类
    const rows = card.locator('[data-test=sq-categories] .el-table__body tr')
    assert.equal(await rows.count(), 3)
    for (let c = 0; c < 3; c++) {
      const cells = (await rows.nth(c).locator('td').allInnerTexts()).map((x) => x.trim())
      assert.deepEqual(cells.slice(0, 4), [['一类', '二类', '三类'][c], String(want[c]), '0', String(want[c])], `category ${c + 1} of a ${ent.size} enterprise`)
    }
    const a = await standing(office, ent.id, YEAR)
    assert.equal(a.qualified, true)
    assert.equal(a.qualified_by, 'office')
    assert.deepEqual(a.categories.map((c) => c.quota), want)
    // the qualification is not for another year
    assert.equal((await standing(office, ent.id, YEAR + 1)).qualified, false)
    // the enterprise's detail page is one click away
    assert.equal(await card.locator('[data-test=sq-ent-link]').getAttribute('href'), '/office/enterprises/' + ent.id)
    await checkA11y(page, 'qualification standing')
    await checkKeyboard(page, 'qualification standing')
    await shot(page, 'office-selfid-qualify')

    // the office raises the 三类 quota by 3: quota and remaining follow
    const q3 = page.locator('#sq-quota-3')
    await q3.fill(String(want[2] + 3))
    await q3.press('Tab')
    await page.locator('[data-test=sq-save-3]').click()
    await rows.nth(2).locator('td').nth(1).getByText(String(want[2] + 3), { exact: true }).waitFor()
    assert.equal((await rows.nth(2).locator('td').nth(3).innerText()).trim(), String(want[2] + 3))
    const b = await standing(office, ent.id, YEAR)
    assert.deepEqual(b.categories.map((c) => c.quota), [want[0], want[1], want[2] + 3])
    // the route keeps the choice: a reload shows the same standing
    await page.reload()
    await page.locator('[data-test=sq-standing]').getByText('已具备资格').waitFor()
    // to the enterprise's page (its standing this year) and back to this page for that year
    await page.locator('[data-test=sq-ent-link]').click()
    await page.waitForURL(new RegExp('/office/enterprises/' + ent.id + '$'))
    const thisYear = (await office.call('GET', `/api/v1/enterprises/${ent.id}/self-identification`)).year
    await page.locator('[data-test=ent-quota]').getByRole('link', { name: '资格与名额' }).click()
    await page.waitForURL((u) => u.pathname === '/office/self-identification/qualifications' && u.searchParams.get('year') === String(thisYear))
    await page.locator('[data-test=sq-standing]').getByText(`${ent.name} ${thisYear} 年度自主认定`).waitFor()
    // …and to its nominations: the list's filters come from the route query (components/useList.js)
    await page.locator('[data-test=sq-standing]').getByRole('link', { name: '查看该企业的推荐' }).click()
    await page.waitForURL((u) => u.pathname === '/office/self-identifications')
    await page.locator('[data-test=selfids]').waitFor()
    assert.equal(await page.locator('#si-ent').inputValue(), String(ent.id))
    assert.equal(await page.locator('#si-year').inputValue(), String(thisYear))
    // 重置 empties every filter, and the query says so: a reload keeps them empty
    await page.getByRole('button', { name: '重置' }).click()
    await page.waitForURL((u) => u.searchParams.get('year') === '' && !u.searchParams.has('enterprise_id'))
    await page.reload()
    await page.locator('[data-test=selfids]').waitFor()
    assert.equal(await page.locator('#si-year').inputValue(), '')
  },

  async 'a refused qualification shows the error beside the field and changes nothing'(ctx) {
    const { s, desk, office } = ctx
    const { page } = desk
    // an enterprise outside the 4341 system: the office moves one to OTHER (set-up data)
    const ents = (await office.call('GET', '/api/v1/enterprises?per_page=100')).items
    const other = ents.find((e) => e.id !== ctx.ent.id && e.size)
    const cur = await office.call('GET', `/api/v1/enterprises/${other.id}`)
    await office.call('PATCH', `/api/v1/enterprises/${other.id}`, { industry: 'OTHER', version: cur.version })

    await page.goto(s.url + '/office/self-identification/qualifications')
    await pickEnterprise(page, other)
    await page.locator('#sq-year').fill(String(YEAR))
    await page.locator('[data-test=sq-standing]').getByText('未取得资格').waitFor()
    await page.locator('[data-test=sq-qualify]').click()
    const entItem = page.locator('.el-form-item', { has: page.locator('#sq-ent') })
    await entItem.locator('.el-form-item__error', { hasText: '4341' }).waitFor()
    await page.locator('[data-test=sq-error]').waitFor()
    await checkA11y(page, 'refused qualification')
    await shot(page, 'office-selfid-qualify-refused')
    const a = await standing(office, other.id, YEAR)
    assert.equal(a.qualified, false, 'still not qualified')
    assert.deepEqual(a.categories.map((c) => c.quota), [0, 0, 0])

    // a year outside 2000..2100: the error is beside the year
    await page.locator('#sq-year').fill('1999')
    const yearItem = page.locator('.el-form-item', { has: page.locator('#sq-year') })
    await yearItem.locator('.el-form-item__error', { hasText: '2000' }).waitFor()
    await page.locator('[data-test=sq-qualify]').click()
    await yearItem.locator('.el-form-item__error', { hasText: '2000' }).waitFor()
    assert.equal((await standing(office, other.id, 1999).catch((e) => e.status)), 422)
    // nothing was qualified: the earlier enterprise's standing is as it was, the other still not
    assert.equal((await standing(office, other.id, YEAR)).qualified, false)
    const b = await standing(office, ctx.ent.id, YEAR)
    assert.equal(b.qualified, true)
  },
}
