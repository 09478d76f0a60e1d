export default {
  'zh-CN': { pay: { runs: '资金发放' } },
  en: { pay: { runs: 'Payment runs' } },
}
