/** Kept apart from start-command.ts so the help text loads without the server's dependencies. */
export const START_USAGE = `  qingyuan start [--db URL] [--gateway-port 9212] [--http-port 8080] [--host 0.0.0.0] [--no-demo]
                 [--demo-speed X] [--demo-devices N]
      Run the platform: migrate the database, seed the demo registry when it is empty, start the HJ 212
      gateway, the HTTP server (status page, /api/v1/status, /healthz, /readyz) and a simulated fleet of
      the registered data loggers (--no-demo: none). Ctrl-C stops it cleanly.`;
