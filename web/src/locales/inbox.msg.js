// The notices a talent or an employer receives (the bell in the top bar, the notices page).
// (notice.msg.js holds the public announcements page, 公示.)  zh-CN first, both languages.
export default {
  'zh-CN': {
    inbox: {
      title: '消息通知', bell: '消息通知，{n} 条未读', bellNone: '消息通知，没有未读消息',
      intro: '平台在待遇确认、发放成功或失败时通知您。点“标为已读”后，顶部铃铛上的数字随之减少。',
      none: '暂无消息', unreadN: '未读 {n} 条', allRead: '全部已读', unread: '未读', read: '已读',
      markRead: '标为已读', markAllRead: '全部标为已读', markedAll: '已将 {n} 条消息标为已读',
      onlyUnread: '只看未读', amount: '金额', readAt: '读于 {d}',
      // by kind, its dots as underscores (vue-i18n reads a dot as a path)
      kinds: { entitlement_confirmed: '待遇已确认', payment_paid: '已发放', payment_failed: '发放失败' },
    },
  },
  en: {
    inbox: {
      title: 'Notices', bell: 'Notices, {n} unread', bellNone: 'Notices, none unread',
      intro: 'The platform tells you when a benefit is confirmed, paid or when a payment failed. Mark a notice read and the number on the bell goes down.',
      none: 'No notices', unreadN: '{n} unread', allRead: 'All read', unread: 'Unread', read: 'Read',
      markRead: 'Mark read', markAllRead: 'Mark all read', markedAll: '{n} notices marked read',
      onlyUnread: 'Unread only', amount: 'Amount', readAt: 'read {d}',
      kinds: { entitlement_confirmed: 'Benefit confirmed', payment_paid: 'Paid', payment_failed: 'Payment failed' },
    },
  },
}
