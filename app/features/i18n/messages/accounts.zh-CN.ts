// 账号、邮件、隐私告知与登录防护的文案，与主目录分开，便于合并。
export const accountsZhCN = {
  'admin.mail': '邮件（本地收件箱）',
  'admin.mail.intro': '本站没有配置外发邮件服务器，邮件都由本机的捕获服务器保存，不会寄出。这里列出最近 50 封，仅管理员可见。',
  'admin.mail.none': '还没有邮件。',
  'admin.mail.to': '收件人：{to}',
} as const;
