// A SourceRequest for tests: no files, no demo, no stdin; the notes a source writes are kept.
import type { SourceRequest } from '../../src/cluster/source.js';

export function sourceRequest(over: Partial<SourceRequest> = {}): SourceRequest & { notes: string[] } {
  const notes: string[] = [];
  return {
    filenames: [],
    demo: false,
    allNamespaces: false,
    requestTimeoutMs: 30_000,
    verbose: 0,
    env: {},
    readStdin: async () => '',
    warn: (line) => notes.push(line),
    notes,
    ...over,
  };
}
