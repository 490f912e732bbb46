import type { FC } from "hono/jsx";
import { DataTable } from "../ui/table";
import { ErrorAlert } from "../ui/views";
import type { AgentRow } from "./agents";
import type { accountSummary } from "./account";
import type { listConversations, toConversation } from "./conversations";
import type { StoredMessage } from "./conversation.do";
import type { toSource } from "./knowledge";
import { WIDGET_CSS, WidgetSection } from "./widget-view";

export const BASE = "/dashboard/messaging";

export interface MessagingPageProps {
  account: Awaited<ReturnType<typeof accountSummary>>;
  agents: AgentRow[];
  selected: { agent: AgentRow; sources: ReturnType<typeof toSource>[] } | null;
  conversations: Awaited<ReturnType<typeof listConversations>>["conversations"];
  transcript: { conversation: ReturnType<typeof toConversation>; messages: StoredMessage[] } | null;
  newKey?: string | null;
  error?: string | null;
  nonce?: string;
  widget?: Parameters<typeof WidgetSection>[0] | null;
}

const CSS = `
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}.stat b{display:block;font-size:24px}
textarea{font:inherit;padding:9px 11px;border:1px solid #cfd3df;border-radius:8px;min-height:90px;width:100%}
form.stack.wide{max-width:640px}td form{display:inline-flex;margin:0}.actions{display:flex;gap:6px;flex-wrap:wrap}
.chat{border:1px solid var(--line);border-radius:8px;padding:12px;min-height:120px;max-height:360px;overflow:auto;background:#fafbff;display:grid;gap:8px}
.msg{padding:8px 12px;border-radius:10px;max-width:80%;white-space:pre-wrap}.msg.user{background:#eef2ff;justify-self:end}.msg.assistant{background:#fff;border:1px solid var(--line)}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
`;

/** The playground island: posts to the session route and renders the SSE deltas as they arrive. */
const PLAYGROUND_JS = `
(() => {
  const form = document.getElementById("playground"); if (!form) return;
  const log = document.getElementById("playground-log"), input = form.querySelector("textarea"), agent = form.querySelector("select"), status = document.getElementById("playground-status");
  let ref = "playground:" + crypto.randomUUID();
  const bubble = (role, text) => { const d = document.createElement("div"); d.className = "msg " + role; d.dataset.role = role; d.textContent = text; log.append(d); log.scrollTop = log.scrollHeight; return d; };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = input.value.trim(); if (!text) return;
    input.value = ""; bubble("user", text); const out = bubble("assistant", ""); status.textContent = "…";
    try {
      const res = await fetch(form.action, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ agentId: agent.value, conversationRef: ref, messages: [{ role: "user", content: text }] }) });
      if (!res.ok) { const err = await res.json().catch(() => ({})); out.textContent = err.detail || ("Error " + res.status); status.textContent = ""; return; }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader(); let buf = "";
      for (;;) {
        const { done, value } = await reader.read(); if (value) buf += value;
        let i; while ((i = buf.indexOf("\\n\\n")) >= 0) {
          const block = buf.slice(0, i); buf = buf.slice(i + 2);
          const ev = (block.match(/^event: (.*)$/m) || [])[1], data = JSON.parse((block.match(/^data: (.*)$/m) || [, "{}"])[1]);
          if (ev === "delta") out.textContent += data.content;
          else if (ev === "done") { out.textContent = data.content; status.textContent = data.creditsCharged + " credit charged"; out.dataset.done = "1"; }
          else if (ev === "error") { out.textContent = data.detail; status.textContent = ""; }
        }
        if (done) break;
      }
    } catch (err) { out.textContent = String(err); }
  });
  document.getElementById("playground-reset")?.addEventListener("click", () => { ref = "playground:" + crypto.randomUUID(); log.replaceChildren(); status.textContent = ""; });
})();
`;

const AgentForm: FC<{ agent?: AgentRow }> = ({ agent }) => (
  <>
    <label>
      Name <input name="name" required maxlength={80} value={agent?.name ?? ""} />
    </label>
    <label>
      Display name (what visitors see) <input name="botDisplayName" maxlength={80} value={agent?.botDisplayName ?? ""} />
    </label>
    <label>
      Role summary <input name="botRoleSummary" maxlength={300} value={agent?.botRoleSummary ?? ""} />
    </label>
    <label>
      Instructions <textarea name="systemInstructions">{agent?.systemInstructions ?? ""}</textarea>
    </label>
    <fieldset>
      <legend>Human handoff</legend>
      <label>
        <input type="checkbox" name="humanHandoffEnabled" value="on" checked={agent?.humanHandoffEnabled ?? false} /> Offer a person when the bot does not know
      </label>
      <label>
        Handoff link (https) <input name="humanHandoffUrl" type="url" value={agent?.humanHandoffUrl ?? ""} />
      </label>
      <label>
        Handoff message <input name="humanHandoffMessage" maxlength={500} value={agent?.humanHandoffMessage ?? ""} />
      </label>
    </fieldset>
  </>
);

const Knowledge: FC<{ agent: AgentRow; sources: ReturnType<typeof toSource>[] }> = ({ agent, sources }) => {
  const action = `${BASE}/agents/${agent.id}/sources`;
  return (
    <section class="card" aria-label="Knowledge">
      <h2>Knowledge of {agent.name}</h2>
      <DataTable
        label="Knowledge sources"
        columns={["Type", "Title", "Status", ""]}
        empty="No knowledge yet: add Q&A, text, a web page or a file below."
        rows={sources.map((s) => (
          <tr data-source-id={s.id}>
            <td>{s.type}</td>
            <td>{s.type === "qa" ? s.question : s.title}</td>
            <td>{s.status === "ready" ? <span class="pill ok">ready</span> : <span class="pill warn" title={s.failureReason ?? ""}>failed: {s.failureReason}</span>}</td>
            <td>
              <form method="post" action={`${action}/${s.id}/delete`}>
                <button class="btn danger small" type="submit">
                  Delete
                </button>
              </form>
            </td>
          </tr>
        ))}
      />
      <div class="two" style="margin-top:16px">
        <form class="stack" method="post" action={`${action}/qa`} aria-label="Add Q&A">
          <h3>Add Q&A</h3>
          <label>
            Question <input name="question" required maxlength={500} />
          </label>
          <label>
            Answer <textarea name="answer" required></textarea>
          </label>
          <button class="btn" type="submit">Add Q&A</button>
        </form>
        <form class="stack" method="post" action={`${action}/text`} aria-label="Add text">
          <h3>Add text</h3>
          <label>
            Title <input name="title" required maxlength={200} />
          </label>
          <label>
            Text <textarea name="content" required></textarea>
          </label>
          <button class="btn" type="submit">Add text</button>
        </form>
        <form class="stack" method="post" action={`${action}/url`} aria-label="Add web page">
          <h3>Add a web page</h3>
          <label>
            URL (https) <input name="url" type="url" required />
          </label>
          <button class="btn" type="submit">Fetch page</button>
        </form>
        <form class="stack" method="post" action={`${action}/file`} enctype="multipart/form-data" aria-label="Add file">
          <h3>Add a file</h3>
          <label>
            File (.txt, .md, .html, .csv) <input name="file" type="file" accept=".txt,.md,.html,.htm,.csv" required />
          </label>
          <button class="btn" type="submit">Upload</button>
        </form>
      </div>
    </section>
  );
};

/** The Messaging dashboard: credits, key, agents, knowledge, playground and conversations. */
export const MessagingPage: FC<MessagingPageProps> = (p) => (
  <>
    <style dangerouslySetInnerHTML={{ __html: CSS + WIDGET_CSS }} />
    <h1>Messaging</h1>
    <ErrorAlert message={p.error} />
    {p.newKey ? (
      <div class="alert secret" role="status">
        Your new Messaging API key. Copy it now: it is shown only once.
        <code data-testid="new-key">{p.newKey}</code>
      </div>
    ) : null}
    <section class="stats" aria-label="Usage">
      <div class="card stat">
        <span class="muted">Credits</span>
        <b data-testid="credits">{p.account.credits}</b>
      </div>
      <div class="card stat">
        <span class="muted">Messages in</span>
        <b>{p.account.inboundCount}</b>
      </div>
      <div class="card stat">
        <span class="muted">Messages out</span>
        <b>{p.account.outboundCount}</b>
      </div>
      <div class="card stat">
        <span class="muted">API key</span>
        <b style="font-size:15px">{p.account.apiKey ? `${p.account.apiKey.displayPrefix}…${p.account.apiKey.last4}` : "none"}</b>
        <form method="post" action={`${BASE}/key`}>
          <button class="btn secondary small" type="submit">
            {p.account.apiKey ? "Rotate key" : "Create key"}
          </button>
        </form>
      </div>
    </section>

    <h2>Agents</h2>
    <DataTable
      label="Agents"
      columns={["Name", "Display name", "Sources", "", ""]}
      empty="No agent yet: create the first one below (it becomes the default)."
      rows={p.agents.map((a) => (
        <tr data-agent-id={a.id}>
          <td>
            <a href={`${BASE}?agent=${a.id}`}>{a.name}</a> {a.isDefault ? <span class="pill">default</span> : null}
          </td>
          <td>{a.botDisplayName}</td>
          <td>{a.sourcesCount}</td>
          <td class="actions">
            {a.isDefault ? null : (
              <form method="post" action={`${BASE}/agents/${a.id}/default`}>
                <button class="btn secondary small" type="submit">
                  Make default
                </button>
              </form>
            )}
            <form method="post" action={`${BASE}/agents/${a.id}/delete`}>
              <button class="btn danger small" type="submit">
                Delete
              </button>
            </form>
          </td>
          <td></td>
        </tr>
      ))}
    />
    <div class="two" style="margin-top:16px">
      <form class="stack card" method="post" action={`${BASE}/agents`} aria-label="Create agent">
        <h3>New agent</h3>
        <AgentForm />
        <button class="btn" type="submit">
          Create agent
        </button>
      </form>
      {p.selected ? (
        <form class="stack card" method="post" action={`${BASE}/agents/${p.selected.agent.id}`} aria-label="Edit agent">
          <h3>Edit {p.selected.agent.name}</h3>
          <AgentForm agent={p.selected.agent} />
          <button class="btn" type="submit">
            Save
          </button>
        </form>
      ) : null}
    </div>
    {p.selected ? <Knowledge agent={p.selected.agent} sources={p.selected.sources} /> : null}

    <h2>Playground</h2>
    {p.agents.length ? (
      <section class="card" aria-label="Playground">
        <div id="playground-log" class="chat" aria-live="polite"></div>
        <form id="playground" class="stack wide" method="post" action={`${BASE}/playground`} style="margin-top:12px">
          <label>
            Agent
            <select name="agentId">
              {p.agents.map((a) => (
                <option value={a.id} selected={p.selected ? a.id === p.selected.agent.id : a.isDefault}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Message <textarea name="message" required style="min-height:60px"></textarea>
          </label>
          <div class="row">
            <button class="btn" type="submit">
              Send
            </button>
            <button class="btn secondary" type="button" id="playground-reset">
              New conversation
            </button>
            <span id="playground-status" class="muted"></span>
          </div>
        </form>
        <script nonce={p.nonce} dangerouslySetInnerHTML={{ __html: PLAYGROUND_JS }} />
      </section>
    ) : (
      <p class="muted">Create an agent to try it here.</p>
    )}

    {p.widget ? <WidgetSection {...p.widget} nonce={p.nonce} /> : null}

    <h2>Integrations</h2>
    <p class="row" aria-label="Integrations">
      <a class="btn secondary small" href={`${BASE}/skills`}>
        Dynamic skills
      </a>
      <a class="btn secondary small" href={`${BASE}/handoff`}>
        Human handoff webhook
      </a>
      <span class="muted">Your webhooks for live answers (bookings, products) and handoff requests, with their delivery log.</span>
    </p>

    <h2>Conversations</h2>
    <p>
      <a class="btn secondary small" href={`${BASE}/inbox`}>
        Open the inbox
      </a>{" "}
      <span class="muted">Handoff requests, staff replies, release and close.</span>
    </p>
    <DataTable
      label="Conversations"
      columns={["Last activity", "Channel", "Reference", "Messages", "Last message"]}
      empty="No conversations yet."
      rows={p.conversations.map((c) => (
        <tr data-conversation-id={c.id}>
          <td>
            <a href={`${BASE}?conversation=${c.id}`}>{c.lastActivityAt.replace("T", " ").slice(0, 16)}</a>
          </td>
          <td>{c.channel}</td>
          <td>{c.conversationRef}</td>
          <td>{c.messageCount}</td>
          <td>{c.lastMessagePreview}</td>
        </tr>
      ))}
    />
    {p.transcript ? (
      <section class="card" aria-label="Transcript" style="margin-top:16px">
        <h3>Conversation {p.transcript.conversation.conversationRef}</h3>
        <p class="muted">
          Status: {p.transcript.conversation.status} ·{" "}
          <a href={`${BASE}/inbox?conversation=${p.transcript.conversation.id}`}>Reply or take over in the inbox</a>
        </p>
        <div class="chat">
          {p.transcript.messages.map((m) => (
            <div class={`msg ${m.role}`}>{m.content}</div>
          ))}
        </div>
      </section>
    ) : null}
  </>
);
