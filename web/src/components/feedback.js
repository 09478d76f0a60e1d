// ElMessage and ElMessageBox with their styles.  Imported by name from 'element-plus' these
// functions skip the on-demand CSS that unplugin adds for template tags (the toast then shows
// unstyled at the page's foot); importing them from here brings the styles along.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
export { ElMessage, ElMessageBox } from 'element-plus'
