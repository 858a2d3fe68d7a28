import * as v from 'valibot';
import type { Runtime } from '../runtime/types.ts';

/** What a running `serve` publishes in `<data_dir>/run/serve.json` for `status` and `stop`. */
export const ServeInfoSchema = v.object({
  pid: v.number(),
  version: v.string(),
  url: v.string(),
  started_at: v.string(),
  data_dir: v.string(),
});

export type ServeInfo = v.InferOutput<typeof ServeInfoSchema>;

export async function writeServeInfo(runtime: Runtime, path: string, info: ServeInfo): Promise<void> {
  await runtime.fs.writeFileAtomic(path, `${JSON.stringify(info, null, 2)}\n`, 0o600);
}

/** The published info, or null when there is none or it is not readable. */
export async function readServeInfo(runtime: Runtime, path: string): Promise<ServeInfo | null> {
  try {
    const parsed = v.safeParse(ServeInfoSchema, JSON.parse(await runtime.fs.readText(path)));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}
