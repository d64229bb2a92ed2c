#!/usr/bin/env node
// Launcher: runs the TypeScript sources through tsx, so `npx cairn` works without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
