import { z } from "@hono/zod-openapi";
import { withFields } from "../platform/openapi";
import { userText } from "../platform/text";
import { ProductTypeSchema } from "../connect/schemas";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why a redirect URI is refused, or null when it is acceptable (RFC 9700 §2.1 / §4.1). */
export function redirectUriProblem(s: string): string | null {
  if (s.includes("*")) return "wildcards are not allowed";
  if (s.includes("#")) return "fragments are not allowed";
  if (/\s/.test(s)) return "whitespace is not allowed";
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return "must be an absolute URL";
  }
  if (u.username || u.password) return "userinfo is not allowed";
  if (u.protocol === "https:") return null;
  if (u.protocol === "http:" && LOCAL_HOSTS.has(u.hostname)) return null;
  return "must use https (http only for localhost)";
}

export const RedirectUri = z
  .string()
  .min(1)
  .max(2000)
  .superRefine((s, ctx) => {
    const problem = redirectUriProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const Name = userText({ min: 1, max: 100 });
const RedirectUris = z.array(RedirectUri).min(1).max(10);

export const CreateAppBody = z
  .object({
    name: Name,
    allowedProductTypes: z.tuple([ProductTypeSchema]).openapi({ description: "Exactly one product line" }),
    redirectUris: RedirectUris,
  })
  .strict()
  .openapi("CreatePartnerAppRequest");

export const UpdateAppBody = z
  .object({ name: Name.optional(), redirectUris: RedirectUris.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.redirectUris !== undefined, "send name or redirectUris")
  .openapi("UpdatePartnerAppRequest");

export const AppSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    allowedProductTypes: z.array(ProductTypeSchema),
    redirectUris: z.array(z.string()),
    status: z.enum(["active", "suspended"]),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("PartnerApp");

export const AppWithSecretSchema = withFields(AppSchema, {
  clientSecret: z.string().openapi({ description: "Shown once; GellHub stores only its hash" }),
}).openapi("PartnerAppWithSecret");

export const FiguresSchema = z.object({
  starts: z.number().int(),
  registrations: z.number().int(),
  logins: z.number().int(),
  finalizations: z.number().int(),
  exchanges: z.number().int(),
  verifies: z.number().int(),
});

export const AnalyticsSchema = z
  .object({ appId: z.string(), days: z.array(withFields(FiguresSchema, { date: z.string() })), totals: FiguresSchema })
  .openapi("ConnectAnalytics");

export const AnalyticsQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(30) });

export const AppIdParam = z.object({ id: z.string().min(1).max(64) });
