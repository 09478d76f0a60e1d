// Three API capabilities on their pages (issue 7: every capability of the API usable from
// the browser).  The office reviewer adds an industry code — a code outside A-Z, 0-9 and _
// is refused beside its field and nothing is stored; a good one is listed under its group —
// and renames it (the page and the API agree).  The admin (TOTP) links a demo talent to the
// demo liaison (an unknown talent number is refused beside the field); the liaison can then
// read that talent (docs/security.md: a liaison reads the talents linked to them); the admin
// unlinks it and the liaison no longer can.  The office reviewer exports the talents list
// filtered by a town: every row of the CSV file is of that town and there are as many as the
// list's total.
//
// Rules: src/domain/reference.c (industry_save: code 1-16 of A-Z 0-9 _, the parent a group),
// src/api/users.c (links: admin only, liaison accounts only; the admin sees masked names),
// src/api/imports.c + src/domain/export.c (the export takes the list's filters; the town
// column 所在镇街 holds the town's name).  The demo links talents 1-20 to the liaison
// (src/cli/demo.c), so the test links one above 20.
import { readFileSync } from 'node:fs'
import { startServer, openBrowser, shot, checkA11y, checkKeyboard, assert, pick, listsClosed, fieldError, loginAs, closeAll } from './harness.mjs'

/** RFC 4180 CSV → rows of cells (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = []
  let row = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++ } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') { row.push(cell); cell = '' }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(cell); rows.push(row); row = []; cell = ''
    } else cell += ch
  }
  if (cell || row.length) { row.push(cell); rows.push(row) }
  return rows
}

export async function before() {
  const s = await startServer({ talents: 120, enterprises: 20 })
  const desk = await openBrowser()
  const office = await s.api('office')
  return { s, desk, office }
}

export { closeAll as after }

const as = loginAs

const industries = async (api) => (await api.call('GET', '/api/v1/reference/industries')).items

export const tests = {
  async 'the office adds an industry code: a bad code is refused beside its field, a good one is listed and renamed'(ctx) {
    const { s, office } = ctx
    const page = await as(ctx, 'office')
    await page.goto(s.url + '/office/industries')
    const table = page.locator('[data-test=industries]')
    await table.getByText('集成电路', { exact: true }).waitFor()          // a chain of the seeded table
    await checkA11y(page, 'industries')
    await checkKeyboard(page, 'industries')
    await shot(page, 'ref-industries')
    const before = (await industries(office)).length

    await page.locator('[data-test=ind-add]').click()
    const dlg = page.locator('.el-dialog[data-test=ind-form]')
    await dlg.waitFor()
    await page.locator('#ind-code').fill('ai-robot')                      // lower case and '-': not A-Z 0-9 _
    await page.locator('#ind-zh').fill('人工智能')
    await page.locator('#ind-en').fill('Artificial intelligence')
    await pick(page, 'ind-parent', '三大战略性新兴产业')                  // group G3
    await checkA11y(page, 'industry form')
    await page.locator('[data-test=ind-save]').click()
    await fieldError(page, 'ind-code').filter({ hasText: '大写字母' }).waitFor()
    assert.equal(await fieldError(page, 'ind-zh').count(), 0, 'no error beside a good field')
    await shot(page, 'ref-industry-error')
    const after1 = await industries(office)
    assert.equal(after1.length, before, 'nothing stored')
    assert.ok(!after1.some((x) => /robot/i.test(x.code)), 'the bad code is not in the table')

    await page.locator('#ind-code').fill('AI_ROBOT')
    await page.locator('[data-test=ind-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = table.locator('.el-table__row', { hasText: 'AI_ROBOT' })
    await row.getByText('人工智能', { exact: true }).waitFor()
    let it = (await industries(office)).find((x) => x.code === 'AI_ROBOT')
    assert.deepEqual([it.name_zh, it.name_en, it.parent, it.kind], ['人工智能', 'Artificial intelligence', 'G3', '4341'], 'stored as entered')
    // listed under its group: the tree shows it among G3's chains, after 集成电路 (IC, also G3)
    const order = await table.locator('.el-table__body .el-table__row td:first-child').allInnerTexts()
    const at = (c) => order.findIndex((x) => x.trim() === c)
    assert.ok(at('G3') < at('IC') && at('IC') < at('AI_ROBOT') && at('AI_ROBOT') < at('G4S'), `under G3: ${order.join(' ')}`)

    // rename it
    await row.locator('[data-test=ind-edit-AI_ROBOT]').click()
    await dlg.waitFor()
    assert.ok(await page.locator('#ind-code').isDisabled(), 'the code cannot be changed')
    await page.locator('#ind-zh').fill('人工智能与机器人')
    await page.locator('[data-test=ind-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await row.getByText('人工智能与机器人', { exact: true }).waitFor()
    it = (await industries(office)).find((x) => x.code === 'AI_ROBOT')
    assert.deepEqual([it.name_zh, it.name_en, it.parent], ['人工智能与机器人', 'Artificial intelligence', 'G3'], 'the API has the new name')
    await shot(page, 'ref-industries-added')
  },

  async 'the admin links a talent to the liaison, who can then read it; unlinked, it is hidden again'(ctx) {
    const { s, office } = ctx
    const liaison = await s.api('liaison')
    // a demo talent not linked to the liaison (the demo links talents 1-20)
    const target = (await office.call('GET', '/api/v1/talents?per_page=100')).items.find((x) => x.id > 20)
    assert.ok(target, 'a talent above 20')
    const readable = async () => {
      try { await liaison.call('GET', `/api/v1/talents/${target.id}`); return true } catch (e) {
        assert.equal(e.status, 404, 'hidden like a missing record')
        return false
      }
    }
    assert.equal(await readable(), false, 'not linked yet: the liaison cannot read it')

    const page = await as(ctx, 'admin')
    await page.goto(s.url + '/office/users?role=liaison')
    const row = page.locator('[data-test=users] .el-table__row', { hasText: 'liaison' }).first()
    await row.locator('[data-test=user-links-liaison]').click()
    const dlg = page.locator('.el-dialog[data-test=links]')
    await dlg.waitFor()
    const list = dlg.locator('[data-test=links-list]')
    await list.locator('.el-table__row').first().waitFor()
    assert.equal(await list.locator('.el-table__row').count(), 20, 'the demo links')
    // masked names only (the admin never reads the registry's personal data)
    for (const n of await list.locator('.el-table__row td:nth-child(2)').allInnerTexts()) assert.match(n.trim(), /^.\*{0,3}$/u, `masked: ${n}`)
    await checkA11y(page, 'links dialog')

    // an unknown talent: refused beside the field
    await page.locator('#lk-talent').fill('999999')
    await dlg.locator('[data-test=link-add]').click()
    await fieldError(page, 'lk-talent').filter({ hasText: '没有这个人才档案' }).waitFor()
    await page.locator('#lk-talent').fill(String(target.id))
    await dlg.locator('[data-test=link-add]').click()
    await list.locator('[data-test=link-remove-' + target.id + ']').waitFor()
    await fieldError(page, 'lk-talent').waitFor({ state: 'detached' })   // the error is gone
    const mine = list.locator('.el-table__row', { has: page.locator('[data-test=link-remove-' + target.id + ']') })
    assert.equal((await mine.locator('td').nth(1).innerText()).trim(), [...target.name][0] + '*'.repeat(Math.min(3, [...target.name].length - 1)), 'its masked name')
    await shot(page, 'ref-links')

    // what the link grants: the liaison reads the talent and finds it in their list
    assert.equal(await readable(), true, 'linked: the liaison reads it')
    const theirs = (await liaison.call('GET', '/api/v1/talents?per_page=100')).items.map((x) => x.id)
    assert.ok(theirs.includes(target.id), 'and it is in their list')
    assert.equal(theirs.length, 21)

    await list.locator('[data-test=link-remove-' + target.id + ']').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await list.locator('[data-test=link-remove-' + target.id + ']').waitFor({ state: 'detached' })
    assert.equal(await list.locator('.el-table__row').count(), 20)
    assert.equal(await readable(), false, 'unlinked: hidden again')
  },

  async 'the office exports the talents of one town: every row is of that town, as many as the list says'(ctx) {
    const { s, office } = ctx
    const towns = (await office.call('GET', '/api/v1/reference/towns')).items
    // a town with several demo talents (whatever the demo's seed spread)
    const all = (await office.call('GET', '/api/v1/talents?per_page=200')).items
    const counts = {}
    for (const x of all) counts[x.town] = (counts[x.town] || 0) + 1
    const code = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0]
    const town = towns.find((x) => x.code === code)
    const want = (await office.call('GET', '/api/v1/talents?town=' + code)).total
    assert.ok(want > 1 && want < all.length, `a town with some of the talents: ${want}`)

    const page = await as(ctx, 'office')
    await page.goto(s.url + '/office/talents')
    await page.locator('[data-test=talents] .el-table__row').first().waitFor()
    await pick(page, 't-town', town.name_zh)
    await page.getByRole('button', { name: '搜索' }).click()
    await page.waitForURL((u) => u.searchParams.get('town') === code)
    await page.locator('.el-pagination__total', { hasText: String(want) }).waitFor()
    await checkA11y(page, 'talents filtered')
    await shot(page, 'ref-talents-town')

    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=talents-export-csv]').click()])
    assert.equal(dl.suggestedFilename(), 'talents.csv')
    const rows = parseCsv(readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c !== ''))
    const head = rows.shift()
    const col = head.indexOf('所在镇街')
    assert.ok(col >= 0, `a town column: ${head.join(',')}`)
    assert.equal(rows.length, want, 'as many rows as the list total')
    assert.deepEqual([...new Set(rows.map((r) => r[col]))], [town.name_zh], 'every row of that town')

    // Excel too: the same filter gives a workbook
    const [x] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=talents-export-xlsx]').click()])
    assert.equal(x.suggestedFilename(), 'talents.xlsx')
    assert.equal(readFileSync(await x.path()).subarray(0, 2).toString(), 'PK', 'a zip (XLSX) file')
  },

  async 'no script errors on the way'({ desk }) {
    assert.deepEqual(desk.errors.filter((e) => !/Failed to load resource/.test(e)), [])
  },
}
