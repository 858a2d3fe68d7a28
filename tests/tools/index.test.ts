import { describe, expect, it } from 'vitest';
import * as tools from '../../src/tools/index.ts';
import { createCodeTools } from '../../src/tools/context.ts';
import { indexerLinkFromStatus, NO_INDEXER } from '../../src/tools/indexer-link.ts';
import { LocalScans } from '../../src/tools/local-scans.ts';
import { CODE_TOOLS, isCodeCommand, runCodeCommand } from '../../src/tools/registry.ts';

describe('src/tools/index.ts', () => {
  it('re-exports the code tools and what a door needs to offer them', () => {
    expect(Object.keys(tools).sort()).toEqual(['CODE_TOOLS', 'LocalScans', 'NO_INDEXER', 'createCodeTools', 'indexerLinkFromStatus', 'isCodeCommand', 'runCodeCommand']);
    expect(tools.createCodeTools).toBe(createCodeTools);
    expect(tools.indexerLinkFromStatus).toBe(indexerLinkFromStatus);
    expect(tools.NO_INDEXER).toBe(NO_INDEXER);
    expect(tools.LocalScans).toBe(LocalScans);
    expect(tools.CODE_TOOLS).toBe(CODE_TOOLS);
    expect(tools.isCodeCommand).toBe(isCodeCommand);
    expect(tools.runCodeCommand).toBe(runCodeCommand);
  });
});
