import { Hono, type Context } from "hono";
import { z } from "zod";
import { listAllApps, setAppStatus } from "../connect/apps";
import type { AppEnv } from "../env";
import { renderErrorPage } from "../ui/error";
import { pageId, readForm } from "../ui/form";
import { Layout } from "../ui/layout";
import { pageSecurity } from "../ui/security";
import { pageUser, requirePageSession } from "../ui/session";
import { DataTable } from "../ui/table";
import { PRODUCT_LABEL } from "../ui/views";

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
        <DataTable
          label="Partner apps"
          columns={["App", "Owner", "Product", "Starts", "Registrations", "Logins", "Exchanges", "Verify calls", "Linked", "Status", <span class="muted">Action</span>]}
          empty="No partner apps."
          rows={apps.map((a) => (
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
          ))}
        />
      </div>
    </Layout>,
  );
}

adminPages.get("/admin/apps", page);

const StatusField = z.enum(["active", "suspended"]);

adminPages.post("/admin/apps/:id/status", async (c) => {
  const status = StatusField.safeParse((await readForm(c)).status);
  if (!status.success) return renderErrorPage(c, 400, "Bad request", "status must be active or suspended");
  await setAppStatus(c.var.db, pageId(c.req.param("id"), "app"), status.data, Date.now());
  return c.redirect("/admin/apps", 303);
});
