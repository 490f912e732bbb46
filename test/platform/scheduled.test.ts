import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { api, registerAccount } from "../factories";
import { creditsOf, registerMessaging, setCredits } from "../messaging/helpers";

describe("the cron", () => {
  it("runs every job even when one fails, then reports the failure", async () => {
    // An upload intent that will have expired: the intent sweep has an object to delete.
    const drive = await registerAccount("drive");
    expect((await api("POST", "/api/drive/upload/presign", drive, { fileName: "left.bin", sizeBytes: 6 })).status).toBe(200);
    const a = await registerMessaging();
    await setCredits(a.profileId, 7);
    // A bucket whose every call fails: the sweep fails; the credit top-up that runs after it still happens.
    const broken = new Proxy({}, { get: () => () => Promise.reject(new Error("R2 is down")) }) as unknown as R2Bucket;
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const later = Date.UTC(2027, 5, 15);
    const run = worker.scheduled({ scheduledTime: later, cron: "*/15 * * * *", noRetry() {} } as ScheduledController, { ...env, FILES: broken });
    await expect(run).rejects.toThrow(/scheduled job\(s\) failed/);
    expect(await creditsOf(a.profileId)).toBe(100);
    expect(logged.mock.calls.some(([line]) => /"job":"upload intents".*R2 is down/.test(String(line)))).toBe(true);
    logged.mockRestore();
  });
});
