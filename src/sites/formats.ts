/**
 * Display helpers shared by the adapters (not an adapter itself). A site shows a normalised code in groups,
 * e.g. 8 digits as '1234 5678' or 10 hex characters as '4283f-efc63'.
 */
export function groupedDisplay(
  sizes: readonly number[],
  separator: string,
  letterCase: 'keep' | 'upper' | 'lower' = 'keep',
): (normalised: string) => string {
  return (normalised) => {
    const cased =
      letterCase === 'upper'
        ? normalised.toUpperCase()
        : letterCase === 'lower'
          ? normalised.toLowerCase()
          : normalised;
    const total = sizes.reduce((sum, size) => sum + size, 0);
    // A code of another length is shown as it is rather than cut into misleading groups.
    if (cased.length !== total) return cased;
    const groups: string[] = [];
    let start = 0;
    for (const size of sizes) {
      groups.push(cased.slice(start, start + size));
      start += size;
    }
    return groups.join(separator);
  };
}

export const compactDisplay = (normalised: string): string => normalised;
