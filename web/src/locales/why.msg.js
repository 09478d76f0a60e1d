export default {
  'zh-CN': { why: { title: '为什么', met: '满足', notMet: '不满足', missing: '缺少信息', param: '标准', amount: '金额计算',
    excludedBy: '与“{p}”同组，就高不重复享受', group: '同组“{g}”就高不重复：{c}；享受 {w}' } },
  en: { why: { title: 'Why', met: 'met', notMet: 'not met', missing: 'Missing facts', param: 'Parameter', amount: 'Amount',
    excludedBy: 'In one group with "{p}": only the higher is granted', group: 'Group "{g}" (the higher only): {c}; granted: {w}' } },
}
