#!/usr/bin/env node
// Tiny launcher: everything lives in the compiled CLI so start-up loads only what a command needs.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2));
