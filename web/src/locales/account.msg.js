export default {
  'zh-CN': {
    account: {
      title: '账号与安全', changePassword: '修改密码', current: '当前密码', next: '新密码', again: '再次输入新密码',
      mismatch: '两次输入的新密码不一致', mustChange: '首次登录请先修改一次性密码。', mfaNeeded: '您的角色需要绑定动态口令（TOTP）后才能继续。',
      mfaBegin: '开始绑定动态口令', mfaSecret: '在身份验证器 App 中添加此密钥', mfaConfirm: '输入 App 显示的 6 位口令',
      mfaDone: '动态口令已绑定', changed: '密码已修改',
    },
  },
  en: {
    account: {
      title: 'Account and security', changePassword: 'Change password', current: 'Current password', next: 'New password',
      again: 'New password again', mismatch: 'The two new passwords differ', mustChange: 'First login: change your one-time password.',
      mfaNeeded: 'Your role needs a one-time-code app (TOTP) before you go on.', mfaBegin: 'Set up one-time codes',
      mfaSecret: 'Add this key to your authenticator app', mfaConfirm: 'Enter the 6-digit code the app shows',
      mfaDone: 'One-time codes are set up', changed: 'Password changed',
    },
  },
}
