// printers.go's listWithMoreString: the first `max` items joined by ",", then
// " + N more..." for the rest; "<unset>" when the list is empty.

export function listWithMore(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}
