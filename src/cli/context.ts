// What a command receives from main, and what it gives back. Commands are thin: they read
// flags from here, call the pipeline, and return text; main writes it in one go, so a
// failure never leaves half an output behind.
import type { ExitCode } from '../errors.js';

/** Flags every command accepts (DESIGN.md "Command contract", Global). */
export interface GlobalOptions {
  filename: string[];
  demo: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  output?: string;
  color: boolean;
  verbose: number;
  requestTimeout?: string;
}

export interface CommandContext {
  global: GlobalOptions;
  /** All option values of the command and the program, merged (commander's optsWithGlobals). */
  opts: Record<string, unknown>;
  /** True when the option was given on the command line (not a default). */
  given(option: string): boolean;
  /** Colour on: stdout is a TTY, --no-color not given, NO_COLOR unset. */
  color: boolean;
  /** stdout is a terminal (annotations, wrapping). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** Reads all of standard input (for `-f -`). Only sources call it. */
  readStdin(): Promise<string>;
  /** The current time: `SVCTRACE_NOW` (RFC 3339) when set, so ages are reproducible. */
  now: Date;
}

export interface CommandResult {
  stdout: string;
  /** Warnings and notes, already one per line, each ending in "\n". */
  stderr?: string;
  exitCode?: ExitCode;
}
