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
 * The path to the first object or array nested more than `limit` levels deep inside `value`
 * (the value itself is level 1), or null when there is none. Iterative, so the check itself
 * cannot overflow the stack however deep the value is.
 */
export function pathTooDeep(value: unknown, limit = MAX_NESTING_DEPTH): Key[] | null {
  if (typeof value !== 'object' || value === null) return null;
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
