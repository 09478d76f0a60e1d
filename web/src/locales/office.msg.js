export default {
  'zh-CN': { office: {} },
  en: { office: {} },
}
