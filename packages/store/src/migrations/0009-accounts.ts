import type { Kysely } from 'kysely';
import { columnTypes, type DialectName, oneOf, tableWithId } from '../dialect.js';

/**
 * People and machines that use the API, and what they did: user accounts (one role each, with the region,
 * enterprise or contractor that bounds what they see), login sessions, API tokens for machine clients (a
 * city platform pulling data), and the audit log — append-only and hash-chained like the frame archive.
 * Secrets are stored only as hashes (passwords: scrypt; session ids and tokens: SHA-256).
 */
export function accounts(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const pk = (table: string) => tableWithId(db, dialect, table);

      await pk('user_account')
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) =>
          c
            .notNull()
            .check(
              oneOf('role', [
                'province_admin',
                'province',
                'city',
                'county',
                'enterprise',
                'om_contractor',
                'inspection_unit',
                'monitoring_operator',
              ]),
            ),
        )
        .addColumn('region_code', 'text', (c) => c.references('region.code'))
        .addColumn('enterprise_id', t.ref, (c) => c.references('enterprise.id'))
        .addColumn('contractor_id', t.ref, (c) => c.references('contractor.id'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', t.instant, (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', t.instant)
        .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', ['active', 'disabled'])))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('last_login_at', t.instant)
        .execute();

      await db.schema
        .createTable('user_session')
        // SHA-256 of the session id in the cookie: a stolen database does not yield live sessions.
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', t.ref, (c) => c.notNull().references('user_account.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('last_seen_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant, (c) => c.notNull())
        .addColumn('revoked_at', t.instant)
        .addColumn('peer', 'text')
        .execute();
      await db.schema.createIndex('user_session_user').on('user_session').column('user_id').execute();

      await pk('api_token')
        .addColumn('user_id', t.ref, (c) => c.notNull().references('user_account.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        // JSON array of permissions the token may use (a subset of its user's).
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant)
        .addColumn('revoked_at', t.instant)
        .addColumn('last_used_at', t.instant)
        .execute();

      await pk('audit_log')
        .addColumn('at', t.instant, (c) => c.notNull())
        // 'user:<id>', 'token:<id>', 'system', or 'public'.
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text')
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .addColumn('peer', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_log_entity')
        .on('audit_log')
        .columns(['entity', 'entity_id'])
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    },
  };
}
