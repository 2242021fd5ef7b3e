/** The account pages: one's own password (修改密码), and the administrators' list of accounts (用户管理). */
import { MIN_PASSWORD_LENGTH, type UserView } from '../../accounts/user.service.js';
import { html } from '../../lib/html.template.js';
import { tr } from './i18n.js';
import { formatDateTime, labelsFor } from './labels.js';
import { csrfField, layout, type PageContext } from './layout.template.js';

export function passwordPage(ctx: PageContext): string {
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const min = String(MIN_PASSWORD_LENGTH);
  return layout(ctx, {
    title: t('修改密码', 'Change password'),
    body: html`<form method="post" action="/account/password" class="card password-form">${csrfField(ctx)}
  <label>${t('当前密码', 'Current password')} <input name="current" type="password" autocomplete="current-password" required></label>
  <label>${t(`新密码（至少 ${min} 个字符）`, `New password (at least ${min} characters)`)} <input name="password" type="password" autocomplete="new-password" minlength="${min}" required></label>
  <label>${t('再次输入新密码', 'New password again')} <input name="again" type="password" autocomplete="new-password" minlength="${min}" required></label>
  <p class="muted">${t('修改后，本账号在其他浏览器或设备上的登录将退出。', 'Your sign-ins in other browsers or devices end with the change.')}</p>
  <button type="submit">${t('修改密码', 'Change password')}</button>
</form>`,
  });
}

export function usersPage(ctx: PageContext, users: readonly UserView[]): string {
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const L = labelsFor(ctx.lang);
  const min = String(MIN_PASSWORD_LENGTH);
  return layout(ctx, {
    title: t('用户管理', 'Accounts'),
    body: html`<p class="muted">${t(
      '重设密码会退出该用户的所有登录并解除登录锁定；停用的账号不能登录，其 API 令牌作废。新建账号请用命令 income-watch users add。',
      'Resetting a password ends all sign-ins of the account and clears its sign-in lock; a disabled account cannot sign in and its API tokens are revoked. Create accounts with income-watch users add.',
    )}</p>
<table class="users">
<thead><tr><th>${t('用户名', 'User name')}</th><th>${t('显示名称', 'Display name')}</th><th>${t('角色', 'Role')}</th><th>${t('区县', 'County')}</th><th>${t('状态', 'Status')}</th><th>${t('最近登录', 'Last sign-in')}</th><th>${t('操作', 'Actions')}</th></tr></thead>
<tbody>
${users.map((u) => {
  const base = `/admin/users/${encodeURIComponent(u.name)}`;
  return html`<tr data-user="${u.name}">
  <td>${u.name}</td><td>${u.displayName ?? ''}</td><td>${L.role(u.role)}</td><td>${u.countyCode ?? ''}</td>
  <td class="status">${u.disabled ? html`<strong class="overdue-text">${t('已停用', 'Disabled')}</strong>` : t('启用', 'Enabled')}</td>
  <td class="nowrap">${u.lastLoginAt ? formatDateTime(new Date(u.lastLoginAt)) : '—'}</td>
  <td>
    <form method="post" action="${base}/password" class="inline reset-password">${csrfField(ctx)}<input name="password" type="password" autocomplete="new-password" minlength="${min}" required aria-label="${t(`${u.name} 的新密码`, `New password for ${u.name}`)}" placeholder="${t('新密码', 'New password')}"> <button type="submit" class="secondary">${t('重设密码', 'Reset password')}</button></form>
    ${
      u.disabled
        ? html`<form method="post" action="${base}/enable" class="inline">${csrfField(ctx)}<button type="submit">${t('启用', 'Enable')}</button></form>`
        : ctx.user?.name === u.name
          ? ''
          : html`<form method="post" action="${base}/disable" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t('停用', 'Disable')}</button></form>`
    }
  </td>
</tr>`;
})}
</tbody></table>`,
  });
}
