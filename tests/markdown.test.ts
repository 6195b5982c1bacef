import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createMarkdown, slugify } from "../lib/markdown.ts";

describe("markdown", () => {
  const markdown = createMarkdown();

  test("gives every heading an id made from its text", () => {
    assert.equal(
      markdown.render("## Links to other sites"),
      '<h2 id="links-to-other-sites">Links to other sites</h2>\n',
    );
    assert.equal(markdown.render("## Contact **Us**"), '<h2 id="contact-us">Contact <strong>Us</strong></h2>\n');
  });

  test("keeps ids unique within a page", () => {
    const html = markdown.render("## Log data\n\n## Log data\n\n## Log data");
    assert.deepEqual(
      [...html.matchAll(/id="([^"]+)"/g)].map((m) => m[1]),
      ["log-data", "log-data-2", "log-data-3"],
    );
  });

  test("allows raw HTML, as the policy's contact link needs", () => {
    assert.equal(
      markdown.render('Do <a href="/contact">contact us</a>.'),
      '<p>Do <a href="/contact">contact us</a>.</p>\n',
    );
  });

  test("does not turn plain URLs or quotes into something else", () => {
    assert.equal(
      markdown.render("See genomes.scilifelab.se, 'log data'."),
      "<p>See genomes.scilifelab.se, 'log data'.</p>\n",
    );
  });

  test("slugify folds accents and punctuation", () => {
    assert.equal(slugify("Om portalen – Sökning & Åtkomst!"), "om-portalen-sokning-atkomst");
    assert.equal(slugify("???"), "section");
  });
});
