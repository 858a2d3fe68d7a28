#!/usr/bin/env node
// Runs the TypeScript sources directly on plain Node: tsx registers its loader, then the
// entry point loads. No build step is needed after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
