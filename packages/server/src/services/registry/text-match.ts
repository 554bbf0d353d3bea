import { sql } from 'kysely';

/** `column LIKE '%text%'` where `%`, `_` and `\` in the text match themselves (both dialects). */
export function containsText(column: string, text: string) {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
