// Every failure svctrace expects is one of these classes. Stages throw them; only
// src/cli/main.ts turns them into one stderr line and an exit code (DESIGN.md):
//   0 done, 1 findings (check, rules --diff), 2 usage or input error,
//   3 cluster unreachable or access denied, 4 internal error (a bug: please report it).

export const EXIT = {
  OK: 0,
  FINDINGS: 1,
  USAGE: 2,
  CLUSTER: 3,
  INTERNAL: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class: a message for the user (one line) and the exit code it maps to. */
export class SvctraceError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A bad flag, argument or combination of them. Printed as `error: <message>`. */
export class UsageError extends SvctraceError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/** kubectl's error for a resource type name no resource has (for svctrace: none it reads). */
export class UnknownResourceType extends UsageError {
  constructor(readonly typed: string) {
    super(`the server doesn't have a resource type "${typed}"`);
  }
}

/** Input that cannot be used: a malformed file, an unparsable dump, an invalid object. */
export class InputError extends SvctraceError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/**
 * An object that does not exist. The message is kubectl's, e.g.
 * `Error from server (NotFound): services "x" not found`, printed as is.
 */
export class NotFoundError extends SvctraceError {
  constructor(resource: string, name: string) {
    super(`Error from server (NotFound): ${resource} "${name}" not found`, EXIT.USAGE);
  }
}

/** The cluster could not be reached, or refused us (TLS, 401, 403, timeout). */
export class ClusterError extends SvctraceError {
  constructor(message: string) {
    super(message, EXIT.CLUSTER);
  }
}

/** Formats any error as the single line main prints on stderr. */
export function errorLine(err: unknown): string {
  if (err instanceof NotFoundError) return err.message;
  if (err instanceof SvctraceError) return `error: ${err.message}`;
  const msg = err instanceof Error ? err.message : String(err);
  return `error: internal: ${firstLine(msg)} (this is a bug in svctrace; please report it)`;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
