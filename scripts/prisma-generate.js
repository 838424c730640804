#!/usr/bin/env node
// `prisma generate` offline: the Prisma 7 CLI wants a native schema engine it would download; generate
// does not use it, so point it at a stand-in. Migrations run through src/store/migrate.ts (wasm engine).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: path.join(__dirname, 'no-schema-engine.sh'), PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const cli = require.resolve('prisma/build/index.js', { paths: [root] });
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', path.join(root, 'prisma', 'schema.prisma')], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.exit(result.status ?? 1);
}
