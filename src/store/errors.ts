// Branch on error codes, never on meta shapes: they differ between the PGlite and pg adapters.
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'P2002' || code === '23505';
}
