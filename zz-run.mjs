import { Worker } from 'node:worker_threads';
const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify('file:///work/wt/core/zz-entry.ts')}); }).catch((e) => { console.error('worker failed', e); process.exit(1) })`;
const w = new Worker(code, { eval: true });
w.on('error', (e) => console.log('error', e));
w.on('exit', (c) => console.log('exit', c));
w.once('message', (m) => { console.log('got', m); w.terminate(); });
w.postMessage('abc');
