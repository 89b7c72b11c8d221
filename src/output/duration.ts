// Ages as kubectl prints them: apimachinery's duration.HumanDuration (about two or three
// significant figures) and printers.go's translateTimestampSince.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's integer division of a duration: truncates toward zero. */
const div = (ms: number, unit: number) => Math.trunc(ms / unit);

/** duration.HumanDuration of a duration in milliseconds: "119s", "2m36s", "53m", "23h", "7d", "2y70d". */
export function humanDuration(ms: number): string {
  // Up to 2 seconds in the future counts as now (clock skew between machines).
  const seconds = div(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = div(ms, MINUTE);
  if (minutes < 10) {
    const s = div(ms, SECOND) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = div(ms, HOUR);
  if (hours < 8) {
    const m = div(ms, MINUTE) % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${div(hours, 24)}d` : `${div(hours, 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${div(hours, 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = div(hours, 24) % 365;
    return dy === 0 ? `${div(hours, 24 * 365)}y` : `${div(hours, 24 * 365)}y${dy}d`;
  }
  return `${div(hours, 24 * 365)}y`;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when absent or unreadable. */
export function parseTimestamp(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? undefined : t;
}

/** translateTimestampSince: the age of `timestamp` at `now`, "<unknown>" when there is none. */
export function translateTimestampSince(timestamp: string | null | undefined, now: Date): string {
  const t = parseTimestamp(timestamp);
  if (t === undefined) return '<unknown>';
  return humanDuration(now.getTime() - t);
}
