import { Hono, type Context } from "hono";
import { listAllApps, setAppStatus } from "../connect/apps";
import { PRODUCT_LABEL } from "../console/views";
import type { AppEnv } from "../env";
import { renderErrorPage } from "../pages/error";
import { Layout } from "../pages/layout";
import { pageSecurity } from "../pages/security";
import { pageUser, requirePageSession } from "../pages/session";

/** Staff moderation page: every partner app, suspend and reactivate. */
export const adminPages = new Hono<AppEnv>();

adminPages.use("/admin/*", pageSecurity);
adminPages.use("/admin/*", requirePageSession);
adminPages.use("/admin/*", async (c, next) => {
  if (pageUser(c).role !== "staff") return renderErrorPage(c, 403, "Staff only", "This page is for GellHub platform staff.");
  await next();
});

async function page(c: Context<AppEnv>) {
  const user = pageUser(c);
  const apps = await listAllApps(c.var.db);
  return c.html(
    <Layout title="Partner apps" user={user}>
      <h1>Partner apps</h1>
      <p class="muted">Every Developer Console app. A suspended app cannot start connect, exchange codes or verify links.</p>
      <div class="card" style="overflow-x:auto">
        <table aria-label="Partner apps">
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Owner</th>
              <th scope="col">Product</th>
              <th scope="col">Starts</th>
              <th scope="col">Registrations</th>
              <th scope="col">Logins</th>
              <th scope="col">Exchanges</th>
              <th scope="col">Verify calls</th>
              <th scope="col">Linked</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="muted">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {apps.length === 0 ? (
              <tr>
                <td colspan={11} class="muted">
                  No partner apps.
                </td>
              </tr>
            ) : (
              apps.map((a) => (
                <tr data-app-id={a.id}>
                  <td>
                    {a.name}
                    <br />
                    <code class="inline">{a.clientId}</code>
                  </td>
                  <td>{a.owner.email ?? a.owner.profileId}</td>
                  <td>{PRODUCT_LABEL[a.allowedProductTypes[0]!]}</td>
                  <td>{a.figures.starts}</td>
                  <td>{a.figures.registrations}</td>
                  <td>{a.figures.logins}</td>
                  <td>{a.figures.exchanges}</td>
                  <td>{a.figures.verifies}</td>
                  <td>{a.linkedProfiles}</td>
                  <td>
                    <span class={`pill ${a.status === "active" ? "ok" : "warn"}`}>{a.status}</span>
                  </td>
                  <td>
                    <form method="post" action={`/admin/apps/${a.id}/status`}>
                      <input type="hidden" name="status" value={a.status === "active" ? "suspended" : "active"} />
                      <button class={`btn small ${a.status === "active" ? "danger" : "secondary"}`} type="submit" aria-label={`${a.status === "active" ? "Suspend" : "Reactivate"} ${a.name}`}>
                        {a.status === "active" ? "Suspend" : "Reactivate"}
                      </button>
                    </form>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Layout>,
  );
}

adminPages.get("/admin/apps", page);

adminPages.post("/admin/apps/:id/status", async (c) => {
  const form = await c.req.parseBody();
  const status = form.status === "suspended" ? "suspended" : form.status === "active" ? "active" : null;
  if (!status) return renderErrorPage(c, 400, "Bad request", "status must be active or suspended");
  await setAppStatus(c.var.db, c.req.param("id"), status, Date.now());
  return c.redirect("/admin/apps", 303);
});
