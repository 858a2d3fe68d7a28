/**
 * One source of configuration values (the embedded default, a file, one environment
 * variable, one flag), kept apart until the merge so an invalid value can be traced back
 * to where it came from.
 */
export interface ConfigLayer {
  /** What supplied these values, as a person would name it: a file path, `CODE_ANALYSIS_PORT`, `--port`. */
  source: string;
  value: Record<string, unknown>;
}

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge: objects merge key by key; arrays, null and scalars from `top` replace. */
export function deepMerge(base: PlainObject, top: PlainObject): PlainObject {
  const merged: PlainObject = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const below = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(below) ? deepMerge(below, value) : value;
  }
  return merged;
}

/** An object holding `value` at `path` (`['server', 'port']` → `{ server: { port } }`). */
export function atPath(path: string[], value: unknown): PlainObject {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as PlainObject;
}

/** Whether `path` leads to a key present in `value` (even one holding null). */
export function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as PlainObject)[key as string];
  }
  return true;
}

/** The topmost layer that supplied `path`, or failing that the closest enclosing value. */
export function sourceOf(layers: readonly ConfigLayer[], path: readonly (string | number)[]): string {
  for (let length = path.length; length > 0; length--) {
    const prefix = path.slice(0, length);
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i] as ConfigLayer;
      if (hasPath(layer.value, prefix)) return layer.source;
    }
  }
  return (layers[0] as ConfigLayer).source;
}
