/** GitHub's legacy global node ids: base64 of `<len>:<Type><id>` (e.g. `MDQ6VXNlcjE=`). */
export function nodeId(type: string, id: number): string {
  const body = `${type}${id}`;
  return Buffer.from(`0${String(type.length).padStart(2, "0")}:${body}`).toString("base64");
}
