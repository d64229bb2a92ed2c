// Vite builds the viewer into dist/, which `cairn serve` serves on the query API's port.
// JSX goes through Vite's own esbuild (no React plugin needed); the dev server proxies the API
// to a running `cairn serve` (CAIRN_API_URL, default http://127.0.0.1:4320).
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': process.env['CAIRN_API_URL'] ?? 'http://127.0.0.1:4320' },
  },
});
