import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

/** What every use case needs from the outside world. */
export interface ServiceDeps {
  prisma: PrismaClient;
  log: Logger;
  now(): Date;
  /** The outbox, to start a job written just now at once rather than at the next poll (absent in tools without a worker). */
  outbox?: { kick(): void };
}

/** Per activity: ties log lines, audit events and the user's error message together. */
export interface RequestContext {
  correlationId: string;
}
