export { type CodeTools, type CodeToolsOptions, createCodeTools } from './context.ts';
export { type IndexerLink, type IndexerProgress, indexerLinkFromStatus, NO_INDEXER, type StatusLike } from './indexer-link.ts';
export { LocalScans } from './local-scans.ts';
export { CODE_TOOLS, isCodeCommand, runCodeCommand } from './registry.ts';
export type { ToolSpec } from './tool.ts';
