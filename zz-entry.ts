import { parentPort } from 'node:worker_threads';
import { quote } from './src/driver/sql/identifiers.ts';
const x: number = 1;
parentPort!.on('message', (m: string) => parentPort!.postMessage(quote(m) + x));
