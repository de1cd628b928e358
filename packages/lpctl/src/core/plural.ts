/** "1 target", "2 targets", "1 patch", "2 patches": counts in messages people read. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
