// Messages of the office dashboard (web/src/pages/dashboard).
export default {
  'zh-CN': {
    dash: {
      title: '数据看板', talents: '人才总数', applications: '申请总数', overdue: '超期申请', paid: '已发放', budget: '年度预算',
      owed: '已确认未发放', pending: '待确认', year: '年度', today: '统计日期 {d}',
      byTier: '人才类别分布', byTown: '镇街分布', byIndustry: '产业链分布', byDegree: '学历分布',
      benefits: '待遇发放与预算', appStates: '申请状态与超期',
      tierN: '第{n}类', noTier: '未认定', none: '未登记', count: '人数', apps: '申请数', overdueApps: '超期',
      png: '导出图片', xlsx: '导出数据', chartOf: '{name}图表', yuan: '元',
    },
  },
  en: {
    dash: {
      title: 'Dashboard', talents: 'Talents', applications: 'Applications', overdue: 'Overdue', paid: 'Paid', budget: 'Budget of the year',
      owed: 'Confirmed, unpaid', pending: 'Pending', year: 'Year', today: 'As of {d}',
      byTier: 'Talents by tier', byTown: 'Talents by town', byIndustry: 'Talents by industry chain', byDegree: 'Talents by degree',
      benefits: 'Benefits paid against budget', appStates: 'Applications by state, overdue',
      tierN: 'Tier {n}', noTier: 'No tier', none: 'Not recorded', count: 'Talents', apps: 'Applications', overdueApps: 'Overdue',
      png: 'Save image', xlsx: 'Export data', chartOf: 'Chart: {name}', yuan: 'yuan',
    },
  },
}
