// Changes to the configuration file made by the admin command (`link`): the file stays the source of truth, so a
// link made on the command line is written into it, keeping its comments and layout, validated before it is written.
import { rename, writeFile } from 'node:fs/promises';
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { parseDeploymentConfig, type DeploymentConfig } from '../domain/deploymentConfig.js';

export class ConfigEditError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'ConfigEditError';
  }
}

export interface EditedConfig { text: string; config: DeploymentConfig }

/** The file's text with this Teams scope serving these municipalities (the entry replaced or added), validated. */
export function withScopeLink(file: string, source: string, scope: { ref: string; kind: 'channel' | 'groupChat'; label?: string }, codes: readonly string[]): EditedConfig {
  const doc = parseDocument(source, { uniqueKeys: true });
  const before = parseDeploymentConfig(file, source);
  if (!before.ok) throw new ConfigEditError(before.errors);
  const unknown = codes.find((c) => !before.config.municipalities.some((m) => m.code === c));
  if (unknown !== undefined) throw new ConfigEditError([`No municipality with code ${unknown} in ${file} (add it under municipalities first)`]);
  if (!isSeq(doc.get('scopes'))) doc.set('scopes', doc.createNode([]));
  const scopes = doc.get('scopes');
  if (!isSeq(scopes)) throw new ConfigEditError([`${file}: scopes: expected a list`]);
  const list = doc.createNode([...codes]);
  list.flow = true;
  const entry = scopes.items.find((item) => isMap(item) && (item.get('channelId') === scope.ref || item.get('chatId') === scope.ref));
  if (isMap(entry)) entry.set('municipalities', list);
  else {
    const node = doc.createNode({ [scope.kind === 'channel' ? 'channelId' : 'chatId']: scope.ref, ...(scope.label ? { name: scope.label } : {}), municipalities: [...codes] });
    const added = node.get('municipalities', true);
    if (isSeq(added)) added.flow = true;
    scopes.items.push(node);
  }
  const text = file.toLowerCase().endsWith('.json') ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString();
  const after = parseDeploymentConfig(file, text);
  if (!after.ok) throw new ConfigEditError(after.errors);
  return { text, config: after.config };
}

export const readConfigFile = (file: string): string => fs.readFileSync(path.resolve(file), 'utf8');

/** Replaces the file in one step (a reader never sees half a file), keeping its permissions. */
export async function writeConfigFile(file: string, text: string): Promise<void> {
  const target = path.resolve(file);
  const tmp = `${target}.${process.pid}.tmp`;
  const mode = fs.statSync(target).mode & 0o777;
  await writeFile(tmp, text, { mode });
  await rename(tmp, target);
}
