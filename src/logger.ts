// Structured JSON logs. Redaction is by key: tokens and the personal fields we carry never reach the output.
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'token', '*.token', 'password', '*.password', 'appPassword', '*.appPassword', 'secret', '*.secret',
  'text', '*.text', 'description', '*.description', 'location', '*.location',
  'name', '*.name', 'userName', '*.userName', 'email', '*.email', 'value', '*.value',
  'activity', '*.activity', 'body', '*.body',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'weerbaar' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
