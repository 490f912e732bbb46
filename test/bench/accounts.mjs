// Shared by the benchmarks: a fresh account on the bench server, and a status check.

/** Registers a fresh account (`accountType` studio, drive or messaging); returns the register answer (keys, ids). */
export async function registerBench(ctx, accountType, { displayName = "Bench", ...extra } = {}) {
  const email = `bench-${accountType}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await ctx.fetch("/api/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "bench password 1", displayName, accountType, ...extra }),
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The answer's JSON (null for 204), or a throw naming the step when the status is not the expected one. */
export async function must(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}
