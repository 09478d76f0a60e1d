// vue-i18n set-up: zh-CN first, English one click away.  Messages live one file per area
// (common, public, talent, employer, staff, payments, dashboard); each exports
// { 'zh-CN': {...}, en: {...} } under its own top-level key, so areas never collide.
import { createI18n } from 'vue-i18n'
import { prefs } from '../api/client.js'

const modules = import.meta.glob('./*.msg.js', { eager: true })
const messages = { 'zh-CN': {}, en: {} }
for (const m of Object.values(modules))
  for (const lang of ['zh-CN', 'en']) Object.assign(messages[lang], m.default[lang])

export const i18n = createI18n({
  legacy: false,
  locale: prefs.lang,
  fallbackLocale: 'zh-CN',
  messages,
  missingWarn: false,
  fallbackWarn: false,
})

export function setLang(lang) {
  prefs.lang = lang
  i18n.global.locale.value = lang
  localStorage.setItem('tp-lang', lang)
  document.documentElement.lang = lang
}
