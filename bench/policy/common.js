'use strict';
// common.js — what the two JS engines share in bench/policy: reading the facts documents
// that bench_policy wrote (JSON lines, default-pack.md's facts), the preparation of facts
// that neither engine can compute (dates as day numbers, age_on, add_years, year_of — done
// in plain JS, timed on its own), the year's calendar, the totals and their comparison with
// the C engine's totals for the same sample.

const fs = require('fs');

const POLICIES = [
  'talent-allowance', 'self-identified-subsidy', 'housing-purchase', 'graduate-housing',
  'short-term-transport', 'quanzhou-topup', 'provincial-topup', 'startup-loan',
  'graduate-lodging', 'apprentice-training', 'child-schooling', 'child-zhongkao',
];
const DEGREES = { none: 0, associate: 1, bachelor: 2, master: 3, phd: 4 };
const DAY = 86400000;

// The pack's figures (policies/jinjiang/*.yaml), in fen, indexed by tier / level / category.
const T = {
  annual: [0, 18000000, 12000000, 8000000, 5000000, 3000000, 1200000, 600000],
  monthly: [0, 300000, 200000, 100000],
  hpTotal: [0, 100000000, 60000000, 30000000, 20000000, 10000000, 5000000, 3000000],
  ghByDegree: [0, 0, 3000000, 10000000, 30000000],
  ghDoubleFirstClass: 5000000,
  transport: [0, 1500000, 1000000, 800000, 600000, 400000],
  qz: [0, 200000000, 100000000, 50000000, 30000000, 20000000],
  pv: [0, 600000000, 300000000, 150000000],
  creditLine: 30000000,
  nights: 30,
  apprentice: [500000, 600000],
  points: [0, 20, 20, 20, 10, 10, 10],
  paramYear: 2022, // every parameter is in force from 2022-01-01
};

function days(s) { // "YYYY-MM-DD" → days since 1970-01-01, or null
  if (s == null) return null;
  return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / DAY;
}
function yearOf(s) { return s == null ? null : +s.slice(0, 4); }
function ageOn(birth, on) { // whole years completed on `on`; null when missing or on < birth
  if (birth == null || on == null || on < birth) return null;
  const by = +birth.slice(0, 4), bm = +birth.slice(5, 7), bd = +birth.slice(8, 10);
  const oy = +on.slice(0, 4), om = +on.slice(5, 7), od = +on.slice(8, 10);
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}
function addYears(s, n) { // day number of s moved by n years (Feb 29 → Feb 28), or null
  if (s == null) return null;
  const y = +s.slice(0, 4) + n, m = +s.slice(5, 7);
  let d = +s.slice(8, 10);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (m === 2 && d === 29 && !leap) d = 28;
  return Date.UTC(y, m - 1, d) / DAY;
}

function calendar(Y) { // the period's dates as day numbers
  const ms = [], me = [];
  for (let m = 1; m <= 12; m++) {
    ms.push(Date.UTC(Y, m - 1, 1) / DAY);
    me.push(Date.UTC(Y, m, 1) / DAY - 1);
  }
  return { Y, ms, me, jan1: ms[0], dec31: me[11], jun1: ms[5], sep1: ms[8] };
}

const v = (x) => (x === undefined ? null : x);

// A person's facts as flat numbers (null: missing).  Y-indexed facts are read for Y.
function preparePerson(p, cal) {
  const Y = cal.Y;
  const tier = p.tier || null, si = p.self_identified || null;
  const hp = p.home_purchase || null, su = p.startup || null;
  const insY = p.insured_months ? v(p.insured_months[String(Y)]) : null;
  const sep1 = `${Y}-09-01`;
  return {
    shortTerm: v(p.short_term),
    degree: p.degree == null ? null : DEGREES[p.degree],
    dfc: v(p.double_first_class),
    birth: days(p.birth_date),
    grad: days(p.graduated_on),
    gradYear: yearOf(p.graduated_on),
    grad5: addYears(p.graduated_on, 5),
    tierLevel: tier ? v(tier.level) : null,
    tierFrom: tier ? days(tier.from) : null,
    tierTo: tier ? days(tier.to) : null,
    siCat: si ? v(si.category) : null,
    siFrom: si ? days(si.from) : null,
    siTo: si ? days(si.to) : null,
    qzLevel: v(p.quanzhou_level),
    qzOn: days(p.quanzhou_selected_on),
    qzYear: yearOf(p.quanzhou_selected_on),
    pvLevel: v(p.provincial_level),
    pvOn: days(p.provincial_selected_on),
    pvYear: yearOf(p.provincial_selected_on),
    days: p.days_in_jinjiang ? v(p.days_in_jinjiang[String(Y)]) : null,
    insY,
    insYCount: insY == null ? null : insY.length,
    hpDate: hp ? days(hp.contract_date) : null,
    hpYear: hp ? yearOf(hp.contract_date) : null,
    hpArea: hp ? v(hp.area_m2) : null,
    hpIn: hp ? v(hp.in_jinjiang) : null,
    hpFirst: hp ? v(hp.first_home_in_jinjiang) : null,
    hpAge: hp ? ageOn(p.birth_date, hp.contract_date) : null,
    suOn: su ? days(su.registered_on) : null,
    suYear: su ? yearOf(su.registered_on) : null,
    suIn: su ? v(su.in_jinjiang) : null,
    children: (p.children || []).map((c) => ({
      birthYear: yearOf(c.birth_date),
      ageSep1: ageOn(c.birth_date, sep1),
    })),
  };
}

function prepareApprentice(a) {
  return {
    level: a.level == null ? null : a.level === 'advanced' ? 1 : 0,
    enrolledYear: yearOf(a.enrolled_on),
    completedYear: yearOf(a.completed_on),
  };
}

function loadDocs(file) { // [{person}|{enterprise}] in file order
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    if (end > at) out.push(JSON.parse(text.slice(at, end)));
    at = end + 1;
  }
  return out;
}

// The C engine's totals for the first n talents (a sample bench_policy wrote them for).
function expectedFor(file, n) {
  const e = JSON.parse(fs.readFileSync(file, 'utf8'));
  const want = n == null ? e.samples[0].talents : +n;
  const s = e.samples.find((x) => x.talents === want);
  if (!s) throw new Error(`${file} has totals for ${e.samples.map((x) => x.talents).join(', ')} talents, not ${want}`);
  return { year: e.year, seed: e.seed, enterprises: e.enterprises, talents: s.talents, policies: s.policies };
}

// The first expected.talents persons of the facts file and every enterprise.
function loadSample(file, expected) {
  const people = [], firms = [];
  for (const d of loadDocs(file)) {
    if (d.person) { if (people.length < expected.talents) people.push(d); } else firms.push(d);
  }
  if (people.length !== expected.talents || firms.length !== expected.enterprises)
    throw new Error(`${file}: ${people.length} talents and ${firms.length} enterprises; the totals are for ` +
      `${expected.talents} and ${expected.enterprises}`);
  return { people, firms };
}

function newTotals() {
  const t = {};
  for (const id of POLICIES) t[id] = { granted: 0, excluded: 0, amount: 0 };
  return t;
}
function grant(t, id, amount) { t[id].granted++; t[id].amount += amount; }
function exclude(t, id) { t[id].excluded++; }

// Prints the totals beside the C engine's and returns the number of differing policies.
function compare(label, got, expected) {
  let bad = 0;
  console.log(`${label}: totals against the C engine (bench_policy, same sample)`);
  for (const id of POLICIES) {
    const g = got[id], e = expected.policies[id];
    const same = g.granted === e.granted && g.excluded === e.excluded && g.amount === e.amount;
    if (!same) bad++;
    console.log(`  ${id.padEnd(26)} ${String(g.granted).padStart(8)} ${String(g.excluded).padStart(5)} ` +
      `${String(g.amount).padStart(14)}  ${same ? 'same' : `DIFFERS (C: ${e.granted} ${e.excluded} ${e.amount})`}`);
  }
  return bad;
}

function args() { // --key value pairs
  const a = {};
  for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
  return a;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

module.exports = {
  POLICIES, T, calendar, preparePerson, prepareApprentice, loadDocs, expectedFor, loadSample, newTotals,
  grant, exclude,
  compare, args, now,
};
