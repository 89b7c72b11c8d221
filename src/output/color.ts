// Colour, only where it helps (headers, ready / not ready) and only when the command
// context allows it (a terminal, no --no-color, no NO_COLOR). Without colour every
// function returns its text unchanged, so piped output is plain kubectl text.
import { Chalk } from 'chalk';

export interface Palette {
  enabled: boolean;
  header(text: string): string;
  good(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
}

const plain = (text: string) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { enabled, header: plain, good: plain, bad: plain, warn: plain, dim: plain };
  const c = new Chalk({ level: 1 });
  return {
    enabled,
    header: (t) => c.bold(t),
    good: (t) => c.green(t),
    bad: (t) => c.red(t),
    warn: (t) => c.yellow(t),
    dim: (t) => c.dim(t),
  };
}
