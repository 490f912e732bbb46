import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../env";

/** A section another feature adds to a collection on the gallery page (rendered after the files). */
export type CollectionSection = (c: Context<AppEnv>, studio: { id: string; profileId: string }, collectionId: string) => Promise<Child>;

const sections: CollectionSection[] = [];

/**
 * Registers a collection section. Features that build on the gallery (sharing, for one) plug
 * their dashboard parts in here, so the gallery never imports them and no feature cycle forms.
 */
export function addCollectionSection(section: CollectionSection): void {
  if (!sections.includes(section)) sections.push(section);
}

/** The registered sections of one of the studio's collections, in registration order. */
export function renderCollectionSections(c: Context<AppEnv>, studio: { id: string; profileId: string }, collectionId: string): Promise<Child[]> {
  return Promise.all(sections.map((s) => s(c, studio, collectionId)));
}
