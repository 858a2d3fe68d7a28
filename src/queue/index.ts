export { PRIORITIES, PRIORITY_RANK, type Priority } from './priority.ts';
export { LATENCY_BUCKETS_MS, MethodStats, type MethodStatsEntry } from './method-stats.ts';
export { SampleWindow } from './percentiles.ts';
export { QueueStats, type OutcomeCounts, type QueueStatsSnapshot } from './queue-stats.ts';
export { RequestQueue, type OfferOptions, type QueueEntry, type RequestQueueOptions } from './request-queue.ts';
