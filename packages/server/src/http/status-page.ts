import type { DemoAccount } from '../accounts/demo-users.js';
import type { PublicSummary } from '../services/system-service.js';

export type StatusLanguage = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    title: '清源 · 污染源自动监控平台 — 运行状态',
    enterprises: '重点排污单位',
    points: '监测点位',
    online: '在线设备',
    frames: '接收报文',
    accepted: '有效',
    duplicates: '重复',
    rejected: '拒收',
    forwarding: '转发目标',
    other: 'English',
    otherHref: '?lang=en',
    note: '本页每 5 秒刷新。接口文档见',
    demo: '演示账户（密码均为',
    role: '角色',
    account: '账户',
    name: '名称',
  },
  en: {
    title: 'Qingyuan · pollution-source monitoring platform — status',
    enterprises: 'key polluting units',
    points: 'monitoring points',
    online: 'online devices',
    frames: 'frames received',
    accepted: 'accepted',
    duplicates: 'duplicates',
    rejected: 'rejected',
    forwarding: 'forwarding targets',
    other: '中文',
    otherHref: '?lang=zh-CN',
    note: 'This page refreshes every 5 s. The API is documented at',
    demo: 'Demo accounts (password for all:',
    role: 'role',
    account: 'account',
    name: 'name',
  },
} as const;

const html = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The public landing page until the web application lands: counts only (device identities, peers and
 * frames are for the province, at /api/v1/system/status), and in demo mode the demo accounts.
 */
export function renderStatusPage(
  summary: PublicSummary,
  language: StatusLanguage,
  demo?: { accounts: readonly DemoAccount[]; password: string },
): string {
  const t = TEXT[language];
  const figure = (id: string, value: number, label: string) =>
    `<div class="figure" id="${id}"><b>${value}</b>${html(label)}</div>`;
  const demoTable =
    demo === undefined
      ? ''
      : `<h2>${html(t.demo)} <code>${html(demo.password)}</code>)</h2>
<table id="demo-accounts"><tr><th>${t.account}</th><th>${t.role}</th><th>${t.name}</th></tr>
${demo.accounts.map((a) => `<tr><td><code>${html(a.username)}</code></td><td>${html(a.role)}</td><td>${html(a.displayName)}</td></tr>`).join('\n')}
</table>`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>${html(t.title)}</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}
.figures{display:flex;gap:1rem;flex-wrap:wrap}.figure{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem}
.figure b{display:block;font-size:1.4rem}
</style>
</head>
<body>
<h1>${html(t.title)}</h1>
<p><a href="${t.otherHref}">${t.other}</a> · ${html(t.note)} <a href="/api/docs">/api/docs</a></p>
<div class="figures">
${figure('online', summary.online, t.online)}
${figure('points', summary.registry.points, t.points)}
${figure('enterprises', summary.registry.enterprises, t.enterprises)}
${figure('frames', summary.frames, t.frames)}
${figure('accepted', summary.accepted, t.accepted)}
${figure('duplicates', summary.duplicates, t.duplicates)}
${figure('rejected', summary.rejected, t.rejected)}
${figure('forwarding', summary.forwardingTargets, t.forwarding)}
</div>
${demoTable}
</body>
</html>`;
}
