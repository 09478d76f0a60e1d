'use strict';
// zen.js — the default pack in @gorules/zen-engine (a JDM decision graph), over the sample
// bench_policy wrote.
//   node bench/policy/zen.js --facts FILE --expected FILE [--talents N] [--batch N] [--inflight N]
// (the first N talents of the file, default all of the sample, and every enterprise)
//
// What the engine decides, in ZEN expressions of one expression node: every policy's own
// conditions, n of talent-allowance (count over the months), the months of the month policy,
// the children, the amounts from the tables, which instalments fall due in Y, and the
// exclusive groups — it returns, per policy, [granted, excluded, amount].
// What it cannot, done in JS and timed apart ("prepare", common.js): dates as day numbers,
// year_of, age_on, add_years (ZEN's d() works on date-times with zones; the pack's rules
// for Feb 29 and whole years are the engine's own), Y-indexed facts read for Y.
// Two ways of calling it, both timed and both checked:
//   per talent — one evaluate() per person (as a decision service is called), --inflight
//                of them in flight at once (the native side runs them on its own threads);
//   batched    — the same node in loop mode over --batch talents per evaluate().
const { ZenEngine } = require('@gorules/zen-engine');
const C = require('./common');

const a = C.args();
const expected = C.expectedFor(a.expected, a.talents);
const cal = C.calendar(expected.year);
const Y = cal.Y;
const BATCH = +(a.batch || 1000), INFLIGHT = +(a.inflight || 64);

const arr = (xs) => `[${xs.join(', ')}]`;
const MS = arr(cal.ms), ME = arr(cal.me), T = C.T;
const tierOn = (d) => `tierFrom != null and tierFrom <= ${d} and (tierTo == null or tierTo >= ${d})`;
const none = '[0, 0, 0]';

// [key, expression]: later ones read earlier ones as $.key
const PERSON = [
  ['taN', `tierLevel != null and tierFrom != null and insY != null ? count([1..12], (# in insY) and ` +
    `tierFrom <= ${ME}[# - 1] and (tierTo == null or tierTo >= ${MS}[# - 1])) : 0`],
  ['ta', `shortTerm == false and tierLevel != null and $.taN >= 6 ? ` +
    `[1, 0, floor(${arr(T.annual)}[tierLevel] * $.taN / 1200) * 100] : ${none}`],
  ['siN', `siFrom != null and siCat != null and insY != null ? count([1..12], siFrom <= ${ME}[# - 1] and ` +
    `(siTo == null or siTo >= ${MS}[# - 1]) and (# in insY) and (tierLevel == null or (tierFrom != null and ` +
    `(tierFrom > ${ME}[# - 1] or (tierTo != null and tierTo < ${MS}[# - 1]))))) : 0`],
  ['si', `[$.siN, 0, $.siN > 0 ? $.siN * ${arr(T.monthly)}[siCat] : 0]`],
  ['hp', `hpDate != null and hpYear >= ${T.paramYear} and ${tierOn('hpDate')} and hpIn == true and ` +
    `hpFirst == true and hpArea != null and hpArea >= 60 and tierLevel != null`],
  ['hpT', `$.hp ? ${arr(T.hpTotal)}[tierLevel] : 0`],
  ['gh', `hpDate != null and hpYear >= ${T.paramYear} and degree != null and degree >= 2 and grad != null and ` +
    `grad <= hpDate and grad5 != null and hpDate <= grad5 and hpAge != null and hpAge <= 35 and ` +
    `hpIn == true and hpFirst == true`],
  ['ghT', `$.gh ? (degree == 2 and dfc == true ? ${T.ghDoubleFirstClass} : ${arr(T.ghByDegree)}[degree]) : 0`],
  ['hpW', '$.hp and (not $.gh or $.hpT >= $.ghT)'],
  ['hp1', `$.hp and hpYear == ${Y} ? ($.hpW ? [1, 0, floor($.hpT / 2)] : [0, 1, 0]) : ${none}`],
  ['hp2', `$.hp and hpYear + 3 == ${Y} ? (not $.hpW ? [0, 1, 0] : (insYCount != null and insYCount >= 6 ? ` +
    `[1, 0, $.hpT - floor($.hpT / 2)] : ${none})) : ${none}`],
  ['hpo', '[$.hp1[0] + $.hp2[0], $.hp1[1] + $.hp2[1], $.hp1[2] + $.hp2[2]]'],
  ['gho', `$.gh and hpYear == ${Y} ? ($.hpW ? [0, 1, 0] : [1, 0, $.ghT]) : ${none}`],
  ['st', `shortTerm == true and tierLevel != null and tierLevel >= 1 and tierLevel <= 5 and tierFrom != null and ` +
    `tierFrom <= ${cal.dec31} and (tierTo == null or tierTo >= ${cal.jan1}) and days != null and days >= 30 ? ` +
    `[1, 0, ${arr(T.transport)}[tierLevel]] : ${none}`],
  ['qz', `qzLevel != null and qzOn != null and qzYear >= ${T.paramYear} and ${tierOn('qzOn')}`],
  ['pv', `pvLevel != null and pvOn != null and pvYear >= ${T.paramYear} and ${tierOn('pvOn')}`],
  ['qzA', `$.qz ? ${arr(T.qz)}[qzLevel] : 0`],
  ['pvA', `$.pv ? ${arr(T.pv)}[pvLevel] : 0`],
  ['qzW', '$.qz and (not $.pv or $.qzA >= $.pvA)'],
  ['qzo', `$.qz and qzYear == ${Y} ? ($.qzW ? [1, 0, $.qzA] : [0, 1, 0]) : ${none}`],
  ['pvo', `$.pv and pvYear == ${Y} ? ($.qzW ? [0, 1, 0] : [1, 0, $.pvA]) : ${none}`],
  ['sl', `suOn != null and suYear == ${Y} and suYear >= ${T.paramYear} and degree != null and degree >= 1 and ` +
    `suIn == true and grad5 != null and suOn <= grad5 ? [1, 0, ${T.creditLine}] : ${none}`],
  ['gl', `degree != null and degree >= 1 and grad != null and gradYear == ${Y} and gradYear >= ${T.paramYear} ? ` +
    `[1, 0, ${T.nights}] : ${none}`],
  ['csN', `tierLevel != null and tierLevel >= 1 and tierLevel <= 6 and ${tierOn(cal.sep1)} ? ` +
    'count(children, #.ageSep1 != null and #.ageSep1 >= 6 and #.ageSep1 <= 14) : 0'],
  ['cs', '[$.csN, 0, $.csN]'],
  ['czN', `tierLevel != null and tierLevel >= 1 and tierLevel <= 6 and ${tierOn(cal.jun1)} ? ` +
    `count(children, #.birthYear == ${Y - 15}) : 0`],
  ['cz', `[$.czN, 0, $.czN > 0 ? $.czN * ${arr(T.points)}[tierLevel] : 0]`],
];
const PERSON_OUT = { ta: 'talent-allowance', si: 'self-identified-subsidy', hpo: 'housing-purchase',
  gho: 'graduate-housing', st: 'short-term-transport', qzo: 'quanzhou-topup', pvo: 'provincial-topup',
  sl: 'startup-loan', gl: 'graduate-lodging', cs: 'child-schooling', cz: 'child-zhongkao' };

const APP_OK = `#.enrolledYear != null and #.enrolledYear >= ${T.paramYear} and #.level != null`;
const ENTERPRISE = [
  ['i1', `filter(apps, ${APP_OK} and #.enrolledYear == ${Y})`],
  ['i2', `filter(apps, ${APP_OK} and #.completedYear != null and #.completedYear == ${Y})`],
  ['at', `[len($.i1) + len($.i2), 0, sum(map($.i1, floor(${arr(T.apprentice)}[#.level] / 2))) + ` +
    `sum(map($.i2, ${arr(T.apprentice)}[#.level] - floor(${arr(T.apprentice)}[#.level] / 2)))]`],
];

function graph(exprs, loop) {
  const content = { expressions: exprs.map(([key, value], i) => ({ id: `e${i}`, key, value })) };
  if (loop) Object.assign(content, { inputField: 'rows', outputPath: 'results', executionMode: 'loop' });
  return {
    nodes: [
      { id: 'in', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 } },
      { id: 'rules', type: 'expressionNode', name: 'Policies', position: { x: 200, y: 0 }, content },
      { id: 'out', type: 'outputNode', name: 'Response', position: { x: 400, y: 0 } },
    ],
    edges: [{ id: 'a', sourceId: 'in', targetId: 'rules', type: 'edge' },
      { id: 'b', sourceId: 'rules', targetId: 'out', type: 'edge' }],
  };
}

function addOut(tot, r, out) {
  for (const [k, id] of Object.entries(out)) {
    const x = r[k];
    tot[id].granted += Number(x[0]);
    tot[id].excluded += Number(x[1]);
    tot[id].amount += Number(x[2]);
  }
}

// one evaluate() per row, `inflight` at a time
async function perRow(decision, rows, out, tot) {
  let next = 0;
  async function lane() {
    while (next < rows.length) {
      const r = await decision.evaluate(rows[next++]);
      addOut(tot, r.result, out);
    }
  }
  await Promise.all(Array.from({ length: INFLIGHT }, lane));
}

// loop mode: `batch` rows per evaluate(), two batches in flight
async function batched(decision, rows, out, tot) {
  let next = 0;
  async function lane() {
    while (next < rows.length) {
      const part = rows.slice(next, next + BATCH);
      next += BATCH;
      const r = await decision.evaluate({ rows: part });
      for (const x of r.result.results) addOut(tot, x, out);
    }
  }
  await Promise.all([lane(), lane()]);
}

async function main() {
  const t0 = C.now();
  const { people, firms } = C.loadSample(a.facts, expected);
  const nt = people.length;
  const t1 = C.now();
  const P = people.map((d) => C.preparePerson(d.person, cal));
  const E = firms.map((d) => ({ apps: (d.enterprise.apprentices || []).map(C.prepareApprentice) }));
  const t2 = C.now();
  const engine = new ZenEngine();
  const one = { p: engine.createDecision(graph(PERSON, false)), e: engine.createDecision(graph(ENTERPRISE, false)) };
  const loop = { p: engine.createDecision(graph(PERSON, true)), e: engine.createDecision(graph(ENTERPRISE, true)) };
  let bad = 0;
  const res = {};
  for (const [mode, d, run] of [['per_talent', one, perRow], ['batched', loop, batched]]) {
    const tot = C.newTotals();
    const s0 = C.now();
    await run(d.p, P, PERSON_OUT, tot);
    const s1 = C.now();
    await run(d.e, E, { at: 'apprentice-training' }, tot);
    const s2 = C.now();
    bad += C.compare(`zen-engine (${mode})`, tot, expected);
    res[mode] = { talents: s1 - s0, enterprises: s2 - s1 };
  }
  const evals = nt * 11;
  console.log(`zen-engine: ${nt} talents: read+parse ${(t1 - t0).toFixed(2)} s, prepare ${(t2 - t1).toFixed(2)} s; ` +
    `per talent (${INFLIGHT} in flight) ${res.per_talent.talents.toFixed(2)} s, batched (${BATCH} per call) ` +
    `${res.batched.talents.toFixed(2)} s; ${firms.length} enterprises: ${res.per_talent.enterprises.toFixed(2)} / ` +
    `${res.batched.enterprises.toFixed(2)} s`);
  for (const mode of ['per_talent', 'batched'])
    console.log(`RESULT zen_${mode}_talent_policy_evals_per_s=${(evals / res[mode].talents).toFixed(0)} ` +
      `zen_${mode}_with_prepare_evals_per_s=${(evals / (res[mode].talents + t2 - t1)).toFixed(0)} ` +
      `zen_${mode}_us_per_talent=${(res[mode].talents / nt * 1e6).toFixed(2)}`);
  console.log(`RESULT zen_prepare_us_per_talent=${((t2 - t1) / nt * 1e6).toFixed(2)} (one thread)`);
  console.log(`RESULT zen_check=${bad ? 'FAILED' : 'ok'}`);
  process.exitCode = bad ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
