import type { PlatformStatus } from './status.js';

export type StatusLanguage = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    title: '清源 · 污染源自动监控平台 — 运行状态',
    gateway: 'HJ 212 接入网关',
    port: '端口',
    registry: '登记',
    enterprises: '重点排污单位',
    points: '监测点位',
    online: '在线设备',
    frames: '接收报文',
    accepted: '有效',
    duplicates: '重复',
    rejected: '拒收',
    discarded: '丢弃字节段',
    commits: '提交批次',
    recent: '最近报文',
    time: '接收时间',
    verdict: '判定',
    since: '上线时间',
    lastSeen: '最近报文',
    peer: '来源地址',
    version: '协议',
    forwarding: '数据转发',
    target: '转发目标',
    connected: '已连接',
    lag: '积压报文',
    lastError: '最近错误',
    other: 'English',
    otherHref: '?lang=en',
    note: '本页每 5 秒刷新；完整的 API 与工作台在后续版本提供。',
  },
  en: {
    title: 'Qingyuan · pollution-source monitoring platform — status',
    gateway: 'HJ 212 gateway',
    port: 'port',
    registry: 'Registry',
    enterprises: 'key polluting units',
    points: 'monitoring points',
    online: 'Online devices',
    frames: 'frames received',
    accepted: 'accepted',
    duplicates: 'duplicates',
    rejected: 'rejected',
    discarded: 'discarded byte runs',
    commits: 'commits',
    recent: 'Recent frames',
    time: 'received',
    verdict: 'verdict',
    since: 'online since',
    lastSeen: 'last frame',
    peer: 'peer',
    version: 'protocol',
    forwarding: 'Forwarding',
    target: 'target',
    connected: 'connected',
    lag: 'frames behind',
    lastError: 'last error',
    other: '中文',
    otherHref: '?lang=zh-CN',
    note: 'This page refreshes every 5 s; the full API and workbench come in later releases.',
  },
} as const;

const html = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Beijing time, as every date in the platform is shown. */
const beijing = (epochMs: number) =>
  new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export function renderStatusPage(status: PlatformStatus, language: StatusLanguage): string {
  const t = TEXT[language];
  const g = status.gateway;
  const rejected = Object.values(g.rejected).reduce((a, b) => a + b, 0);
  const rows = (cells: unknown[][]) =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`).join('\n');
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
<p><a href="${t.otherHref}">${t.other}</a> · ${html(t.note)}</p>
<div class="figures">
<div class="figure" id="online"><b>${g.online}</b>${t.online}</div>
<div class="figure" id="points"><b>${status.registry.points}</b>${t.points}</div>
<div class="figure" id="enterprises"><b>${status.registry.enterprises}</b>${t.enterprises}</div>
<div class="figure" id="accepted"><b>${g.accepted}</b>${t.accepted}</div>
<div class="figure"><b>${g.duplicates}</b>${t.duplicates}</div>
<div class="figure"><b>${rejected}</b>${t.rejected}</div>
<div class="figure"><b>${g.discarded}</b>${t.discarded}</div>
<div class="figure"><b>${g.commits}</b>${t.commits}</div>
</div>
<h2>${t.gateway} · ${t.port} ${g.port} · ${t.frames} ${g.frames}</h2>
<h2>${t.recent}</h2>
<table id="recent"><tr><th>${t.time}</th><th>MN</th><th>CN</th><th>${t.verdict}</th></tr>
${rows(status.recentFrames.map((f) => [beijing(f.receivedAt), f.mn, f.cn, f.errorCode === null ? f.verdict : `${f.verdict} (${f.errorCode})`]))}
</table>
<h2>${t.online} (${status.online.length})</h2>
<table id="devices"><tr><th>MN</th><th>${t.since}</th><th>${t.lastSeen}</th><th>${t.peer}</th><th>${t.version}</th><th>${t.frames}</th></tr>
${rows(status.online.slice(0, 500).map((d) => [d.mn, beijing(d.since), beijing(d.lastSeenAt), d.peer, d.protocolVersion, d.framesReceived]))}
</table>
<h2>${t.forwarding} (${status.forwarding.length})</h2>
<table id="forwarding"><tr><th>${t.target}</th><th>${t.connected}</th><th>${t.accepted}</th><th>${t.lag}</th><th>${t.lastError}</th></tr>
${rows(status.forwarding.map((f) => [`${f.name} (${f.host}:${f.port})`, f.connected ? '✓' : '✗', f.sent, f.lagFrames, f.lastError ?? '']))}
</table>
</body>
</html>`;
}
