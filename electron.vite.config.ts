import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY } from './shared/security-policy'

// One build for every Node-side entry point: the Electron main process, the web bridge,
// the `splitsend` command and the worker threads all come out of `out/main/`.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: 'electron/main/index.ts',
          web: 'electron/web/start-web.ts',
          cli: 'electron/cli/splitsend.ts',
          'prepare-worker': 'electron/services/prepare/prepare-worker.ts',
          'inspect-worker': 'electron/services/prepare/inspect-worker.ts',
          'group-files-worker': 'electron/services/prepare/fast/group-files-worker.ts',
          'csv-read-worker': 'electron/services/prepare/fast/read-worker.ts',
          'report-worker': 'electron/services/report/report-worker.ts',
          'membership-compare-worker': 'electron/services/membership/compare-worker.ts',
          'membership-leaving-worker': 'electron/services/membership/leaving-worker.ts',
          'hash-worker': 'electron/services/routines/hash-worker.ts',
          'measure-worker': 'electron/services/upload/measure-worker.ts',
          'upload-body-worker': 'electron/services/upload/body-worker.ts',
          'results-worker': 'electron/services/prepare/results-worker.ts',
          'practice-worker': 'electron/services/account/practice-worker.ts',
        },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require() packages, so everything it needs is bundled in.
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: 'electron/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: 'renderer/index.html' },
    },
  },
})

/** Writes the one Content-Security-Policy (shared/security-policy.ts) into the built page. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'splitsend-csp',
    transformIndexHtml: (html, context) =>
      // The dev server needs inline scripts for hot reload, so the policy goes only into builds.
      context.server
        ? html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
        : html.replace('%SPLITSEND_CSP%', CONTENT_SECURITY_POLICY),
  }
}
