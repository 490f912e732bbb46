// Printed by `npm run dev` before the server starts: where to go and the demo credentials.
import { readFileSync } from "node:fs";

const demo = JSON.parse(readFileSync(new URL("./demo-accounts.json", import.meta.url), "utf8"));
const base = "http://localhost:8787";
const lines = [
  "",
  "  GellHub is starting on " + base,
  "    dashboard      " + base + "/dashboard",
  "    API reference  " + base + "/docs",
  "",
  "  Demo accounts (password: " + demo.password + ")",
  ...demo.accounts.map((a) => `    ${a.email.padEnd(28)} ${a.key ?? "(staff, no key)"}`),
  "",
  `  Try: curl -H "x-api-key: ${demo.accounts[0].key}" ${base}/api/account`,
  "",
  "  Shared demo galleries (as a client sees them)",
  "    " + base + "/g/demo-wedding     (open)",
  "    " + base + "/g/demo-portraits   (password: demo)",
  "",
  "  The demo shop's chat widget (allowed on localhost pages)",
  "    " + base + "/chat/emb_demoCornerShop",
  "",
];
console.log(lines.join("\n"));
