export default {
  'zh-CN': {
    calc: {
      intro: '填写几项基本情况，立即看到可享受的人才政策、金额和理由。数据只在本次计算中使用，不会保存。',
      year: '年度', birth: '出生日期', degree: '最高学历', graduated: '毕业日期', dfc: '毕业于“双一流”高校',
      tier: '人才认定类别', noTier: '未认定', tierN: '第{n}类', months: '当年在晋江缴纳社保的月数', shortTerm: '柔性引进人才',
      days: '当年在晋工作天数', home: '在晋江购房', contract: '购房合同日期', area: '建筑面积（平方米）', firstHome: '在晋江首套住房',
      startup: '在晋江创业登记日期', children: '子女出生日期', childN: '第 {n} 个子女出生日期', addChild: '添加子女', remove: '删除',
      result: '{y} 年可享受', none: '按目前填写的情况，暂无可享受的政策', note: '计算结果仅供参考，以人才办审核为准。现金合计不含贷款额度。',
    },
    degree: { none: '无', associate: '大专', bachelor: '本科', master: '硕士', phd: '博士' },
  },
  en: {
    calc: {
      intro: 'Answer a few questions and see at once which talent policies apply, how much, and why. Nothing you enter is stored.',
      year: 'Year', birth: 'Date of birth', degree: 'Highest degree', graduated: 'Graduation date', dfc: 'Graduated from a "double first-class" university',
      tier: 'Talent tier', noTier: 'Not certified', tierN: 'Tier {n}', months: 'Months insured in Jinjiang this year', shortTerm: 'Flexibly introduced talent',
      days: 'Days worked in Jinjiang this year', home: 'Bought a home in Jinjiang', contract: 'Purchase contract date', area: 'Floor area (m²)',
      firstHome: 'First home in Jinjiang', startup: 'Business registered in Jinjiang on', children: "Children's dates of birth",
      childN: 'Date of birth of child {n}', addChild: 'Add a child', remove: 'Remove',
      result: 'Benefits in {y}', none: 'Nothing applies to the profile as entered', note: 'For information only; the talent office decides. The cash total leaves out loan lines.',
    },
    degree: { none: 'None', associate: 'Associate', bachelor: 'Bachelor', master: 'Master', phd: 'PhD' },
  },
}
