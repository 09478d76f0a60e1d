// Employer and staff pages over the demo data: the employer confirms a talent's tier
// application; the town reviewer finds it in the queue and approves it; the office
// reviewer approves it into the public announcement (公示); a bulk approve of two rows;
// a return with the fields to fix (in the history); the auditor reads these actions in
// the audit log; the admin (TOTP) lists the accounts.
//
// The chain is workflows/identification.yaml: a talent with an employer applies →
// employer_review → (employer approve) town_review → (town approve) office_review →
// (office approve) announced.  An employer applying for its staff starts at town_review.
import { deflateSync } from 'node:zlib'
import { startServer, openBrowser, shot, checkA11y, checkKeyboard, assert, loginAs, closeAll, listsClosed } from './harness.mjs'

const APP = (id) => `/api/v1/applications/${id}`

/** A small valid PNG (w×h, one colour): chunks with their CRC-32, as the upload check wants. */
function png(w, h, rgb) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0 }
  const chunk = (type, data) => {
    const td = Buffer.concat([Buffer.from(type), data])
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length)
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td))
    return Buffer.concat([len, td, c])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())])
  const raw = Buffer.concat(Array.from({ length: h }, () => row))
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')

/** Uploads an evidence file as `user` (the raw file is the body, not JSON: a session of its own). */
async function upload(s, user, appId, name, bytes, type) {
  const h = { Accept: 'application/json', Origin: s.url, 'Content-Type': 'application/json' }
  const login = await fetch(s.url + '/api/v1/session', { method: 'POST', headers: h,
    body: JSON.stringify({ username: user, password: await s.account(user) }) })
  assert.ok(login.ok, 'logged in for the upload')
  const cookie = login.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf } = await login.json()
  const r = await fetch(`${s.url}/api/v1/applications/${appId}/files?filename=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { ...h, 'Content-Type': type, Cookie: cookie, 'X-CSRF-Token': csrf }, body: bytes })
  assert.equal(r.status, 201, `upload ${name}: ${r.status} ${await r.text()}`)
}

/** An 18-character ID number (GB 11643 MOD 11-2 check character) for a new staff member. */
function idNumber(seq) {
  const first17 = `350582198707${String(10 + (seq % 18)).padStart(2, '0')}${String(seq % 1000).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((a, d, i) => a + Number(d) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

export async function before() {
  const s = await startServer()
  const desk = await openBrowser()
  // the talent (demo talent 1) applies for tier 6, as tests/api/test_applications.py does
  const talent = await s.api('talent')
  const me = await talent.call('GET', '/api/v1/session')
  const mine = await talent.call('POST', '/api/v1/applications',
    { kind: 'identification', claimed_tier: 6, form: { claims: [], statement: '申请第六层次（浏览器测试）' } })
  // the demo binds the employer account to talent 1's enterprise: its confirmation comes first
  assert.equal(mine.state, 'employer_review', 'a talent with an employer applies → employer_review')
  // evidence: a scanned certificate (PNG, shown inline) and a PDF (opened or downloaded)
  await upload(s, 'talent', mine.id, '学位证书.png', png(40, 30, [200, 16, 46]), 'image/png')
  await upload(s, 'talent', mine.id, '职称证明.pdf', PDF, 'application/pdf')
  // the employer applies for four more staff of the town reviewer's town (→ town_review)
  const employer = await s.api('employer')
  const staff = (await employer.call('GET', '/api/v1/talents?per_page=200')).items
    .filter((x) => x.id !== me.user.talent_id && x.town === mine.town)
  const more = []
  for (const x of staff) {
    if (more.length === 4) break
    try {
      const a = await employer.call('POST', '/api/v1/applications',
        { kind: 'identification', talent_id: x.id, claimed_tier: 6, form: { claims: [], statement: '单位代为申请' } })
      assert.equal(a.state, 'town_review', 'an employer applying for its staff starts at the town')
      more.push(a)
    } catch (e) {
      if (e.status !== 409) throw e   // an open demo application of that talent: take the next
    }
  }
  // too few staff in the demo: the employer registers new ones in the town (its right)
  for (let seq = 901; more.length < 4 && seq < 930; seq++) {
    let t
    try {
      t = await employer.call('POST', '/api/v1/talents', { name: `浏览器员工${seq}`, id_number: idNumber(seq),
        enterprise_id: mine.enterprise_id, town: mine.town, degree: 'master' })
    } catch (e) {
      if (e.status === 409) continue
      throw e
    }
    more.push(await employer.call('POST', '/api/v1/applications',
      { kind: 'identification', talent_id: t.id, claimed_tier: 6, form: { claims: [], statement: '单位代为申请' } }))
  }
  assert.equal(more.length, 4, 'four staff of the town to apply for')
  const office = await s.api('office')
  const town = await s.api('town')
  // the office qualifies the employer's enterprise for self-identification this year
  const year = Number(new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4))
  await office.call('POST', '/api/v1/self-identification/qualifications', { enterprise_id: mine.enterprise_id, year })
  const ent = await office.call('GET', `/api/v1/enterprises/${mine.enterprise_id}`)
  return { s, desk, mine, more, office, town, ent }
}

export { closeAll as after }

const as = loginAs

async function state(ctx, id) {
  return (await ctx.office.call('GET', APP(id))).application
}

export const tests = {
  async 'the employer sees its staff and confirms the talent’s application'(ctx) {
    const { s, mine } = ctx
    const page = await as(ctx, 'employer')
    assert.equal(new URL(page.url()).pathname, '/org')
    await page.locator('[data-test=ent-name]').waitFor()
    await page.locator('[data-test=staff] .el-table__row').first().waitFor()
    await checkA11y(page, 'org home')
    await checkKeyboard(page, 'org home')
    // the import panel: template links and the file input, labelled
    await page.getByRole('button', { name: '从 Excel 导入' }).click()
    await page.locator('[data-test=import]').waitFor()
    await checkA11y(page, 'org import')
    // two staff rows: a good one (blank credit code = our enterprise) and one whose ID
    // number has a wrong check character → 2 rows, 1 imported, 1 shown with its problem
    const good = idNumber(951)
    const bad = idNumber(952).slice(0, 17) + (idNumber(952)[17] === '0' ? '1' : '0')
    const csv = `姓名,身份证号,所在镇街\r\n导入员工甲,${good},${mine.town}\r\n导入员工乙,${bad},${mine.town}\r\n`
    await page.locator('#org-file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.locator('[data-test=import-result]', { hasText: '共 2 行，导入 1 行，有问题 1 行' }).waitFor()
    const err = page.locator('[data-test=import-errors] .el-table__row')
    assert.equal(await err.count(), 1)
    assert.match(await err.first().innerText(), /3\s+身份证号/)
    await page.locator('[data-test=staff] .el-table__row', { hasText: '导入员工甲' }).waitFor()
    await shot(page, 'employer-home')

    await page.goto(s.url + '/org/applications')
    const row = page.locator('[data-test=org-apps] .el-table__row', { hasText: mine.talent_name })
    await row.waitFor()
    await checkA11y(page, 'org applications')
    await shot(page, 'employer-applications')
    await page.locator(`[data-test=confirm-${mine.id}]`).first().click()
    await page.locator('#act-comment').fill('情况属实，同意申报')
    await page.locator('[data-test=act-send]').click()
    await row.waitFor({ state: 'detached' })
    assert.equal((await state(ctx, mine.id)).state, 'town_review')

    // self-identification: the quotas by the enterprise's size (self_id_quota_defaults of
    // migrations/0012: 一类/二类/三类), the remaining ones always shown; one nomination uses one
    const QUOTA = { micro: [0, 1, 2], small: [0, 2, 4], medium: [1, 3, 6], large: [2, 5, 10] }[ctx.ent.size]
    assert.ok(QUOTA, 'the demo enterprise has a size')
    await page.goto(s.url + '/org/self-identification')
    const remaining = (c) => page.locator(`[data-test=remaining-${c}] .el-statistic__number`)
    for (const c of [1, 2, 3]) await remaining(c).filter({ hasText: String(QUOTA[c - 1]) }).waitFor()
    await checkA11y(page, 'self-identification')
    await page.locator('.el-select', { has: page.locator('#si-talent') }).click()
    await page.getByRole('option', { name: new RegExp(mine.talent_name) }).click()
    await page.locator('.el-select', { has: page.locator('#si-cat') }).click()
    await page.getByRole('option', { name: /三类/ }).click()
    await page.locator('#si-just').fill('本单位研发骨干，主持完成两项新产品开发')
    await page.getByRole('button', { name: '提名自主认定' }).click()
    await page.locator('[data-test=nominations] .el-table__row', { hasText: mine.talent_name }).waitFor()
    await remaining(3).filter({ hasText: String(QUOTA[2] - 1) }).waitFor()
    await shot(page, 'employer-selfid')
    await checkKeyboard(page, 'self-identification')
  },

  async 'the town reviewer finds it in the queue, with the proposal and history, and approves'(ctx) {
    const { s, mine } = ctx
    const page = await as(ctx, 'town')
    assert.equal(new URL(page.url()).pathname, '/office/queue')
    const link = page.locator('[data-test=queue] .el-table__row a', { hasText: mine.talent_name }).first()
    await link.waitFor()
    await checkA11y(page, 'queue')
    await checkKeyboard(page, 'queue')
    await shot(page, 'staff-queue')
    // the overdue filter narrows to overdue steps only: every row left carries the marker
    await page.locator('.el-checkbox', { has: page.locator('#q-overdue') }).click()
    await page.getByRole('button', { name: '搜索' }).click()
    await page.waitForLoadState('networkidle')
    // the demo's application at the town step entered ~20 days ago: past its 10 working days
    const rows = await page.locator('[data-test=queue] .el-table__body-wrapper .el-table__row').count()
    assert.ok(rows >= 1, 'the demo has an overdue town step')
    assert.equal(await page.locator('[data-test=queue] [data-test=overdue]').count(), rows)
    await page.locator('.el-checkbox', { has: page.locator('#q-overdue') }).click()
    await page.getByRole('button', { name: '搜索' }).click()

    await link.click()
    await page.waitForURL(`**/office/applications/${mine.id}`)
    await page.locator('[data-test=history]').getByText('情况属实，同意申报').waitFor()
    // the evidence: the image inline (loaded: it has a width), the PDF as a link
    const img = page.locator('.files img[alt="学位证书.png"]')
    await img.waitFor()
    await page.waitForFunction(() => { const i = document.querySelector('.files img'); return i && i.complete && i.naturalWidth === 40 })
    await page.locator('.files a', { hasText: '职称证明.pdf' }).waitFor()
    await checkA11y(page, 'application detail')
    await checkKeyboard(page, 'application detail')
    await shot(page, 'staff-application')
    await page.locator('[data-test=act-approve]').click()
    await page.locator('#act-comment').fill('镇街审核通过')
    await page.locator('[data-test=act-send]').click()
    await page.locator('[data-test=history]').getByText('镇街审核通过').waitFor()
    assert.equal((await state(ctx, mine.id)).state, 'office_review')
    // nothing more for the town: its buttons are gone
    assert.equal(await page.locator('[data-test=act-approve]').count(), 0)
  },

  async 'the office reviewer approves it into the public announcement'(ctx) {
    const { s, mine } = ctx
    const page = await as(ctx, 'office')
    await page.goto(s.url + `/office/queue`)
    await page.locator('[data-test=queue] .el-table__row a', { hasText: mine.talent_name }).first().waitFor()
    await page.goto(s.url + `/office/applications/${mine.id}`)
    await page.locator('[data-test=act-approve]').click()
    // the office's approval sets the tier: the claimed tier 6 is preselected; another tier
    // (5) needs a reason, checked in the form before anything is sent
    await page.locator('#act-comment').fill('人才办审核通过')
    await page.locator('.el-select', { has: page.locator('#act-tier') }).click()
    await page.getByRole('option', { name: '第5层次' }).click()
    await page.locator('[data-test=act-send]').click()
    await page.getByText('改定层次须说明理由').waitFor()
    assert.equal((await state(ctx, mine.id)).state, 'office_review')
    await page.locator('#act-tier-reason').fill('主持省级重点项目，符合第五层次')
    await page.locator('[data-test=act-send]').click()
    await page.locator('[data-test=history]').getByText('人才办审核通过').waitFor()
    const a = await state(ctx, mine.id)
    assert.deepEqual([a.state, a.final_tier, a.tier_reason], ['announced', 5, '主持省级重点项目，符合第五层次'])

    await page.goto(s.url + '/office/announcements')
    await page.locator('[data-test=announced] .el-table__row', { hasText: mine.talent_name }).waitFor()
    await checkA11y(page, 'announcements')
    await shot(page, 'staff-announcements')
    for (const path of ['/office/talents', '/office/enterprises']) {
      await page.goto(s.url + path)
      await page.locator('.el-table__row').first().waitFor()
      await checkA11y(page, path)
      await shot(page, 'staff-' + path.split('/')[2])
    }
    // search the registry by the talent's name and open the record with its applications
    await page.goto(s.url + '/office/talents')
    await page.locator('#t-q').fill(mine.talent_name)
    await page.getByRole('button', { name: '搜索' }).click()
    await page.locator('[data-test=talents] a', { hasText: mine.talent_name }).first().click()
    await page.locator('[data-test=talent]').waitFor()
    await page.locator('.el-table__row a', { hasText: '#' + mine.id }).waitFor()
    await shot(page, 'staff-talent')
    // the same queue in English, one click away
    await page.goto(s.url + '/office/queue')
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Review queue' }).waitFor()
    assert.equal(await page.title(), 'Review queue - TalentPort')
    await page.getByRole('button', { name: '中文' }).click()
    // the other kind of workflow (快申快享 benefit applications): the queue switches to it
    await page.locator('.el-select', { has: page.locator('#q-kind') }).click()
    await page.getByRole('option', { name: /待遇申请/ }).click()
    await page.getByRole('columnheader', { name: '政策' }).waitFor()
    assert.equal(await page.locator('.el-alert--error').count(), 0)
  },

  async 'the office resolves an objection and closes an announcement whose period is over'(ctx) {
    const { s, office } = ctx
    // the demo's announced application (office approve three weeks ago + 2 days): its 5 working
    // days of 公示 are over; the public lodges an objection, which blocks the close until resolved
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    const over = (await office.call('GET', '/api/v1/applications?state=announced&per_page=100')).items
      .find((a) => a.deadline < today)
    assert.ok(over, 'the demo has an announcement whose period is over')
    const r = await fetch(`${s.url}/api/v1/announcements/${over.id}/objections`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ reason: '学历证明存疑，请核查（浏览器测试）' }) })
    assert.equal(r.status, 201, await r.text())

    const page = await as(ctx, 'office')
    await page.goto(s.url + '/office/announcements')
    const row = page.locator('[data-test=announced] .el-table__body-wrapper .el-table__row', { hasText: over.talent_name }).first()
    await row.waitFor()
    // the close waits for the objection: its button is disabled
    assert.equal(await page.locator(`[data-test=close-${over.id}]`).first().isDisabled(), true)
    await row.locator('.el-table__expand-icon').click()
    await page.getByText('学历证明存疑，请核查（浏览器测试）').waitFor()
    await page.getByRole('button', { name: '处理异议' }).first().click()
    await page.locator('#res-text').fill('经核查学历证明真实，异议不成立')
    await page.locator('.el-dialog').getByRole('button', { name: '提交' }).click()
    await page.locator('.el-table__expanded-cell').getByText('异议不成立', { exact: true }).first().waitFor()
    await shot(page, 'staff-objection')
    await page.locator(`[data-test=close-${over.id}]:not([disabled])`).first().click()
    await page.locator('#act-comment').fill('公示期满，异议已处理')
    await page.locator('[data-test=act-send]').click()
    await row.waitFor({ state: 'detached' })
    const a = await state(ctx, over.id)
    assert.equal(a.state, 'certified')
    assert.ok(a.certificate_id, 'the close issued the certificate')
  },

  async 'bulk approve of two rows (a third, approved meanwhile elsewhere, is stale), then a return with the fields to fix'(ctx) {
    const { s, more, town } = ctx
    const page = await as(ctx, 'town')
    const [a, b, c, d] = more
    for (const x of [a, b, d]) {
      const row = page.locator('[data-test=queue] .el-table__body-wrapper .el-table__row', { hasText: x.talent_name }).first()
      await row.waitFor()
      await row.locator('.el-checkbox').click()
    }
    // another session approves d after this page read it: its version moved on
    await town.call('POST', `${APP(d.id)}/actions`, { action: 'approve', comment: '另一窗口已审核', version: d.version })
    await page.locator('[data-test=bulk-approve]').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    const summary = page.locator('[data-test=bulk-summary]', { hasText: '成功 2 件，失败 1 件' })
    await summary.waitFor()
    // the failure names the row and says someone else acted first (409 stale_version)
    assert.match(await summary.innerText(), new RegExp(`#${d.id} ${d.talent_name}：已被他人处理`))
    await shot(page, 'staff-bulk')
    for (const x of [a, b, d]) assert.equal((await state(ctx, x.id)).state, 'office_review')
    // d was approved once, by the other session, not twice
    const h = (await ctx.office.call('GET', APP(d.id))).history
    assert.deepEqual(h.map((x) => x.action), ['submit', 'approve'])

    await page.goto(s.url + `/office/applications/${c.id}`)
    await page.locator('[data-test=act-return]').click()
    // the form's own check first: a return without a field to fix is not sent
    await page.locator('#act-comment').fill('请补充工作经历说明')
    await page.locator('[data-test=act-send]').click()
    await page.getByText('退回须至少选择一项需修改的项目').waitFor()
    await page.locator('.el-dialog').getByText('申请说明').click()
    await page.locator('[data-test=act-send]').click()
    await page.locator('[data-test=history-fields]', { hasText: '申请说明' }).waitFor()
    const r = await state(ctx, c.id)
    assert.deepEqual([r.state, r.returned_fields], ['returned', ['statement']])
    await shot(page, 'staff-returned')
  },

  async 'the liaison sees the work of their town but takes no step'(ctx) {
    const page = await as(ctx, 'liaison')
    assert.equal(new URL(page.url()).pathname, '/office/queue')
    await page.locator('[data-test=queue] .el-table__body-wrapper .el-table__row').first().waitFor()
    // a liaison helps, never approves: no row can be selected for the bulk approval
    assert.equal(await page.locator('[data-test=queue] .el-table__body-wrapper .el-checkbox:not(.is-disabled)').count(), 0)
    await checkA11y(page, 'liaison queue')
  },

  async 'the auditor reads these actions in the audit log'(ctx) {
    const { s, mine } = ctx
    const page = await as(ctx, 'auditor')
    await page.goto(s.url + '/office/audit')
    await page.locator('#a-otype').fill('application')
    await page.locator('#a-oid').fill(String(mine.id))
    await page.getByRole('button', { name: '搜索' }).click()
    // submit, employer approve, town approve, office approve of this application
    const body = page.locator('[data-test=audit] .el-table__body-wrapper')
    await body.getByText('application.approve').nth(2).waitFor()
    for (const who of ['employer', 'town', 'office']) await body.getByText(who, { exact: true }).first().waitFor()
    await page.locator('#a-oid').fill('')
    await page.locator('#a-action').fill('application.return')
    await page.getByRole('button', { name: '搜索' }).click()
    await body.getByText('application.return').first().waitFor()
    await checkA11y(page, 'audit')
    await shot(page, 'staff-audit')
    // the export of what is filtered: an XLSX file
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=audit-export]').click()])
    assert.equal(dl.suggestedFilename(), 'audit.xlsx')
  },

  async 'the admin (with TOTP) sees the accounts'(ctx) {
    const page = await as(ctx, 'admin')
    assert.equal(new URL(page.url()).pathname, '/office/users')
    const table = page.locator('[data-test=users]')
    for (const u of ['office', 'town', 'employer', 'auditor']) await table.getByText(u, { exact: true }).first().waitFor()
    await checkA11y(page, 'users')
    await checkKeyboard(page, 'users')
    await shot(page, 'staff-users')
    // add a town reviewer: the one-time password is shown once; then disable the account
    await page.locator('[data-test=user-add]').click()
    await page.locator('#nu-username').fill('town_b')
    await page.locator('#nu-name').fill('镇街审核员乙')
    await page.locator('.el-select', { has: page.locator('#nu-role') }).click()
    await page.getByRole('option', { name: '镇街审核员' }).click()
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('必填').first().waitFor()           // the towns are required for this role
    await page.locator('.el-select', { has: page.locator('#nu-towns') }).click()
    await page.getByRole('option').first().click()
    await listsClosed(page)   // a multiple select stays open: closed by a click on the title, not Escape (that would close the dialog)
    await page.locator('.el-select', { has: page.locator('#nu-towns') }).locator('.el-tag').first().waitFor()   // one town chosen
    await page.locator('.el-dialog').getByRole('button', { name: '保存' }).click()
    const shown = page.locator('[data-test=one-time-pw]')
    await Promise.race([shown.waitFor(), page.locator('.el-dialog .el-form-item__error').first().waitFor()])
    assert.equal(await page.locator('.el-dialog .el-form-item__error').count(), 0,
      'the form was accepted: ' + (await page.locator('.el-dialog .el-form-item__error').allInnerTexts()).join('; '))
    const once = await shown.innerText()
    assert.ok(once.length >= 8, 'a one-time password is shown')
    await page.getByRole('dialog', { name: '一次性密码' }).getByRole('button', { name: '关闭', exact: true }).click()
    const row = table.locator('.el-table__row', { hasText: 'town_b' })
    // allow the new reviewer to see full numbers: the list, read again from the server, says so
    assert.equal(await row.locator('[data-test=user-unmask-tag]').count(), 0)
    await row.locator('[data-test=user-unmask-town_b]').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await row.locator('[data-test=user-unmask-tag]').waitFor()
    await row.getByRole('button', { name: '停用' }).click()
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await row.getByText('已停用').waitFor()
  },

  async 'no script errors on the way'({ desk }) {
    assert.deepEqual(desk.errors.filter((e) => !/Failed to load resource/.test(e)), [])
  },
}
