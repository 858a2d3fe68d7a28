import type { QueueEntry } from './request-queue.ts';

/**
 * Who holds how much of the queue, by source (a client connection), so that one source
 * cannot starve the others (issue 14, case 5): when the queue is full, an offer from a
 * source holding less than the biggest holder pushes out that holder's newest waiting
 * request, and a critical offer pushes out the newest non-critical one (critical always has
 * room). Pushed-out requests never ran: they are refused as if they had come too late.
 */
export class QueueShares<T> {
  private readonly bySource = new Map<number, Set<QueueEntry<T>>>();

  added(entry: QueueEntry<T>): void {
    let entries = this.bySource.get(entry.source);
    if (!entries) this.bySource.set(entry.source, (entries = new Set()));
    entries.add(entry);
  }

  settled(entry: QueueEntry<T>): void {
    const entries = this.bySource.get(entry.source);
    if (!entries) return;
    entries.delete(entry);
    if (entries.size === 0) this.bySource.delete(entry.source);
  }

  held(source: number): number {
    return this.bySource.get(source)?.size ?? 0;
  }

  /** Every waiting entry of `source` (its connection closed), oldest first. */
  of(source: number): Array<QueueEntry<T>> {
    return [...(this.bySource.get(source) ?? [])];
  }

  /** The entry to push out so that an offer from `source` gets in, or undefined: then it is refused. */
  victim(source: number, critical: boolean): QueueEntry<T> | undefined {
    const holders = [...this.bySource.entries()].sort((a, b) => b[1].size - a[1].size);
    if (critical) {
      for (const [, entries] of holders) {
        const found = newest(entries, (entry) => entry.priority !== 'critical');
        if (found) return found;
      }
    }
    const [biggest, entries] = holders[0] ?? [];
    if (biggest === undefined || biggest === source || entries!.size <= this.held(source) + 1) return undefined;
    return newest(entries!, () => true);
  }
}

function newest<T>(entries: Set<QueueEntry<T>>, accept: (entry: QueueEntry<T>) => boolean): QueueEntry<T> | undefined {
  const list = [...entries];
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.evictable && accept(list[i]!)) return list[i];
  return undefined;
}
