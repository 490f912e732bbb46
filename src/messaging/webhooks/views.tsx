import type { FC } from "hono/jsx";
import { formText, type FormBody } from "../../ui/form";
import { DataTable } from "../../ui/table";
import { ErrorAlert } from "../../ui/views";
import type { HandoffView } from "../handoff-config";
import type { SkillCallResult, SkillCallView } from "../skills";
import type { SkillDef, SkillsView } from "../skills-config";
import type { DeliveryView } from "./deliveries";

export const SKILLS_PATH = "/dashboard/messaging/skills";
export const HANDOFF_PATH = "/dashboard/messaging/handoff";

const CSS = `
textarea{font:13px/1.5 ui-monospace,monospace;padding:9px 11px;border:1px solid #cfd3df;border-radius:8px;min-height:110px;width:100%}
form.stack.wide{max-width:720px}td form{display:inline-flex;margin:0}.pill.err{background:var(--errbg);color:var(--err)}
details summary{cursor:pointer}details table{margin:6px 0 4px;background:#fafbff}pre.json{background:#fafbff;border:1px solid var(--line);border-radius:8px;padding:10px;overflow:auto;font-size:12px}
.sub{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 12px}.sub a[aria-current]{font-weight:700}
`;

const time = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 19) : "—");

/** The two integration pages' shared header: title, and links back and across. */
const Header: FC<{ title: string; current: "skills" | "handoff" }> = ({ title, current }) => (
  <>
    <style dangerouslySetInnerHTML={{ __html: CSS }} />
    <p class="sub">
      <a href="/dashboard/messaging">← Messaging</a>
      <a href={SKILLS_PATH} aria-current={current === "skills" ? "page" : undefined}>
        Dynamic skills
      </a>
      <a href={HANDOFF_PATH} aria-current={current === "handoff" ? "page" : undefined}>
        Human handoff
      </a>
    </p>
    <h1>{title}</h1>
  </>
);

/** The secret field: write-only; it says whether one is stored and offers to remove it. */
const SecretField: FC<{ name: string; isSet: boolean }> = ({ name, isSet }) => (
  <>
    <label>
      Signing secret (HMAC-SHA256; write-only){" "}
      <input name={name} type="password" autocomplete="new-password" maxlength={256} placeholder={isSet ? "A secret is set: leave empty to keep it" : "Optional, at least 8 characters"} />
    </label>
    {isSet ? (
      <label>
        <input type="checkbox" name={`${name}Remove`} value="on" /> Remove the stored secret
      </label>
    ) : null}
  </>
);

/** The secret as an update: a typed value replaces, the remove box clears, nothing keeps it. */
export function secretOfForm(form: FormBody, name: string): string | null | undefined {
  if (form[`${name}Remove`] === "on") return null;
  const typed = formText(form[name]);
  return typed === "" ? undefined : typed;
}

// ---- Skills ----

/** Skills as the textarea shows them: one per line, `key | Label | keyword, keyword phrase`. */
export const skillsToText = (skills: SkillDef[]) => skills.map((s) => `${s.key} | ${s.label} | ${s.keywords.join(", ")}`).join("\n");

/** The textarea back into skills (the service's zod schema validates them). */
export const skillsOfText = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [key = "", label = "", keywords = ""] = line.split("|").map((p) => p.trim());
      return { key, label, keywords: keywords.split(",").map((k) => k.trim()).filter(Boolean) };
    });

export interface SkillsFormValues {
  enabled: boolean;
  url: string;
  skills: string;
}

export const skillsValuesOf = (v: SkillsView): SkillsFormValues => ({ enabled: v.skillsEnabled, url: v.skillsWebhookUrl ?? "", skills: skillsToText(v.skills) });
export const skillsValuesOfForm = (f: FormBody): SkillsFormValues => ({ enabled: f.skillsEnabled === "on", url: formText(f.skillsWebhookUrl), skills: formText(f.skills) });

export interface SkillsPageProps {
  config: SkillsView;
  values: SkillsFormValues;
  calls: SkillCallView[];
  error?: string | null;
  saved?: boolean;
  test?: { skill: string; message: string; result: SkillCallResult } | null;
}

export const SkillsPage: FC<SkillsPageProps> = (p) => (
  <>
    <Header title="Dynamic skills" current="skills" />
    <p class="muted">
      When a visitor's message contains one of a skill's keywords, GellHub POSTs the conversation to your webhook and shows its answer (a slot list, product cards,
      buttons or a booking frame) in the chat. Skill answers cost 0 credits; when your webhook fails, the bot answers as usual.
    </p>
    <ErrorAlert message={p.error} />
    {p.saved ? (
      <div class="alert" role="status" style="background:#ccfbf1;color:var(--ok)">
        Saved.
      </div>
    ) : null}
    <section class="card" aria-label="Skills settings">
      <form method="post" action={SKILLS_PATH} class="stack wide">
        <label>
          <input type="checkbox" name="skillsEnabled" value="on" checked={p.values.enabled} /> Skills enabled
        </label>
        <label>
          Webhook URL (https) <input name="skillsWebhookUrl" type="url" maxlength={2000} value={p.values.url} placeholder="https://yourstore.com/api/gellhub/skills" />
        </label>
        <SecretField name="skillsWebhookSecret" isSet={p.config.skillsWebhookSecretSet} />
        <label>
          Skills, one per line: <code class="inline">key | Label | keyword, keyword phrase</code>
          <textarea name="skills" placeholder="booking | Booking | book, appointment, schedule">
            {p.values.skills}
          </textarea>
        </label>
        <button class="btn" type="submit">
          Save skills
        </button>
      </form>
    </section>

    <section class="card" aria-label="Try a skill" style="margin-top:16px">
      <h2 style="margin-top:0">Try a skill</h2>
      <form method="post" action={`${SKILLS_PATH}/test`} class="row">
        <select name="skill" aria-label="Skill">
          {p.config.skills.map((s) => (
            <option value={s.key} selected={p.test?.skill === s.key}>
              {s.label} ({s.key})
            </option>
          ))}
        </select>
        <input name="message" aria-label="Visitor message" maxlength={500} value={p.test?.message ?? "What times are available tomorrow?"} style="flex:1;min-width:240px" />
        <button class="btn secondary" type="submit" disabled={p.config.skills.length === 0 || !p.config.skillsWebhookUrl}>
          Send a signed test call
        </button>
      </form>
      {p.test ? (
        <div data-testid="skill-test-result" style="margin-top:10px">
          {p.test.result.ok ? (
            <>
              <span class="pill ok">valid answer</span>
              <pre class="json">{JSON.stringify({ message: p.test.result.message, ui: p.test.result.ui }, null, 2)}</pre>
            </>
          ) : (
            <span class="pill err">failed: {p.test.result.reason}</span>
          )}
        </div>
      ) : null}
    </section>

    <h2>Recent skill calls</h2>
    <DataTable
      label="Skill calls"
      columns={["Time (UTC)", "Skill", "Result", "HTTP", "Duration", "Conversation", "Error"]}
      empty="No skill calls yet."
      rows={p.calls.map((c) => (
        <tr data-call-outcome={c.outcome}>
          <td>{time(c.createdAt)}</td>
          <td>{c.skill}</td>
          <td>{c.outcome === "ok" ? <span class="pill ok">ok</span> : <span class="pill err">{c.outcome.replace(/_/g, " ")}</span>}</td>
          <td>{c.httpStatus ?? "—"}</td>
          <td>{c.durationMs} ms</td>
          <td class="muted">{c.conversationRef}</td>
          <td>{c.error ?? ""}</td>
        </tr>
      ))}
    />
  </>
);

// ---- Handoff ----

export interface HandoffPageProps {
  config: HandoffView;
  url: string;
  deliveries: DeliveryView[];
  filter?: string;
  nextCursor: string | null;
  error?: string | null;
  notice?: string | null;
}

const STATUS_PILL: Record<DeliveryView["status"], string> = { pending: "", retrying: "warn", delivered: "ok", failed: "err", dead: "err", disabled: "err" };

const Attempts: FC<{ d: DeliveryView }> = ({ d }) => (
  <details>
    <summary>
      {d.attempts.length} attempt{d.attempts.length === 1 ? "" : "s"}
    </summary>
    <DataTable
      label={`Attempts of ${d.id}`}
      columns={["#", "Time (UTC)", "HTTP", "Duration", "Outcome", "Next try", "Error"]}
      empty="Not attempted yet."
      rows={d.attempts.map((a) => (
        <tr data-attempt={a.attempt}>
          <td>{a.attempt}</td>
          <td>{time(a.startedAt)}</td>
          <td>{a.httpStatus ?? "—"}</td>
          <td>{a.durationMs} ms</td>
          <td>{a.outcome}</td>
          <td>{a.retryInSeconds === null ? "" : `in ${a.retryInSeconds} s`}</td>
          <td>{a.error ?? ""}</td>
        </tr>
      ))}
    />
  </details>
);

const FILTERS = ["", "pending", "retrying", "delivered", "failed", "dead", "disabled"] as const;

export const HandoffPage: FC<HandoffPageProps> = (p) => (
  <>
    <Header title="Human handoff" current="handoff" />
    <p class="muted">
      When a visitor asks for a person and the agent has human handoff on, GellHub POSTs a signed <code class="inline">handoff.requested</code> event to your endpoint,
      retrying with backoff until it answers 2xx. Every attempt is listed below.
    </p>
    <ErrorAlert message={p.error} />
    {p.notice ? (
      <div class="alert" role="status" style="background:#ccfbf1;color:var(--ok)">
        {p.notice}
      </div>
    ) : null}
    {p.config.handoffWebhookDisabled ? (
      <div class="alert error" role="alert" data-testid="handoff-disabled">
        Your endpoint answered 410 Gone at {time(p.config.handoffWebhookDisabledAt)}, so deliveries are paused. Save the webhook again to re-enable it.
      </div>
    ) : null}
    <section class="card" aria-label="Handoff webhook">
      <form method="post" action={HANDOFF_PATH} class="stack wide">
        <label>
          Webhook URL (https) <input name="handoffWebhookUrl" type="url" maxlength={2000} value={p.url} placeholder="https://your-saas.com/api/gellhub/handoff" />
        </label>
        <SecretField name="handoffWebhookSecret" isSet={p.config.handoffWebhookSecretSet} />
        <div class="row">
          <button class="btn" type="submit">
            Save webhook
          </button>
        </div>
      </form>
      <form method="post" action={`${HANDOFF_PATH}/test`} style="margin-top:10px">
        <button class="btn secondary" type="submit" disabled={!p.config.handoffWebhookUrl}>
          Send a test event
        </button>
      </form>
    </section>

    <h2>Deliveries</h2>
    <p class="sub" aria-label="Filter deliveries">
      {FILTERS.map((f) => (
        <a href={f ? `${HANDOFF_PATH}?status=${f}` : HANDOFF_PATH} aria-current={(p.filter ?? "") === f ? "page" : undefined}>
          {f || "all"}
        </a>
      ))}
    </p>
    <DataTable
      label="Deliveries"
      columns={["Created (UTC)", "Event", "Status", "Attempts", "Last error", ""]}
      empty="No deliveries yet."
      rows={p.deliveries.map((d) => (
        <tr data-delivery-id={d.id} data-status={d.status}>
          <td>
            {time(d.createdAt)}
            <div class="muted" style="font-size:12px">
              {d.id}
            </div>
          </td>
          <td>
            {d.event}
            <div class="muted" style="font-size:12px">
              {String(d.payload.conversationRef ?? "")}
            </div>
          </td>
          <td>
            <span class={`pill ${STATUS_PILL[d.status]}`}>{d.status}</span>
            {d.nextAttemptAt ? <div class="muted">next try {time(d.nextAttemptAt)}</div> : null}
          </td>
          <td>
            <Attempts d={d} />
          </td>
          <td>{d.lastError ?? ""}</td>
          <td>
            {d.status === "pending" || d.status === "retrying" ? null : (
              <form method="post" action={`${HANDOFF_PATH}/deliveries/${d.id}/replay`}>
                <button class="btn secondary small" type="submit">
                  Replay
                </button>
              </form>
            )}
          </td>
        </tr>
      ))}
    />
    {p.nextCursor ? (
      <p>
        <a class="btn secondary small" href={`${HANDOFF_PATH}?${new URLSearchParams({ ...(p.filter ? { status: p.filter } : {}), cursor: p.nextCursor })}`}>
          Older deliveries
        </a>
      </p>
    ) : null}
  </>
);
