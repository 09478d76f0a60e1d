export default {
  'zh-CN': { staff: { queue: '待办审核' } },
  en: { staff: { queue: 'Review queue' } },
}
