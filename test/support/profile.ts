// How hard the reliability suite pushes: `npm test` (and CI) runs the short profile, `npm run test:reliability` the
// full one (RELIABILITY_PROFILE=full). Each test names both sizes, so the figures in docs/reliability.md are the full ones.
export const FULL_PROFILE = process.env.RELIABILITY_PROFILE === 'full';

/** The short size in `npm test`, the full size in `npm run test:reliability`. */
export const sized = (short: number, full: number): number => (FULL_PROFILE ? full : short);
