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

/**
 * Libraries that print to the console themselves: botbuilder's CloudAdapter prints every error of a request it
 * could not process (with its message and stack), botframework-connector's JwtTokenExtractor prints token errors and
 * the signing keys it knows. That text would reach stderr beside the structured log, unredacted. Each such call
 * becomes one structured warning with a fixed message and the name of the error it printed (never its text), so
 * that it is still counted and seen. Only the process entry installs it (it replaces a global); returns the undo.
 */
export function routeConsoleToLog(log: Logger, target: Pick<Console, 'error' | 'warn'> = console): () => void {
  const original = { error: target.error, warn: target.warn };
  const route = (method: 'error' | 'warn') => (...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    log.warn({ console: method, errorName: error === undefined ? undefined : loggedError(error).type }, 'a library wrote to the console (its text withheld)');
  };
  target.error = route('error');
  target.warn = route('warn');
  return () => { target.error = original.error; target.warn = original.warn; };
}
