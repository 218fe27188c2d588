/// <reference types="vitest/config" />
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

// Tauri's frontendDist is `ui/dist`; the repository keeps `dist/.gitkeep` so that the Rust crate
// compiles before the UI is built. Vite empties the output directory, so put the marker back.
const keepGitkeep = (): Plugin => ({
  name: 'ocop-keep-gitkeep',
  apply: 'build',
  writeBundle(options) {
    if (options.dir && resolve(options.dir) === resolve(import.meta.dirname, 'dist')) {
      writeFileSync(resolve(options.dir, '.gitkeep'), '');
    }
  },
});

export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [svelte(), keepGitkeep()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // The dev-only mock (`?mock`) reads the real criteria files when they exist.
    fs: { allow: ['.', '../assets/criteria'] },
  },
  // Preview under the app's strict policy, so anything needing 'unsafe-inline' or a remote
  // resource shows up as a console error before it reaches the desktop build.
  preview: { port: 1421, strictPort: true, headers: { 'Content-Security-Policy': "default-src 'self'" } },
  build: {
    target: 'es2022',
    // Two pages: the app (index.html) and the council room's member page (member.html), which the
    // hub (`ocop-room`) serves to members' browsers.
    rolldownOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html'), member: resolve(import.meta.dirname, 'member.html') },
    },
    // The mock build (`npm run build:mock`) is a separate output; the real one never contains it.
    sourcemap: mode === 'mock',
    // The mock build embeds every criteria file in one dev-only chunk.
    chunkSizeWarningLimit: mode === 'mock' ? 2000 : 500,
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.ts'],
  },
}));
