// The public announcements page (公示, /announcements): zh-CN first, both languages.
export default {
  'zh-CN': {
    notice: {
      intro: '以下人才认定结果正在公示。对公示对象有异议的，可在公示期内实名或匿名提出，人才办将核查处理。为保护个人信息，姓名和证件号已部分隐藏。',
      none: '目前没有正在公示的项目', period: '公示期', until: '截止', name: '姓名', idNumber: '身份证号', employer: '工作单位',
      town: '镇街', tier: '拟认定层次', tiers: ['', '第一层次人才', '第二层次人才', '第三层次人才', '第四层次人才', '第五层次人才', '第六层次人才', '第七层次人才'], object: '提出异议', hide: '收起',
      reason: '异议内容', reasonPh: '请写明异议的具体事实和理由（10 至 1000 字）', contact: '联系方式', contactPh: '电话或邮箱，便于核实（选填，不公开）',
      reasonRequired: '请填写异议内容', reasonShort: '异议内容至少 10 个字，请写明具体事实', reasonLong: '异议内容不超过 1000 字',
      contactLong: '联系方式不超过 100 个字符', send: '提交异议', ended: '公示期已满，待办结', sent: '异议已提交', total: '共 {n} 项',
    },
  },
  en: {
    notice: {
      intro: 'These talent identifications are under public announcement. Anyone who objects to one may say so, with or without their name, before the period ends; the talent office looks into every objection. Names and ID numbers are partly hidden.',
      none: 'Nothing is under announcement now', period: 'Announcement period', until: 'until', name: 'Name', idNumber: 'ID number', employer: 'Employer',
      town: 'Town', tier: 'Proposed tier', tiers: ['', 'Tier 1 talent', 'Tier 2 talent', 'Tier 3 talent', 'Tier 4 talent', 'Tier 5 talent', 'Tier 6 talent', 'Tier 7 talent'], object: 'Object', hide: 'Hide',
      reason: 'Objection', reasonPh: 'The facts and reasons of your objection (10 to 1000 characters)', contact: 'Contact', contactPh: 'Phone or e-mail so the office can ask you (optional, not published)',
      reasonRequired: 'Please say what you object to', reasonShort: 'At least 10 characters: state the facts', reasonLong: 'At most 1000 characters',
      contactLong: 'At most 100 characters', send: 'Lodge the objection', ended: 'Period over, awaiting closure', sent: 'Objection lodged', total: '{n} in all',
    },
  },
}
