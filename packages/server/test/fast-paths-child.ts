// Loads the whole platform's modules in a process of its own, reads and writes an XLSX workbook as a registry
// import and an export do, and prints which of V8's process-wide fast-path guards ("protectors") still hold:
// `node --allow-natives-syntax --import tsx fast-paths-child.ts`.
await import('@qingyuan/gateway');
await import('../src/index.js');
const { parseRegistryXlsx } = await import('@qingyuan/store');
const { toXlsx } = await import('../src/http/export.js');

const workbook = await toXlsx({
  filename: 'points',
  columns: ['mn', 'factor', 'enterprise'].map((key) => ({ key, header: key })),
  rows: [{ mn: '88888880000001', factor: 'w01018', enterprise: '某污水处理厂' }],
});
const sheet = await parseRegistryXlsx(workbook);

/** V8's protectors this Node reports on (V8's runtime functions `%<Name>()`, true while intact). */
const PROTECTORS = [
  'ArraySpeciesProtector',
  'ArrayIteratorProtector',
  'IsConcatSpreadableProtector',
  'MapIteratorProtector',
  'PromiseSpeciesProtector',
  'RegExpSpeciesProtector',
  'SetIteratorProtector',
  'StringIteratorProtector',
  'TypedArraySpeciesProtector',
] as const;

const state: Record<string, boolean> = {};
for (const name of PROTECTORS) state[name] = new Function(`return %${name}()`)() as boolean;
console.log(JSON.stringify({ protectors: state, importedRows: sheet.rows.map((r) => r.cells) }));
