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

/** What the log keeps of an error. */
export interface LoggedError { type: string; code?: string | number; statusCode?: number }

// A code is a short token (P2002, 23505, ECONNRESET, ServiceError), never a sentence that could carry a value.
const CODE = /^[\w.:-]{1,40}$/;

/**
 * An error as the log keeps it: its kind and codes, never its message or stack. Redaction by key cannot reach inside
 * a message, and the messages of errors we do not write ourselves carry the values they choked on: Prisma prints the
 * arguments of a failed call (the signal's description and street), PostgreSQL quotes the bad input, the conflicting
 * key and the whole failing row, JSON.parse and zod quote the text, the connector quotes its answer. The correlation
 * id in the same line ties it to the request, and the type and code say what failed.
 */
export function loggedError(err: unknown): LoggedError {
  if (typeof err !== 'object' || err === null) return { type: typeof err };
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  const type = err instanceof Error ? (err.constructor.name !== 'Error' ? err.constructor.name : err.name) : 'object';
  return {
    type: CODE.test(type) ? type : 'Error',
    ...((typeof code === 'string' && CODE.test(code)) || typeof code === 'number' ? { code } : {}),
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'weerbaar' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: loggedError },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
