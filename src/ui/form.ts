import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { ApiError, notFound } from "../platform/errors";

/** A submitted dashboard form: each field unknown (text, a file, or missing) until parsed. */
export type FormBody = Record<string, unknown>;

/** A failed form action: the text the page shows and the status it answers with. */
export interface FormFailure {
  message: string;
  status: ContentfulStatusCode;
  error: unknown;
}

/** A form field as text: the submitted string, or "" when it is missing or a file. */
export const formText = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * The text a page shows for a failed form: the first zod issue as `field: message`, or an
 * ApiError's detail (its code when the detail is structured). Anything else is rethrown, so
 * unexpected failures still reach the error handler.
 */
export function formError(err: unknown): string {
  if (err instanceof z.ZodError) {
    const i = err.issues[0]!;
    return `${i.path.join(".") || "form"}: ${i.message}`;
  }
  if (err instanceof ApiError) return typeof err.detail === "string" ? err.detail : err.code;
  throw err;
}

/** The status of a failed form: an ApiError's own, else 400 (input zod refused). */
export const failureStatus = (err: unknown): ContentfulStatusCode => (err instanceof ApiError ? err.status : 400);

/**
 * The submitted form. A body that cannot be read as a form (a malformed multipart body, a wrong
 * boundary) is the client's fault: 400 `invalid_request`, which the page shows with the form.
 */
export async function readForm(c: Context): Promise<FormBody> {
  try {
    return await c.req.parseBody();
  } catch {
    throw new ApiError("invalid_request", "The form could not be read; please submit it again from the page.");
  }
}

/**
 * Runs a dashboard form action: parses the body and returns what `run` answers (usually a 303
 * redirect). When `run` throws a zod error or an ApiError, `onError` gets its text (`message`,
 * formError by default) and status (the ApiError's, else 400) plus the submitted form, to
 * re-render the page; any other error is rethrown to the app's error handler.
 */
export async function runFormAction(
  c: Context,
  opts: {
    run: (form: FormBody) => Promise<Response>;
    onError: (failure: FormFailure, form: FormBody) => Response | Promise<Response>;
    message?: (err: unknown) => string;
  },
): Promise<Response> {
  let form: FormBody = {};
  try {
    form = await readForm(c);
    return await opts.run(form);
  } catch (error) {
    return opts.onError({ message: (opts.message ?? formError)(error), status: failureStatus(error), error }, form);
  }
}

/** Ids in dashboard URLs and forms: short opaque strings (`app_…`, `fld_…`, `key_…`). */
export const PageId = z.string().min(1).max(64);

/** Route params `{ id }` of a dashboard form action; zod's failure re-renders the page with 400. */
export const IdParam = z.object({ id: PageId });

/**
 * A path id parsed with PageId. A value it refuses names nothing, so it fails as an unknown id
 * does: ApiError not_found `${what} not found`, the page's 404.
 */
export function pageId(value: unknown, what: string): string {
  const id = PageId.safeParse(value);
  if (!id.success) throw notFound(what);
  return id.data;
}
