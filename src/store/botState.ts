// Rows behind the Bot Framework storage interface (adapted in teams/storage.ts).
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export async function readStates(db: PrismaClient, keys: readonly string[]): Promise<Map<string, { value: unknown; eTag: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.botState.findMany({ where: { key: { in: [...keys] } } });
  return new Map(rows.map((r) => [r.key, { value: r.value, eTag: r.eTag }]));
}

/** Last writer wins: turn state holds no records, only conversation bookkeeping. */
export async function writeStates(db: PrismaClient, changes: ReadonlyMap<string, unknown>): Promise<void> {
  for (const [key, value] of changes) {
    const json = value as Prisma.InputJsonValue;
    const eTag = randomUUID();
    await db.botState.upsert({ where: { key }, create: { key, value: json, eTag }, update: { value: json, eTag } });
  }
}

export async function deleteStates(db: PrismaClient, keys: readonly string[]): Promise<void> {
  await db.botState.deleteMany({ where: { key: { in: [...keys] } } });
}
