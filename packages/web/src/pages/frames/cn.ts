// Names of the HJ 212-2017 command codes (CN, 附录 B 表 B.6 / 附录 C) seen in frames and commands.
const NAMES: Record<string, readonly [string, string]> = {
  '1000': ['设置超时时间及重发次数', 'Set timeout and retries'],
  '1011': ['提取现场机时间', 'Get device time'],
  '1012': ['设置现场机时间', 'Set device time'],
  '1013': ['现场机时间校准请求', 'Time calibration request'],
  '1061': ['提取实时数据间隔', 'Get real-time interval'],
  '1062': ['设置实时数据间隔', 'Set real-time interval'],
  '1063': ['提取分钟数据间隔', 'Get minute interval'],
  '1064': ['设置分钟数据间隔', 'Set minute interval'],
  '1072': ['设置现场机访问密码', 'Set access password'],
  '2011': ['实时数据', 'Real-time data'],
  '2012': ['停止察看实时数据', 'Stop real-time data'],
  '2021': ['设备运行状态', 'Run states'],
  '2022': ['停止察看设备运行状态', 'Stop run states'],
  '2031': ['日数据', 'Day data'],
  '2041': ['设备运行时间日历史数据', 'Run-time day data'],
  '2051': ['分钟数据', 'Minute data'],
  '2061': ['小时数据', 'Hour data'],
  '2072': ['超标报警', 'Alarm'],
  '2081': ['数采仪开机时间', 'Logger restart time'],
  '3011': ['零点校准量程校准', 'Calibrate'],
  '3012': ['即时采样', 'Sample now'],
  '3013': ['启动清洗/反吹', 'Start cleaning'],
  '3014': ['比对采样', 'Comparison sample'],
  '3015': ['超标留样', 'Keep exceedance sample'],
  '3016': ['设置采样时间周期', 'Set sampling period'],
  '3017': ['提取采样时间周期', 'Get sampling period'],
  '3018': ['提取出样时间', 'Get sample output time'],
  '3019': ['提取设备唯一标识', 'Get instrument SN'],
  '3020': ['现场机信息', 'Device information'],
  '3021': ['设置现场机参数', 'Set device parameter'],
  '9011': ['请求应答', 'Request reply'],
  '9012': ['执行结果', 'Execution result'],
  '9013': ['通知应答', 'Notice reply'],
  '9014': ['数据应答', 'Data ack'],
  '9015': ['心跳', 'Heartbeat'],
};

export const KNOWN_CNS = Object.keys(NAMES);

export function cnName(cn: string | null, language: string): string {
  if (cn === null) return '—';
  const names = NAMES[cn];
  return names === undefined ? '' : language === 'en' ? names[1] : names[0];
}
