import type { Context } from "hono";
import { Layout, type LayoutProps } from "./layout";

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

/** 404 page of a product's dashboard page when the signed-in account has not enabled that product. */
export function renderNotEnabledPage(c: Context, user: LayoutProps["user"], product: string) {
  return c.html(
    <Layout title={product} user={user}>
      <h1>{product}</h1>
      <p class="muted">{product} is not enabled on this account. Enable it from the dashboard first.</p>
      <a class="btn" href="/dashboard">
        Back to dashboard
      </a>
    </Layout>,
    404,
  );
}
