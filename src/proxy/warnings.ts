// Warnings are data: the renderer returns them and the command prints one line each on stderr.

export interface ProxyWarning {
  /** "ns/name" of the service concerned, when there is one. */
  service?: string;
  message: string;
}

export type Warn = (w: ProxyWarning) => void;

export function warningLine(w: ProxyWarning): string {
  return w.service ? `warning: service ${w.service}: ${w.message}` : `warning: ${w.message}`;
}

/** Collects warnings once each (the IPv4 and IPv6 passes may find the same problem). */
export function warningCollector(): { warn: Warn; list: ProxyWarning[] } {
  const seen = new Set<string>();
  const list: ProxyWarning[] = [];
  return {
    list,
    warn(w) {
      const key = warningLine(w);
      if (seen.has(key)) return;
      seen.add(key);
      list.push(w);
    },
  };
}
