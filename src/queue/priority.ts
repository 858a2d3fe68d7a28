import type { Priority } from '../ipc/messages.ts';

export type { Priority } from '../ipc/messages.ts';

/** Highest first. */
export const PRIORITIES: readonly Priority[] = ['critical', 'high', 'normal', 'low'];

/** Base rank of each priority; waiting adds one rank per aging period. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { critical: 3, high: 2, normal: 1, low: 0 };
