// Shared by the operator commands: read the configuration (saying what is wrong), and run a main that exits with
// its code (the Prisma engines keep timers alive otherwise).
import { ConfigError, loadConfig, type Config } from '../config.js';

export function configOrReport(): Config | undefined {
  try {
    return loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : 'Configuration could not be read'}\n`);
    return undefined;
  }
}

export function runMain(name: string, main: () => Promise<number>): void {
  main().then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`${name} could not run: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
