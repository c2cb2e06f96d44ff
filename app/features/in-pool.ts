/**
 * Runs `work` over items, at most `limit` at a time, in order of start; rejects with the
 * first failure (lanes already running finish their current item). Works in the browser
 * and in Node.
 */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lane = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, lane));
}
