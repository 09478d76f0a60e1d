export default {
  'zh-CN': {
    login: {
      needUser: '请输入用户名', needPassword: '请输入密码', noAccount: '还没有账号？',
      kind: '注册类型', kindTalent: '人才个人', kindEmployer: '用人单位', idNumber: '身份证号码', creditCode: '统一社会信用代码',
      name: '姓名 / 单位名称', registered: '注册申请已提交，人才办核对身份后开通账号。', passwordRule: '至少 12 位',
    },
  },
  en: {
    login: {
      needUser: 'Enter your username', needPassword: 'Enter your password', noAccount: 'No account yet?',
      kind: 'I am', kindTalent: 'A talent', kindEmployer: 'An employer', idNumber: 'ID card number', creditCode: 'Unified social credit code',
      name: 'Name / company name', registered: 'Registration sent: the office checks who you are and then opens the account.',
      passwordRule: 'At least 12 characters',
    },
  },
}
