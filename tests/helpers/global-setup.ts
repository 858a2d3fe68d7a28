// @ts-expect-error: a plain .mjs build script, without types.
import { buildNative } from '../../build/native.mjs';

/** Before any test file: the native SQLite extension the driver loads is there and current. */
export default function setup(): void {
  (buildNative as () => string)();
}
