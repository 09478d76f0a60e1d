export default {
  'zh-CN': { talent: { home: '我的首页' } },
  en: { talent: { home: 'My page' } },
}
