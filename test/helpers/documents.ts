/** The attack document: about 24 KB of distinct unknown fields, which fail validation. */
export function refusedDocument(i: number, fields = 2400): string {
  return `{ ${Array.from({ length: fields }, (_, j) => `u${i}_${j}`).join(' ')} }`;
}
