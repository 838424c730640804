// Entry point of `npm run bench:scale -- <command>` (see docs/performance.md, "A million signals"):
//   generate [--reset]                      load the data set into SCALE_DATABASE_URL (default weerbaar_scale)
//   measure [--label <name>] [--iterations <n>] [--only <kind,...>]
//                                           time the services on it; results go to bench/results/scale.json
import { generate } from './generate.js';
import { measure } from './measure.js';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'generate') return generate(rest);
  if (command === 'measure') return measure(rest);
  process.stderr.write('Usage: npm run bench:scale -- generate [--reset] | measure [--label <name>] [--iterations <n>] [--only <kind,...>]\n');
  process.exitCode = 2;
}

// Prisma's engine and pg pools keep timers: leave explicitly once done.
main(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
