import { Hono } from "hono";
import type { AppEnv } from "../env";
import { mailPages } from "./pages";

/** Email pages over the platform outbox: the account's Emails page and the local /dev/mailbox. */
export const mailFeature = new Hono<AppEnv>();
mailFeature.route("/", mailPages);
