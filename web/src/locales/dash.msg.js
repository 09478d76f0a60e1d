export default {
  'zh-CN': { dash: { title: '数据看板' } },
  en: { dash: { title: 'Dashboard' } },
}
