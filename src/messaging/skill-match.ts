/**
 * Text matching of the turn pipeline: skill keywords and the visitor asking for a person. Both
 * compare normalised text: accents removed (NFKD without combining marks), lower case, and
 * anything that is not a letter or digit turned into one space, so a keyword or phrase matches
 * only as whole words ("book" matches "Book a table" and "book!", never "booking" or "ebook").
 */

/** Lower case, no accents, words separated by single spaces, padded with one space each side. */
export function normalizeForMatch(text: string): string {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return ` ${words} `;
}

/** Whether `phrase` (one word or several) appears in `normalizedText` as whole words. */
function hasPhrase(normalizedText: string, phrase: string): boolean {
  const p = normalizeForMatch(phrase);
  return p.trim() !== "" && normalizedText.includes(p);
}

/** The shape matching needs from the skills config (H1's config has more fields). */
export interface MatchableSkills<S extends { key: string; keywords: readonly string[] }> {
  skillsEnabled: boolean;
  skills: readonly S[];
}

/**
 * The skill a message triggers: the first skill, in configured order, with a keyword or
 * keyword phrase in the message as whole words (case- and accent-insensitive); none when
 * skills are off.
 */
export function matchSkill<S extends { key: string; keywords: readonly string[] }>(config: MatchableSkills<S> | null | undefined, text: string): S | null {
  if (!config?.skillsEnabled) return null;
  const t = normalizeForMatch(text);
  return config.skills.find((s) => s.keywords.some((k) => hasPhrase(t, k))) ?? null;
}

/**
 * Phrases that ask for a person, per language (en, es, fr, de, pt, it), written without
 * accents (matching removes them). Whole words only, so "humanity" or "agenda" do not count.
 */
export const HANDOFF_PHRASES: Readonly<Record<string, readonly string[]>> = {
  en: [
    "real person", "talk to a person", "speak to a person", "speak with a person", "human", "humans", "talk to someone", "talk with someone", "speak to someone", "speak with someone",
    "talk to somebody", "speak to somebody", "someone on your team", "agent", "live agent", "operator", "representative", "customer service rep",
    "real human", "live chat with a person", "live support",
  ],
  es: ["persona real", "humano", "hablar con alguien", "hablar con una persona", "agente", "operador", "operadora", "asesor", "alguien de su equipo", "alguien de tu equipo"],
  fr: ["vraie personne", "personne reelle", "un humain", "humain", "parler a quelqu un", "parler avec quelqu un", "parler a une personne", "agent", "operateur", "operatrice", "conseiller", "conseillere"],
  de: ["echte person", "echten menschen", "einem menschen", "mensch sprechen", "mit jemandem sprechen", "mit jemandem reden", "mitarbeiter", "mitarbeiterin", "operator", "berater", "beraterin", "kundendienst"],
  pt: ["pessoa real", "humano", "falar com alguem", "falar com uma pessoa", "atendente", "agente", "operador", "operadora", "alguem da sua equipe", "alguem da equipe"],
  it: ["persona reale", "umano", "parlare con qualcuno", "parlare con una persona", "operatore", "operatrice", "agente", "consulente", "qualcuno del vostro team"],
};

const ALL_HANDOFF_PHRASES = [...new Set(Object.values(HANDOFF_PHRASES).flat())];

/** Whether the visitor asks for a person ("real person", "human", "talk to someone", an agent or operator, in en/es/fr/de/pt/it). */
export function asksForPerson(text: string): boolean {
  const t = normalizeForMatch(text);
  return ALL_HANDOFF_PHRASES.some((p) => hasPhrase(t, p));
}
