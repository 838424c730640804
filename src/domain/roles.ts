export const ROLES = ['member', 'coordinator', 'chair', 'mayor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
