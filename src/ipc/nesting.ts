/**
 * How deeply values may nest on the wire. JSON.stringify and structured cloning recurse, so
 * a value nested thousands of levels deep overflows the stack of whoever encodes it (from
 * about 4,000 levels on Node's main thread); such values are refused on the way in and never
 * handed out on the way back. Real data (a syntax tree stored as JSON) stays well below.
 */
export const MAX_NESTING_DEPTH = 1000;

type Key = string | number;

interface Frame {
  value: object;
  depth: number;
  key: Key;
  parent: Frame | null;
}

function pathOf(frame: Frame): Key[] {
  const keys: Key[] = [];
  for (let at: Frame | null = frame; at; at = at.parent) keys.push(at.key);
  return keys.reverse().slice(1);
}

/**
 * Whether something inside `value` (at level `depth`) nests deeper than `limit`. Recursive
 * but never past `limit` + 1 calls deep, and it allocates nothing: every request's params go
 * through it (an insert_many's thousands of rows), and nearly all of them pass.
 */
function nestsDeeper(value: object, depth: number, limit: number): boolean {
  if (depth > limit) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null && nestsDeeper(child, depth + 1, limit)) return true;
    }
  } else {
    for (const key in value) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null && nestsDeeper(child, depth + 1, limit)) return true;
    }
  }
  return false;
}

/**
 * The path to the first object or array nested more than `limit` levels deep inside `value`
 * (the value itself is level 1), or null when there is none. The path is searched for
 * iteratively, so finding it cannot overflow the stack however deep the value is.
 */
export function pathTooDeep(value: unknown, limit = MAX_NESTING_DEPTH): Key[] | null {
  if (typeof value !== 'object' || value === null || !nestsDeeper(value, 1, limit)) return null;
  const stack: Frame[] = [{ value, depth: 1, key: '', parent: null }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.depth > limit) return pathOf(frame);
    if (Array.isArray(frame.value)) {
      for (let i = 0; i < frame.value.length; i++) {
        const child: unknown = frame.value[i];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: frame.depth + 1, key: i, parent: frame });
      }
    } else {
      for (const key in frame.value) {
        const child: unknown = (frame.value as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
      }
    }
  }
  return null;
}

/** `params.data.doc[0][0]…`: a path for a message, shortened where it only repeats. */
export function describePath(prefix: string, keys: Key[]): string {
  const shown = keys.slice(0, 8).map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`));
  return `${prefix}${shown.join('')}${keys.length > 8 ? '…' : ''}`;
}
