export default {
  'zh-CN': { talent: { home: '我的首页' }, org: { home: '单位首页' }, staff: { dashboard: '数据看板' } },
  en: { talent: { home: 'My page' }, org: { home: 'Our company' }, staff: { dashboard: 'Dashboard' } },
}
