/** A literal string as a regular-expression source ("5-FU" stays "5-FU", "IL(6)" becomes "IL\(6\)"). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
