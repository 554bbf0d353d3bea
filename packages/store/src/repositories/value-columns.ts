/** The value kinds of HJ 212 as stored (columns of the observation tables, keys of a real-time pack's entry). */
export const VALUE_COLUMNS = [
  'rtd',
  'min',
  'avg',
  'max',
  'cou',
  'zs_rtd',
  'zs_min',
  'zs_avg',
  'zs_max',
] as const;
export type ValueColumn = (typeof VALUE_COLUMNS)[number];
