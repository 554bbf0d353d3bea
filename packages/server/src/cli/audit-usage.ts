/** Kept apart so the help text loads without the server's dependencies. */
export const AUDIT_USAGE = `  qingyuan audit verify [--db URL]
      Check the audit log's hash chain; names the first record that was changed, inserted or removed
      (exit code 1 when broken).
  qingyuan user reset-password <username> [--db URL]
      Give a user a new one-time password (printed once), unlock the account and end its sessions —
      for an administrator locked out of the web application.`;
