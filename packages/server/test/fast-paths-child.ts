// Loads the whole platform's modules in a process of its own and prints which of V8's process-wide fast-path
// guards ("protectors") still hold: `node --allow-natives-syntax --import tsx fast-paths-child.ts`.
await import('@qingyuan/gateway');
await import('../src/index.js');

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
console.log(JSON.stringify(state));
