// Entry of the web UI: Vue 3 + Element Plus (on demand) + vue-router + vue-i18n.
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router/index.js'
import { i18n } from './locales/index.js'
import './styles.css'

createApp(App).use(i18n).use(router).mount('#app')
