import 'node:process';
import { fileURLToPath } from 'node:url';

export const CM = 'cm';
export const here = fileURLToPath(import.meta.url);

export function* allUnits() {
  yield CM;
}
