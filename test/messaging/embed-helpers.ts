import { api, call, ok } from "../factories";
import { addSource, createAgent, OPENING_HOURS, registerMessaging } from "./helpers";

/** The allowed merchant site of most widget tests. */
export const SHOP = "https://shop.com";

/** A fresh account with an agent that knows the opening hours and an enabled widget for `hosts`. */
export async function enabledEmbed(hosts = ["shop.com"]) {
  const a = await registerMessaging();
  const agent = await createAgent(a);
  await addSource(a, agent.id, OPENING_HOURS);
  const e = await ok<{ embedPublicId: string }>(api("PUT", "/api/messaging/v1/embed", a, { embedEnabled: true, embedAllowedOrigins: hosts }));
  return { a, agent, embedId: e.embedPublicId };
}

/** A random visitor id, the loader's shape. */
export const visitor = () => `v_${crypto.randomUUID().replace(/-/g, "")}`;

/** One widget turn from `headers`' site (the allowed shop by default). */
export function send(embedId: string, visitorId: string, content: string, headers: Record<string, string> = { origin: SHOP }, extra: Record<string, unknown> = {}) {
  return call("/api/messaging/embed/v1/chat", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ embedId, visitorId, messages: [{ role: "user", content }], ...extra }),
  });
}

export const config = (embedId: string, headers: Record<string, string> = { origin: SHOP }) => call(`/api/messaging/embed/v1/config?embedId=${embedId}`, { headers });

export const history = (embedId: string, v: string, headers: Record<string, string> = { origin: SHOP }) =>
  call(`/api/messaging/embed/v1/history?embedId=${embedId}&visitorId=${v}`, { headers });

export const errorOf = async (r: Response) => ((await r.json()) as { error: string }).error;
