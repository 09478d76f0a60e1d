export default {
  'zh-CN': {
    verify: {
      paste: '人才码或核验链接', placeholder: '粘贴证书上的人才码（TP1. 开头）或扫码得到的链接', check: '核验',
      scan: '拍照 / 选择二维码图片', hint: '用手机相机扫描证书二维码会直接打开本页并显示结果。', empty: '请输入人才码',
      noQr: '图片中没有识别到二维码', tier: '认定类别', validity: '有效期', issuer: '发证机关', policy: '政策', amount: '金额',
      benefits: '{y} 年可享受的政策', validHint: '证书真实有效。',
      status: { valid: '证书有效', expired: '证书已过期', not_yet_valid: '证书尚未生效', revoked: '证书已撤销', suspended: '证书已暂停',
        superseded: '证书已被新证书取代', forged: '人才码无效（签名不符，可能伪造）', malformed: '人才码格式不正确' },
    },
  },
  en: {
    verify: {
      paste: 'Talent code or check link', placeholder: 'Paste the talent code on the certificate (starts with TP1.) or the scanned link',
      check: 'Check', scan: 'Photo / QR image', hint: 'Scanning the certificate QR with a phone camera opens this page with the result.',
      empty: 'Enter a talent code', noQr: 'No QR code found in the picture', tier: 'Tier', validity: 'Valid', issuer: 'Issued by',
      policy: 'Policy', amount: 'Amount', benefits: 'Benefits in {y}', validHint: 'The certificate is genuine and valid.',
      status: { valid: 'Valid certificate', expired: 'Expired', not_yet_valid: 'Not yet valid', revoked: 'Revoked', suspended: 'Suspended',
        superseded: 'Replaced by a newer certificate', forged: 'Invalid code (signature does not match: possibly forged)', malformed: 'Not a talent code' },
    },
  },
}
