import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, minifySync, type Plugin, transformWithOxc } from 'vite';

/**
 * The pages an address can open on, and the modules each needs first (its chunk and what that imports
 * statically): the boot script preloads them for the address the application is opened on.
 */
const ROUTE_MODULES: Record<string, readonly string[]> = {
  '/': ['src/pages/Overview.tsx', 'src/generated/hubei.json'],
  '/history': ['src/pages/History.tsx'],
  '/login': ['src/pages/Login.tsx'],
};

/**
 * The boot script (src/early.ts compiled on its own, with the build's route → chunks table): a small module
 * that index.html loads `async` beside the entry, so it runs as soon as it has come — while the entry
 * (React, antd: ~0.6 MB) is still on its way and long before the entry has been evaluated. It preloads the
 * page's chunks and starts the page's first API requests (the session, its answers), which the API client
 * then takes. A file, not an inline script: the platform's CSP allows scripts from 'self' only.
 */
function earlyBoot(): Plugin {
  let file: { fileName: string; source: string } | undefined;
  return {
    name: 'qingyuan-early-boot',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        const bundle = ctx.bundle;
        if (bundle === undefined) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const closure = (files: readonly string[], seen = new Set<string>()) => {
          for (const f of files) {
            if (seen.has(f)) continue;
            seen.add(f);
            closure(byFile.get(f)?.imports ?? [], seen);
          }
          return seen;
        };
        const entry = closure(chunks.filter((c) => c.isEntry).map((c) => c.fileName));
        const routes: Record<string, string[]> = {};
        for (const [path, modules] of Object.entries(ROUTE_MODULES)) {
          const roots = modules.map((m) => {
            const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(m));
            if (chunk === undefined) throw new Error(`early boot: no chunk for ${m}`);
            return chunk.fileName;
          });
          routes[path] = [...closure(roots)].filter((f) => !entry.has(f)).map((f) => `/${f}`);
        }
        const early = fileURLToPath(new URL('./src/early.ts', import.meta.url));
        const { code } = await transformWithOxc(readFileSync(early, 'utf8'), early, { lang: 'ts' });
        const source = minifySync('early.js', `${code}\nboot(${JSON.stringify(routes)});\n`, {}).code;
        const hash = createHash('sha256').update(source).digest('base64url').slice(0, 8);
        file = { fileName: `assets/early-${hash}.js`, source };
        return [
          {
            tag: 'script',
            attrs: { type: 'module', async: true, src: `/${file.fileName}` },
            // First in <head>: asked for before the entry and its chunks.
            injectTo: 'head-prepend',
          },
        ];
      },
    },
    generateBundle() {
      if (file !== undefined) this.emitFile({ type: 'asset', fileName: file.fileName, source: file.source });
    },
  };
}

// The platform serves dist/ at '/' (packages/server/src/platform.ts); `npm run dev -w @qingyuan/web`
// proxies /api to a running `npm start`.
export default defineConfig({
  plugins: [react(), earlyBoot()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: scripts/size.mjs reads it to report each route's JS.
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // ECharts is split by use, as the bundler does by default: its core (zrender, the canvas renderer,
        // models, axes) in one chunk named `echarts`, the line/scatter/zoom/marker parts with the chart
        // wrapper (EChart.tsx), the map's with HubeiMap.tsx, bars apart — so the history chart neither loads
        // nor evaluates the map's and the bars' code (~95 KB of the one manual `echarts` chunk this replaced;
        // docs/benchmarks.md, bench/web).
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.includes('node_modules/zrender/lib/zrender.js'))
            ? 'assets/echarts-[hash].js'
            : 'assets/[name]-[hash].js',
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
