/** A strict reader of the Prometheus text format (version 0.0.4): metric names, or an error naming the bad line. */
export function metricNames(text: string): Set<string> {
  const names = new Set<string>();
  // prom-client writes NaN as "Nan" (an event-loop gauge before its first sample); Prometheus reads
  // NaN in any case (Go's ParseFloat), so that is a valid sample.
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|NaN|Nan|[+-]Inf)( -?\d+)?$/;
  const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const help = comment.exec(line);
    if (help) {
      names.add(help[2]);
      continue;
    }
    if (line.startsWith("#")) throw new Error(`bad comment line: ${line}`);
    const match = sample.exec(line);
    if (!match) throw new Error(`bad sample line: ${line}`);
    names.add(match[1].replace(/_(bucket|sum|count)$/, ""));
  }
  return names;
}
