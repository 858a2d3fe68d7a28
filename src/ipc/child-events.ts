import * as v from 'valibot';

/**
 * What a child tells its supervisor on stderr, as JSON lines among its log lines: `ready`
 * once it serves, `heartbeat` while it is alive, `progress` with details for `/status`.
 */
export const ChildEventSchema = v.object({
  event: v.picklist(['ready', 'heartbeat', 'progress']),
  details: v.optional(v.record(v.string(), v.unknown())),
});

export type ChildEvent = v.InferOutput<typeof ChildEventSchema>;

export function formatChildEvent(event: ChildEvent): string {
  return `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`;
}

/** The event a line carries, or null for an ordinary log line. */
export function parseChildEvent(line: string): ChildEvent | null {
  if (!line.startsWith('{') || !line.includes('"event"')) return null;
  try {
    const parsed = v.safeParse(ChildEventSchema, JSON.parse(line));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}
