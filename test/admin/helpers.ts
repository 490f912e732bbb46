import { dash, type TestAccount } from "../factories";

/** PATCH /api/admin/apps/:id from the dashboard with `a`'s session. */
export const patchApp = (a: TestAccount, id: string, body: unknown) => dash("PATCH", `/api/admin/apps/${id}`, a, body);
