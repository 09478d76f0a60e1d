'use strict';
// jre.js — the default pack in json-rules-engine, over the sample bench_policy wrote.
//   node bench/policy/jre.js --facts FILE --expected FILE [--talents N]
// (the first N talents of the file, default 20000, and every enterprise)
//
// What the engine decides: each policy's own conditions, as rules of fact-vs-constant and
// fact-vs-fact comparisons (`all`/`any`, `in`, `contains`), one rule per month for the month
// policy, one run per person, per child and per apprentice.
// What it cannot, done in JS and timed apart ("prepare"): dates as day numbers, year_of,
// age_on, add_years (common.js), and n of talent-allowance — the insured months of Y in
// which the tier is valid — because the rules cannot count.
// What JS does after each run ("list"): the amounts from the tables the events name, which
// instalments fall due in Y, and the exclusive groups (the highest total wins).
const { Engine } = require('json-rules-engine');
const C = require('./common');

const a = C.args();
const expected = C.expectedFor(a.expected, a.talents);
const cal = C.calendar(expected.year);
const Y = cal.Y;

const c = (fact, operator, value) => ({ fact, operator, value });
const cf = (fact, operator, other) => ({ fact, operator, value: { fact: other } });
const nn = (fact) => c(fact, 'notEqual', null);
const isNull = (fact) => c(fact, 'equal', null);
const tierValidOn = (d) => [nn('tierFrom'), c('tierFrom', 'lessThanInclusive', d),
  { any: [isNull('tierTo'), c('tierTo', 'greaterThanInclusive', d)] }];
const tierValidOnFact = (f) => [nn(f), nn('tierFrom'), cf('tierFrom', 'lessThanInclusive', f),
  { any: [isNull('tierTo'), cf('tierTo', 'greaterThanInclusive', f)] }];
const opts = { allowUndefinedFacts: true };

function personEngine() {
  const e = new Engine([], opts);
  const rule = (type, all, params) => e.addRule({ conditions: { all }, event: { type, params: params || {} } });
  rule('talent-allowance', [c('shortTerm', 'equal', false), nn('tierLevel'), c('taN', 'greaterThanInclusive', 6)]);
  for (let m = 1; m <= 12; m++) {
    rule('self-identified-subsidy', [
      nn('siFrom'), c('siFrom', 'lessThanInclusive', cal.me[m - 1]),
      { any: [isNull('siTo'), c('siTo', 'greaterThanInclusive', cal.ms[m - 1])] },
      c('insY', 'contains', m),
      { any: [isNull('tierLevel'), { all: [nn('tierFrom'), { any: [c('tierFrom', 'greaterThan', cal.me[m - 1]),
        { all: [nn('tierTo'), c('tierTo', 'lessThan', cal.ms[m - 1])] }] }] }] },
    ], { month: m });
  }
  rule('housing-purchase', [c('hpYear', 'greaterThanInclusive', C.T.paramYear), ...tierValidOnFact('hpDate'),
    c('hpIn', 'equal', true), c('hpFirst', 'equal', true), c('hpArea', 'greaterThanInclusive', 60), nn('tierLevel')]);
  rule('graduate-housing', [nn('hpDate'), c('hpYear', 'greaterThanInclusive', C.T.paramYear),
    c('degree', 'greaterThanInclusive', 2), nn('grad'), cf('grad', 'lessThanInclusive', 'hpDate'),
    nn('grad5'), cf('hpDate', 'lessThanInclusive', 'grad5'), c('hpAge', 'lessThanInclusive', 35),
    c('hpIn', 'equal', true), c('hpFirst', 'equal', true)]);
  rule('short-term-transport', [c('shortTerm', 'equal', true), c('tierLevel', 'in', [1, 2, 3, 4, 5]),
    nn('tierFrom'), c('tierFrom', 'lessThanInclusive', cal.dec31),
    { any: [isNull('tierTo'), c('tierTo', 'greaterThanInclusive', cal.jan1)] },
    c('days', 'greaterThanInclusive', 30)]);
  rule('quanzhou-topup', [c('qzLevel', 'in', [1, 2, 3, 4, 5]), c('qzYear', 'greaterThanInclusive', C.T.paramYear),
    ...tierValidOnFact('qzOn')]);
  rule('provincial-topup', [c('pvLevel', 'in', [1, 2, 3]), c('pvYear', 'greaterThanInclusive', C.T.paramYear),
    ...tierValidOnFact('pvOn')]);
  rule('startup-loan', [nn('suOn'), c('suYear', 'greaterThanInclusive', C.T.paramYear),
    c('degree', 'greaterThanInclusive', 1), c('suIn', 'equal', true), nn('grad5'),
    cf('suOn', 'lessThanInclusive', 'grad5')]);
  rule('graduate-lodging', [c('degree', 'greaterThanInclusive', 1), nn('grad'),
    c('gradYear', 'greaterThanInclusive', C.T.paramYear)]);
  return e;
}

function childEngine() {
  const e = new Engine([], opts);
  e.addRule({ conditions: { all: [c('tierLevel', 'in', [1, 2, 3, 4, 5, 6]), ...tierValidOn(cal.sep1),
    c('ageSep1', 'greaterThanInclusive', 6), c('ageSep1', 'lessThanInclusive', 14)] },
  event: { type: 'child-schooling' } });
  e.addRule({ conditions: { all: [c('tierLevel', 'in', [1, 2, 3, 4, 5, 6]), ...tierValidOn(cal.jun1),
    c('birthYear', 'equal', Y - 15)] }, event: { type: 'child-zhongkao' } });
  return e;
}

function apprenticeEngine() {
  const e = new Engine([], opts);
  e.addRule({ conditions: { all: [c('enrolledYear', 'greaterThanInclusive', C.T.paramYear),
    c('level', 'in', [0, 1])] }, event: { type: 'apprentice-training' } });
  return e;
}

// n of talent-allowance: the rules cannot count
function taN(P) {
  if (P.tierLevel == null || P.insY == null || P.tierFrom == null) return 0;
  let n = 0;
  for (let m = 1; m <= 12; m++)
    if (P.insY.includes(m) && P.tierFrom <= cal.me[m - 1] && (P.tierTo == null || P.tierTo >= cal.ms[m - 1])) n++;
  return n;
}

// entitlements due in Y from the engine's events: amounts, instalments, exclusive groups
function listPerson(P, ev, tot) {
  const has = new Set();
  for (const e of ev) {
    has.add(e.type);
    if (e.type === 'self-identified-subsidy') C.grant(tot, e.type, C.T.monthly[P.siCat]);
  }
  if (has.has('talent-allowance'))
    C.grant(tot, 'talent-allowance', Math.floor(C.T.annual[P.tierLevel] * P.taN / 1200) * 100);
  const hp = has.has('housing-purchase'), gh = has.has('graduate-housing');
  const hpTotal = hp ? C.T.hpTotal[P.tierLevel] : 0;
  const ghTotal = gh ? (P.degree === 2 && P.dfc === true ? C.T.ghDoubleFirstClass : C.T.ghByDegree[P.degree]) : 0;
  const hpWins = hp && (!gh || hpTotal >= ghTotal);
  if (hp && P.hpYear === Y) {
    if (hpWins) C.grant(tot, 'housing-purchase', Math.floor(hpTotal / 2));
    else C.exclude(tot, 'housing-purchase');
  }
  if (hp && P.hpYear + 3 === Y) {
    if (!hpWins) C.exclude(tot, 'housing-purchase');
    else if (P.insYCount != null && P.insYCount >= 6) C.grant(tot, 'housing-purchase', hpTotal - Math.floor(hpTotal / 2));
  }
  if (gh && P.hpYear === Y) {
    if (hpWins) C.exclude(tot, 'graduate-housing');
    else C.grant(tot, 'graduate-housing', ghTotal);
  }
  if (has.has('short-term-transport')) C.grant(tot, 'short-term-transport', C.T.transport[P.tierLevel]);
  const qz = has.has('quanzhou-topup'), pv = has.has('provincial-topup');
  const qa = qz ? C.T.qz[P.qzLevel] : 0, pa = pv ? C.T.pv[P.pvLevel] : 0;
  const qzWins = qz && (!pv || qa >= pa);
  if (qz && P.qzYear === Y) { if (qzWins) C.grant(tot, 'quanzhou-topup', qa); else C.exclude(tot, 'quanzhou-topup'); }
  if (pv && P.pvYear === Y) { if (qzWins) C.exclude(tot, 'provincial-topup'); else C.grant(tot, 'provincial-topup', pa); }
  if (has.has('startup-loan') && P.suYear === Y) C.grant(tot, 'startup-loan', C.T.creditLine);
  if (has.has('graduate-lodging') && P.gradYear === Y) C.grant(tot, 'graduate-lodging', C.T.nights);
}

async function main() {
  const t0 = C.now();
  const { people, firms } = C.loadSample(a.facts, expected);
  const nt = people.length;
  const t1 = C.now();
  // prepare (plain JS): the facts the rules read
  const P = people.map((d) => { const p = C.preparePerson(d.person, cal); p.taN = taN(p); return p; });
  const A = firms.map((d) => (d.enterprise.apprentices || []).map(C.prepareApprentice));
  const t2 = C.now();
  const pe = personEngine(), ce = childEngine(), ae = apprenticeEngine();
  const tot = C.newTotals();
  for (const p of P) {
    const { events } = await pe.run(p);
    listPerson(p, events, tot);
    for (const ch of p.children) {
      const r = await ce.run({ tierLevel: p.tierLevel, tierFrom: p.tierFrom, tierTo: p.tierTo,
        ageSep1: ch.ageSep1, birthYear: ch.birthYear });
      for (const e of r.events)
        C.grant(tot, e.type, e.type === 'child-schooling' ? 1 : C.T.points[p.tierLevel]);
    }
  }
  const t3 = C.now();
  let napp = 0;
  for (const apps of A)
    for (const ap of apps) {
      napp++;
      const { events } = await ae.run(ap);
      if (!events.length) continue;
      const total = C.T.apprentice[ap.level];
      if (ap.enrolledYear === Y) C.grant(tot, 'apprentice-training', Math.floor(total / 2));
      if (ap.completedYear === Y) C.grant(tot, 'apprentice-training', total - Math.floor(total / 2));
    }
  const t4 = C.now();
  const bad = C.compare('json-rules-engine', tot, expected);
  const evals = nt * 11;
  console.log(`json-rules-engine: ${nt} talents: read+parse ${(t1 - t0).toFixed(2)} s, prepare ${(t2 - t1).toFixed(2)} s, ` +
    `rules ${(t3 - t2).toFixed(2)} s; ${firms.length} enterprises (${napp} apprentices): ${(t4 - t3).toFixed(2)} s`);
  console.log(`RESULT jre_talent_policy_evals_per_s=${(evals / (t3 - t2)).toFixed(0)} ` +
    `jre_with_prepare_evals_per_s=${(evals / (t3 - t1)).toFixed(0)} jre_us_per_talent=${((t3 - t2) / nt * 1e6).toFixed(1)} ` +
    `jre_prepare_us_per_talent=${((t2 - t1) / nt * 1e6).toFixed(2)} (one thread)`);
  console.log(`RESULT jre_check=${bad ? 'FAILED' : 'ok'}`);
  process.exitCode = bad ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
