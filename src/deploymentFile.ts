// Reading the deployment's configuration file (WEERBAAR_CONFIG_FILE): at start, on every reload and by the admin
// command. An unreadable or invalid file is a ConfigError, so the process refuses to start with exit code 78.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config.js';
import { parseDeploymentConfig, type DeploymentConfig } from './domain/deploymentConfig.js';

/** The configuration file is unreadable or invalid: every line names the file, the path in it and what is expected. */
export class ConfigFileError extends ConfigError {
  constructor(readonly file: string, readonly errors: readonly string[]) {
    super('WEERBAAR_CONFIG_FILE', errors.join('; '));
    this.name = 'ConfigFileError';
    this.message = `The configuration file is not valid:\n${errors.join('\n')}`;
  }
}

/** Reads and validates the deployment's configuration file. */
export function loadDeploymentFile(file: string): DeploymentConfig {
  let source: string;
  try {
    source = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'error';
    throw new ConfigFileError(file, [`${file}: cannot be read (${code === 'ENOENT' ? 'no such file' : code})`]);
  }
  const parsed = parseDeploymentConfig(file, source);
  if (!parsed.ok) throw new ConfigFileError(file, parsed.errors);
  return parsed.config;
}

/** The briefing schedule and pacing: the file's values where it has them, else the environment's. */
export function withDeployment(env: Config['envDefaults'], deployment: DeploymentConfig | undefined): Pick<Config, 'briefing' | 'pacing'> {
  return {
    briefing: { ...env.briefing, ...deployment?.briefing },
    pacing: { ...env.pacing, ...(deployment?.pacing.tenantPerSecond === undefined ? {} : { perTenantPerSecond: deployment.pacing.tenantPerSecond }) },
  };
}
