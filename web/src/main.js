// Entry of the web UI: Vue 3 + Element Plus (on demand) + vue-router + vue-i18n.
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router/index.js'
import { i18n } from './locales/index.js'
import './styles.css'
// the services called as functions (ElMessage, ElMessageBox, ElNotification, ElLoading) are
// imported by name in pages, which skips the on-demand styles: load theirs once here
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
import 'element-plus/es/components/loading/style/css'

createApp(App).use(i18n).use(router).mount('#app')
