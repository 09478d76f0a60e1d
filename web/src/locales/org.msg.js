export default {
  'zh-CN': { org: { home: '单位首页' } },
  en: { org: { home: 'Our company' } },
}
