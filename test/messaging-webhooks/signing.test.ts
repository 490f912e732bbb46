import { describe, expect, it } from "vitest";
import { signWebhook } from "../../src/messaging/signing";
import { canSealSecrets, openSecret, sealSecret } from "../../src/platform/secret-box";

// Expected digests computed independently with Node: crypto.createHmac("sha256", secret).update(`${t}.${body}`).digest("hex").
const VECTORS: [secret: string, timestamp: string, body: string, hex: string][] = [
  ["your-hmac-secret", "1780000000", '{"version":1,"event":"handoff.requested","profileId":"clx123"}', "69c398f900d3179d17cf128d551f7352cd47daa0a07a79ef89f94c934bed9418"],
  ["whsec_test", "1700000000", "", "5967f3c560522fa40cf2876ebc3c3a08551dd6959aaade3b413460591895bdcc"],
  ["s3cr3t-ümlaut", "0", '{"message":"héllo 👋"}', "a20cd3f6c2acb978da8b58acf04f100ee2998f71e7059a53dec9927e9ea55076"],
];

describe("webhook signature", () => {
  it.each(VECTORS)("signs timestamp.body with %s as the published lowercase hex HMAC-SHA256", async (secret, ts, body, hex) => {
    expect(await signWebhook(secret, ts, body)).toBe(hex);
  });

  it("changes with the timestamp, the body and the secret", async () => {
    const [secret, ts, body, hex] = VECTORS[0]!;
    expect(await signWebhook(secret, String(Number(ts) + 1), body)).not.toBe(hex);
    expect(await signWebhook(secret, ts, body + " ")).not.toBe(hex);
    expect(await signWebhook(secret + "x", ts, body)).not.toBe(hex);
  });
});

describe("secret box", () => {
  const keyed = { WEBHOOK_SECRET_KEY: "k".repeat(40) };

  it("round-trips a secret, with a fresh IV each time, never in clear", async () => {
    const a = await sealSecret(keyed, "your-hmac-secret", "gellhub:handoff:p1");
    const b = await sealSecret(keyed, "your-hmac-secret", "gellhub:handoff:p1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("your-hmac-secret");
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(await openSecret(keyed, a, "gellhub:handoff:p1")).toBe("your-hmac-secret");
  });

  it("refuses to open under another context (tenant, purpose), another key, or when tampered", async () => {
    const sealed = await sealSecret(keyed, "s3cret-value", "gellhub:skills:p1");
    await expect(openSecret(keyed, sealed, "gellhub:skills:p2")).rejects.toThrow();
    await expect(openSecret(keyed, sealed, "gellhub:handoff:p1")).rejects.toThrow();
    await expect(openSecret({ WEBHOOK_SECRET_KEY: "z".repeat(40) }, sealed, "gellhub:skills:p1")).rejects.toThrow();
    const [v, iv, ct] = sealed.split(".");
    const flipped = `${v}.${iv}.${ct!.slice(0, -2)}${ct!.slice(-2) === "AA" ? "AB" : "AA"}`;
    await expect(openSecret(keyed, flipped, "gellhub:skills:p1")).rejects.toThrow();
  });

  it("opens secrets sealed with WEBHOOK_SECRET_KEY_PREVIOUS during a key rotation, and seals with the new key", async () => {
    const oldKey = { WEBHOOK_SECRET_KEY: "o".repeat(40) };
    const rotating = { WEBHOOK_SECRET_KEY: "n".repeat(40), WEBHOOK_SECRET_KEY_PREVIOUS: "o".repeat(40) };
    const sealedOld = await sealSecret(oldKey, "kept-across-rotation", "c");
    expect(await openSecret(rotating, sealedOld, "c")).toBe("kept-across-rotation");
    await expect(openSecret({ WEBHOOK_SECRET_KEY: "n".repeat(40) }, sealedOld, "c")).rejects.toThrow();
    const sealedNew = await sealSecret(rotating, "new", "c");
    expect(await openSecret({ WEBHOOK_SECRET_KEY: "n".repeat(40) }, sealedNew, "c")).toBe("new");
  });

  it("needs WEBHOOK_SECRET_KEY (>= 32 chars) outside local dev; local dev falls back to a dev key", async () => {
    expect(canSealSecrets({})).toBe(false);
    expect(canSealSecrets({ WEBHOOK_SECRET_KEY: "short" })).toBe(false);
    await expect(sealSecret({}, "x".repeat(10), "c")).rejects.toMatchObject({ code: "encryption_not_configured", status: 503 });
    expect(canSealSecrets({ LOCAL_DEV: "true" })).toBe(true);
    const sealed = await sealSecret({ LOCAL_DEV: "true" }, "dev-secret", "c");
    expect(await openSecret({ LOCAL_DEV: "true" }, sealed, "c")).toBe("dev-secret");
  });
});
