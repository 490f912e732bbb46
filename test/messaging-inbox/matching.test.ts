import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asksForPerson, HANDOFF_PHRASES, matchSkill, normalizeForMatch } from "../../src/messaging/skill-match";

const GUIDE = {
  skillsEnabled: true,
  skills: [
    { key: "booking", label: "Booking", keywords: ["book", "appointment", "schedule"] },
    { key: "catalog", label: "Products", keywords: ["product", "price", "catalog"] },
  ],
};

describe("skill keyword matching", () => {
  it("matches the guide's skills on whole words, ignoring case and accents", () => {
    expect(matchSkill(GUIDE, "book an appointment tomorrow")?.key).toBe("booking");
    expect(matchSkill(GUIDE, "Can I BOOK?")?.key).toBe("booking");
    expect(matchSkill(GUIDE, "What's the price of the blue one?")?.key).toBe("catalog");
    expect(matchSkill(GUIDE, "booking.com or an ebook")).toBeNull();
    expect(matchSkill(GUIDE, "pricey products")).toBeNull();
  });

  it("the first skill in configured order wins", () => {
    expect(matchSkill(GUIDE, "the price to book a table")?.key).toBe("booking");
    const swapped = { ...GUIDE, skills: [GUIDE.skills[1]!, GUIDE.skills[0]!] };
    expect(matchSkill(swapped, "the price to book a table")?.key).toBe("catalog");
  });

  it("matches accented keywords and phrases as whole phrases", () => {
    const cfg = { skillsEnabled: true, skills: [{ key: "reserva", keywords: ["reservá", "cita previa"] }] };
    expect(matchSkill(cfg, "Quiero RESERVA")?.key).toBe("reserva");
    expect(matchSkill(cfg, "una CITA  Prévia, por favor")?.key).toBe("reserva");
    expect(matchSkill(cfg, "cita para previa")).toBeNull();
    expect(matchSkill(cfg, "reservation")).toBeNull();
  });

  it("matches nothing when skills are off or no keyword appears", () => {
    expect(matchSkill({ ...GUIDE, skillsEnabled: false }, "book an appointment")).toBeNull();
    expect(matchSkill(GUIDE, "hello there")).toBeNull();
    expect(matchSkill(null, "book")).toBeNull();
    expect(matchSkill({ skillsEnabled: true, skills: [{ key: "x", keywords: ["", "  "] }] }, "anything at all")).toBeNull();
  });

  it("property: a keyword surrounded by any non-letter text matches, glued to letters it does not", () => {
    const word = fc.stringMatching(/^[a-z]{3,10}$/);
    const sep = fc.constantFrom(" ", ", ", "! ", "\n", "? ", " - ");
    fc.assert(
      fc.property(word, sep, sep, fc.boolean(), (w, before, after, upper) => {
        const cfg = { skillsEnabled: true, skills: [{ key: "k", keywords: [w] }] };
        const shown = upper ? w.toUpperCase() : w;
        expect(matchSkill(cfg, `hello${before}${shown}${after}bye`)?.key).toBe("k");
        expect(matchSkill(cfg, `hello${before}${shown}z${after}bye`)).toBeNull();
        expect(matchSkill(cfg, `hello${before}z${shown}${after}bye`)).toBeNull();
      }),
    );
  });

  it("property: the configured order decides between two matching skills", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,8}$/), fc.stringMatching(/^[a-z]{3,8}$/), (a, b) => {
        const cfg = { skillsEnabled: true, skills: [{ key: "first", keywords: [a] }, { key: "second", keywords: [b] }] };
        expect(matchSkill(cfg, `${b} and ${a}`)?.key).toBe("first");
      }),
    );
  });

  it("normalises to lower case words without accents", () => {
    expect(normalizeForMatch("  Ça  va?  Ñandú—ÉTÉ ")).toBe(" ca va nandu ete ");
  });
});

describe("asking for a person", () => {
  it("detects the issue's phrases", () => {
    for (const t of [
      "I need to speak with someone on your team",
      "Can I talk to a real person?",
      "HUMAN please",
      "talk to someone",
      "I want an agent",
      "operator!",
      "Is there a live agent?",
    ]) {
      expect(asksForPerson(t), t).toBe(true);
    }
  });

  it("detects them in es, fr, de, pt and it", () => {
    for (const t of [
      "Quiero hablar con una persona",
      "¿Puedo hablar con alguien?",
      "Je veux parler à quelqu'un",
      "une vraie personne svp",
      "Ich möchte mit einem Menschen sprechen",
      "Bitte einen Mitarbeiter",
      "Quero falar com alguém",
      "Preciso de um atendente",
      "Vorrei parlare con un operatore",
      "una persona reale per favore",
    ]) {
      expect(asksForPerson(t), t).toBe(true);
    }
  });

  it("does not fire on ordinary questions or on words that only contain a phrase", () => {
    for (const t of ["When are you open?", "book an appointment tomorrow", "What about humanity?", "my agenda for today", "Do you ship to Spain?", "How much is it?"]) {
      expect(asksForPerson(t), t).toBe(false);
    }
  });

  it("every listed phrase triggers on its own and inside a sentence", () => {
    for (const phrase of Object.values(HANDOFF_PHRASES).flat()) {
      expect(asksForPerson(phrase), phrase).toBe(true);
      expect(asksForPerson(`Hello, ${phrase.toUpperCase()}, thanks.`), phrase).toBe(true);
    }
  });
});
