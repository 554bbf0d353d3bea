/** @qingyuan/gateway — the HJ 212 TCP gateway. */
export {};
