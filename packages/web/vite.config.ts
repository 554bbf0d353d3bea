import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The platform serves dist/ at '/' (packages/server/src/platform.ts); `npm run dev -w @qingyuan/web`
// proxies /api to a running `npm start`.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: scripts/size.mjs reads it to report each route's JS.
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
