// 总览 (pages/Overview.tsx and pages/overview/*): the drill-down, today's figures, the trends and the lists.
// The older keys under `overview` stay in src/i18n.ts. Import for the side effect.
import i18n from 'i18next';

const zh = {
  overviewPage: {
    exceedancesToday: '今日超标',
    exceedancesTodayHint: '今日（北京时间）新开的小时/日均值超标报警',
    transmission: '有效传输率（{{month}}）',
    transmissionThrough: '统计至 {{day}}，目标 > {{target}}%',
    transmissionWhole: '{{month}} 整月，目标 > {{target}}%',
    transmissionNone: '无应传数据',
    regions: '下级区域',
    region: '区域',
    enterprises: '企业',
    enterprise: '企业名称',
    state: '状态',
    abnormal: '超标/异常',
    offline: '离线',
    openFile: '查看一企一档',
    trends: '近期趋势',
    days7: '近 7 天',
    days30: '近 30 天',
    effectiveRate: '有效传输率',
    exceedances: '超标报警',
    anomalies: '异常报警',
    rateAxis: '传输率 %',
    countAxis: '报警数',
    trendsNote:
      '按北京时间整日统计（不含今日）；有效传输率取自分析引擎每日判定结果。在线率无历史记录，不作趋势。',
    mapHint: '点击地图区域下钻，点击企业查看档案',
    backToStart: '返回本辖区',
  },
};

const en: typeof zh = {
  overviewPage: {
    exceedancesToday: 'Exceedances today',
    exceedancesTodayHint: 'Hourly and daily exceedance alarms opened today (Beijing time)',
    transmission: 'Effective transmission ({{month}})',
    transmissionThrough: 'through {{day}}, target > {{target}}%',
    transmissionWhole: 'all of {{month}}, target > {{target}}%',
    transmissionNone: 'nothing expected',
    regions: 'Regions below',
    region: 'Region',
    enterprises: 'Enterprises',
    enterprise: 'Enterprise',
    state: 'State',
    abnormal: 'Exceeding/anomaly',
    offline: 'Offline',
    openFile: 'Open the enterprise file',
    trends: 'Recent trends',
    days7: 'Last 7 days',
    days30: 'Last 30 days',
    effectiveRate: 'Effective transmission rate',
    exceedances: 'Exceedance alarms',
    anomalies: 'Anomaly alarms',
    rateAxis: 'rate %',
    countAxis: 'alarms',
    trendsNote:
      'Whole Beijing days (today excluded); the effective transmission rate comes from the analysis engine’s daily judgements. No online-rate trend: online time is not recorded.',
    mapHint: 'Click a region on the map to drill down, an enterprise to open its file',
    backToStart: 'Back to my region',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, true);
i18n.addResourceBundle('en', 'translation', en, true, true);
