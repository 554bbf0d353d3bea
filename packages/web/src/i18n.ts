import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from './api/client';
import { LANGUAGE_KEY } from './early';

const zh = {
  app: { name: '清源', title: '污染源自动监控平台', logout: '退出', language: 'English' },
  menu: {
    overview: '总览',
    realtime: '实时监控',
    history: '历史数据',
    alarms: '报警中心',
    tipOffs: '举报处理',
    transmission: '传输有效率',
    archive: '一企一档',
    smart: '智能监控',
    frames: '原始报文',
    commands: '反控',
    system: '系统管理',
    portal: '公众门户',
  },
  login: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    demo: '演示账号（密码均为 {{password}}）',
    demoHint: '点击账号名填入',
    portal: '不登录，查看公众门户',
  },
  overview: {
    enterprises: '企业',
    points: '监测点',
    online: '在线设备',
    onlineRate: '在线率',
    openAlarms: '未关闭报警',
    alarmsByType: '未关闭报警（按类型）',
    none: '暂无',
    map: '湖北省企业分布',
    updated: '更新于 {{time}}',
  },
  state: {
    normal: '正常',
    exceeding: '超标',
    anomaly: '异常',
    offline: '离线',
    stopped: '停运',
  },
  realtime: {
    tree: '企业 / 排口',
    all: '全部',
    enterprise: '企业',
    point: '监测点',
    factor: '因子',
    value: '值',
    unit: '单位',
    limit: '限值',
    flag: '标记',
    age: '数据时间',
    online: '在线',
    offline: '离线',
    live: '实时推送',
    connecting: '连接中',
    ago: '{{s}} 秒前',
    search: '搜索企业或 MN',
  },
  placeholder: {
    todo: '此页面将在后续版本中完成。数据来自：',
  },
  portal: {
    title: '公众门户',
    intro: '湖北省重点排污单位自动监控信息公开（无需登录）',
    login: '登录',
  },
  alarmType: {},
};

type Resource = typeof zh;

const en: Resource = {
  app: { name: 'Qingyuan', title: 'Pollution-source monitoring', logout: 'Log out', language: '中文' },
  menu: {
    overview: 'Overview',
    realtime: 'Real-time',
    history: 'History',
    alarms: 'Alarms',
    tipOffs: 'Tip-offs',
    transmission: 'Transmission',
    archive: 'Enterprise files',
    smart: 'Smart monitoring',
    frames: 'Raw frames',
    commands: 'Remote control',
    system: 'System',
    portal: 'Public portal',
  },
  login: {
    title: 'Log in',
    username: 'User name',
    password: 'Password',
    submit: 'Log in',
    demo: 'Demo accounts (password {{password}})',
    demoHint: 'click a name to fill it in',
    portal: 'Public portal without logging in',
  },
  overview: {
    enterprises: 'Enterprises',
    points: 'Monitoring points',
    online: 'Devices online',
    onlineRate: 'Online rate',
    openAlarms: 'Open alarms',
    alarmsByType: 'Open alarms by type',
    none: 'None',
    map: 'Enterprises in Hubei',
    updated: 'updated {{time}}',
  },
  state: {
    normal: 'Normal',
    exceeding: 'Exceeding',
    anomaly: 'Anomaly',
    offline: 'Offline',
    stopped: 'Stopped',
  },
  realtime: {
    tree: 'Enterprise / outlet',
    all: 'All',
    enterprise: 'Enterprise',
    point: 'Point',
    factor: 'Factor',
    value: 'Value',
    unit: 'Unit',
    limit: 'Limit',
    flag: 'Flag',
    age: 'Data time',
    online: 'online',
    offline: 'offline',
    live: 'Live',
    connecting: 'Connecting',
    ago: '{{s}} s ago',
    search: 'Search enterprise or MN',
  },
  placeholder: {
    todo: 'This page is completed in a later version. Its data comes from:',
  },
  portal: {
    title: 'Public portal',
    intro: 'Automatic monitoring of key dischargers in Hubei, open to the public (no login)',
    login: 'Log in',
  },
  alarmType: {},
};

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(LANGUAGE_KEY);
export const initialLanguage = stored === 'en' ? 'en' : 'zh-CN';

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zh }, en: { translation: en } },
  lng: initialLanguage,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});
setApiLanguage(initialLanguage);

export function changeLanguage(lang: 'zh-CN' | 'en'): void {
  localStorage.setItem(LANGUAGE_KEY, lang);
  setApiLanguage(lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export default i18n;
