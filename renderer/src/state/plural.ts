/** "1 strategy", "2 strategies", "0 strategies". */
export function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
