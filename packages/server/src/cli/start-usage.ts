/** Kept apart from start-command.ts so the help text loads without the server's dependencies. */
export const START_USAGE = `  qingyuan start [--db URL] [--gateway-port 9212] [--http-port 8080] [--host 0.0.0.0] [--no-demo]
                 [--demo-speed X] [--demo-devices N] [--demo-history 24] [--gateway-config FILE]
                 [--auto-time-sync] [--demo-scenarios showcase|none|FILE.json]
      Run the platform: migrate the database, seed the demo registry when it is empty, start the HJ 212
      gateway, the HTTP API (/api/v1, documented at /api/docs; /healthz, /readyz, /metrics) and a simulated
      fleet of the registered data loggers (--no-demo: none). On a newly seeded database the loggers first
      upload the hourly data of the last --demo-history hours (default 24; 0: none). The first start
      creates the province administrator "admin" and prints its one-time password; demo mode also creates
      one demo account per role (password printed). Ctrl-C stops it cleanly.
      --gateway-config FILE: the gateway's options as JSON (packages/gateway/README.md lists them), e.g.
      {"idleTimeoutMs": 600000, "clockSkewMs": 300000, "autoTimeSync": true, "backfill": {"periods": ["hour"]}};
      an unknown option or a value out of range stops the start with its name. --auto-time-sync: send 1012
      (set time) to a logger whose clock is out by more than clockSkewMs, at most once an hour.
      --demo-scenarios: showcase (default) has a few demo loggers misbehave — exceedances, a constant value,
      dilution, an hour offline then backfilled, clock drift, a changed instrument slope — and prints which;
      none: every logger behaves; FILE.json: the scenarios of \`qingyuan simulate --scenarios\` instead.`;
