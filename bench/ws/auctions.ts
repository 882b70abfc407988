// Setup over the public HTTP API, as a seller would: create and open each auction (POST /api/v1/auctions
// then /open, each with an Idempotency-Key), a few requests in flight at a time.
export interface AuctionTerms {
  startPrice: number;
  bidUnit: number;
  /** Long enough that nothing closes, or enters its soft-close window, during the bench. */
  durationMs: number;
}

export async function createAuctions(base: string, sellerToken: string, n: number, terms: AuctionTerms, concurrency = 64): Promise<string[]> {
  const ids: string[] = new Array(n);
  const headers = (key: string) => ({ authorization: `Bearer ${sellerToken}`, 'idempotency-key': key, 'content-type': 'application/json' });
  const now = Date.now();
  const body = JSON.stringify({ productId: 'bench', startPrice: terms.startPrice, bidUnit: terms.bidUnit, startsAt: now, endsAt: now + terms.durationMs });
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const created = await fetch(`${base}/api/v1/auctions`, { method: 'POST', headers: headers(`bench-create-${i}`), body, signal: AbortSignal.timeout(10_000) });
      const c = (await created.json()) as { id?: string };
      if (created.status !== 201 || c.id === undefined) throw new Error(`create ${i}: ${created.status} ${JSON.stringify(c)}`);
      const opened = await fetch(`${base}/api/v1/auctions/${c.id}/open`, { method: 'POST', headers: headers(`bench-open-${i}`), signal: AbortSignal.timeout(10_000) });
      if (opened.status !== 200) throw new Error(`open ${i}: ${opened.status} ${await opened.text()}`);
      await opened.arrayBuffer();
      ids[i] = c.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}
