// The configuration error a set of variables produces (fails the test when there is none).
import { ConfigError, loadConfig } from '../../src/config';

export function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
