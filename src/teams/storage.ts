// Bot Framework Storage over the database, so turn state survives restarts and is shared between instances.
import type { Storage, StoreItems } from 'botbuilder';
import type { PrismaClient } from '../generated/prisma/client.js';
import { deleteStates, readStates, writeStates } from '../store/botState.js';

export class DatabaseStorage implements Storage {
  constructor(private readonly prisma: PrismaClient) {}

  async read(keys: string[]): Promise<StoreItems> {
    const found = await readStates(this.prisma, keys);
    const items: StoreItems = {};
    for (const [key, { value, eTag }] of found) {
      items[key] = typeof value === 'object' && value !== null ? { ...(value as Record<string, unknown>), eTag } : { value, eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const rows = new Map<string, unknown>();
    for (const [key, item] of Object.entries(changes)) {
      const { eTag: _ignored, ...value } = (item ?? {}) as Record<string, unknown>;
      void _ignored;
      rows.set(key, value);
    }
    await writeStates(this.prisma, rows);
  }

  async delete(keys: string[]): Promise<void> {
    await deleteStates(this.prisma, keys);
  }
}
