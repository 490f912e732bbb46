import type { Context } from "hono";
import { Layout } from "./layout";

/** Error page for dashboard routes (API routes get JSON instead). */
export function renderErrorPage(c: Context, status: number, title: string, message: string) {
  return c.html(
    <Layout title={title}>
      <div class="card">
        <h1>{title}</h1>
        <p class="muted">{message}</p>
        <p>
          <a href="/">Back to GellHub</a>
        </p>
      </div>
    </Layout>,
    status as 404,
  );
}
