import { describe, expect, it } from 'vitest';
import { type ScanProgress, startedScan } from '../../src/analysis/indexer.ts';
import { indexerLinkFromStatus, NO_INDEXER, type StatusLike } from '../../src/tools/indexer-link.ts';
import { LocalScans } from '../../src/tools/local-scans.ts';
import { waitFor } from '../helpers/wait-for.ts';

const indexer = (state: string, details: Record<string, unknown> = {}): StatusLike => ({
  services: [
    { name: 'driver', state: 'running', pid: 10 },
    { name: 'worker-indexer', state, pid: 42, details },
    { name: 'worker-vectorizer', state, pid: 43, details: { provider: 'builtin' } },
  ],
});

describe('indexerLinkFromStatus', () => {
  it('reads a running indexer worker\'s progress and signals it to rescan', async () => {
    const signalled: number[] = [];
    const projects = [{ root: '/a', state: 'done', seen: 3 }, { root: '/b', state: 'waiting' }, { junk: true }, null];
    const link = indexerLinkFromStatus(async () => indexer('running', { projects }), (pid) => signalled.push(pid) > 0);
    expect(await link.progress()).toEqual(projects.slice(0, 2));
    expect(await link.requestRescan()).toBe(true);
    expect(signalled).toEqual([42]);
    expect(await link.vectorizer()).toEqual({ provider: 'builtin' });
  });

  it('sees no indexer when no server answers, when none runs, or while it is not running', async () => {
    for (const status of [null, { services: [] }, indexer('restarting')]) {
      const link = indexerLinkFromStatus(async () => status, () => true);
      expect(await link.progress()).toBeNull();
      expect(await link.requestRescan()).toBe(false);
      expect(await link.vectorizer()).toBeNull();
    }
    expect(await indexerLinkFromStatus(async () => indexer('running'), () => true).progress()).toEqual([]);
    expect(await NO_INDEXER.progress()).toBeNull();
    expect(await NO_INDEXER.requestRescan()).toBe(false);
    expect(await NO_INDEXER.vectorizer()).toBeNull();
  });
});

const scan = (root: string, state: ScanProgress['state'] = 'scanning'): ScanProgress => ({ ...startedScan(root), state });

describe('LocalScans', () => {
  it('runs one scan per project at a time, keeps its latest progress, and stops them all', async () => {
    const scans = new LocalScans();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = scans.start(1, scan('/a'), async (onProgress, shouldStop) => {
      onProgress({ ...scan('/a'), seen: 5 });
      await gate;
      return { ...scan('/a', shouldStop() ? 'aborted' : 'done'), seen: 9 };
    });
    expect(first.started).toBe(true);
    expect(scans.progress(1)).toMatchObject({ seen: 5, state: 'scanning' });
    expect(scans.start(1, scan('/a'), async () => scan('/a', 'done'))).toMatchObject({ started: false, progress: { seen: 5 } });
    const stopping = scans.stop();
    release();
    await stopping;
    expect(scans.progress(1)).toMatchObject({ state: 'aborted', seen: 9 });
    expect(scans.progress(2)).toBeUndefined();
  });

  it('records a scan that throws as aborted with its error', async () => {
    const scans = new LocalScans();
    scans.start(3, scan('/c'), async () => {
      throw new Error('disk gone');
    });
    await waitFor(() => scans.progress(3)?.state === 'aborted');
    expect(scans.progress(3)).toMatchObject({ error: 'disk gone', finished_at: expect.any(String) });
    expect(scans.start(3, scan('/c'), async () => scan('/c', 'done')).started).toBe(true);
    await waitFor(() => scans.progress(3)?.state === 'done');
  });
});
