import type { Kysely } from 'kysely';
import { columnTypes, type DialectName, oneOf, tableWithId } from '../dialect.js';

/**
 * Public tip-offs (公众举报, 湖北省办法 第十条): what a member of the public reports about an enterprise or a
 * place, routed to the responsible city's authority, with up to a few attachments kept in their own table.
 */
export function tipOffs(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await tableWithId(db, dialect, 'tip_off')
        .addColumn('received_at', t.instant, (c) => c.notNull())
        .addColumn('enterprise_id', t.ref, (c) => c.references('enterprise.id'))
        // The responsible city (its 6-digit code): the enterprise's city, else the given region's.
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        // 超标排放 / 数据造假 / 设施停运 / 其他 (checked by the repository: CHECK lists here are ASCII only).
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('contact', 'text')
        // JSON [{ name, type, size, sha256 }], the bytes in tip_attachment.
        .addColumn('attachments', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(oneOf('state', ['received', 'assigned', 'handled'])),
        )
        .addColumn('handled_by', 'text')
        .addColumn('handled_at', t.instant)
        .addColumn('note', 'text')
        .addColumn('receipt', 'text', (c) => c.notNull().unique())
        .addColumn('peer', 'text')
        .execute();
      await db.schema
        .createIndex('tip_off_region')
        .on('tip_off')
        .columns(['region_code', 'received_at'])
        .execute();
      await tableWithId(db, dialect, 'tip_attachment')
        .addColumn('tip_id', t.ref, (c) => c.notNull().references('tip_off.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('bytes', t.bytes, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tip_attachment_tip').on('tip_attachment').column('tip_id').execute();
    },
  };
}
