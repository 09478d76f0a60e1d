export default {
  'zh-CN': {
    pub: {
      home: '首页', calculator: '政策计算器', check: '证书核验', announcements: '公示', policy: '政策详情',
      workspace: '进入工作台', footer: '人才港 · 晋江市人才工作领导小组办公室 · 开源人才服务平台',
      heroTitle: '来晋江，有“港”湾', heroText: '人才认定、政策兑现、安居、就业、培训，一站办理，免申即享。',
      tryCalc: '算一算我能享受什么', policiesTitle: '人才政策一览', channelProactive: '免申即享',
      channelApply: '依申请', period: { year: '每年', month: '每月', once: '一次性' },
      basis: '政策依据', params: '标准与来源', since: '起', source: '来源', readMore: '了解详情',
    },
  },
  en: {
    pub: {
      home: 'Home', calculator: 'Policy calculator', check: 'Check a certificate', announcements: 'Public notices',
      policy: 'Policy', workspace: 'My workspace', footer: 'TalentPort · Jinjiang talent office · open-source talent services',
      heroTitle: 'Come to Jinjiang — a harbour for talent',
      heroText: 'Certification, benefits, housing, jobs and training in one place; many benefits paid without applying.',
      tryCalc: 'See what I can receive', policiesTitle: 'Talent policies', channelProactive: 'Paid without applying',
      channelApply: 'On application', period: { year: 'Yearly', month: 'Monthly', once: 'Once' },
      basis: 'Legal basis', params: 'Amounts and sources', since: 'since', source: 'Source', readMore: 'More',
    },
  },
}
