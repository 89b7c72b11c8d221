#!/usr/bin/env node
// Thin launcher: everything, including the mapping of errors to exit codes, lives in main.
import { main } from '../dist/cli/main.js';

await main(process.argv);
