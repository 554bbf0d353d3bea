/** @qingyuan/simulator — the data-logger fleet simulator. */
export {};
