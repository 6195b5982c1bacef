import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { checkSite, siteDataFile } from "../lib/site.ts";
import { SourceError } from "../lib/source-error.ts";

const text = readFileSync(siteDataFile, "utf8");

/** Checks the real site data with one edit made to its text. */
function checkEdited(from: string, to: string) {
  assert.ok(text.includes(from), `site data has no ${from}`);
  const edited = text.replace(from, to);
  return () => checkSite(JSON.parse(edited), edited, siteDataFile);
}

function refusal(from: string, to: string): SourceError {
  try {
    checkEdited(from, to)();
  } catch (error) {
    assert.ok(error instanceof SourceError);
    return error;
  }
  assert.fail(`${to} was accepted`);
}

const lineOf = (needle: string) => text.split("\n").findIndex((line) => line.includes(needle)) + 1;

describe("site data", () => {
  test("the project's site data passes", () => {
    assert.equal(checkSite(JSON.parse(text), text, siteDataFile).matomo.siteId, 11);
  });

  test("the privacy-signal switch must be true or false, on its line", () => {
    const error = refusal('"respectPrivacySignals": true', '"respectPrivacySignals": "yes"');
    assert.equal(error.line, lineOf('"respectPrivacySignals"'));
    assert.match(error.problem, /must be true or false/);
  });

  test("the privacy-signal notice must have words", () => {
    const notice = /"privacySignalNotice": "[^"]*"/.exec(text)![0];
    assert.match(
      refusal(notice, '"privacySignalNotice": " "').problem,
      /"privacySignalNotice" must be a non-empty text/,
    );
  });

  test("a Matomo origin that is not https: is refused on its line", () => {
    const error = refusal('"origin": "https://matomo.dc.scilifelab.se"', '"origin": "http://matomo.dc.scilifelab.se"');
    assert.equal(error.line, lineOf("https://matomo.dc.scilifelab.se"));
    assert.match(error.problem, /"matomo\.origin" must be an https: origin/);
  });

  test("a Matomo origin with a path is refused", () => {
    assert.match(
      refusal('"https://matomo.dc.scilifelab.se"', '"https://matomo.dc.scilifelab.se/"').problem,
      /without a path/,
    );
  });

  for (const siteId of ["0", "-3", "1.5", '"11"']) {
    test(`a site id of ${siteId} is refused`, () => {
      const error = refusal('"siteId": 11', `"siteId": ${siteId}`);
      assert.equal(error.line, lineOf('"siteId"'));
      assert.match(error.problem, /positive whole number/);
    });
  }

  for (const [option, value] of [
    ["fontSize", "16"],
    ["fontSize", "big"],
    ["fontFamily", "Helvetica;x"],
    ["fontColor", "#333"],
    ["backgroundColor", "red"],
  ]) {
    test(`Matomo's check of ${option} = ${value} is made at build time`, () => {
      const error = refusal(
        '"optOut": { "fontSize": "16px", "fontFamily": "Helvetica" }',
        `"optOut": { "${option}": "${value}" }`,
      );
      assert.match(
        error.problem,
        new RegExp(`Matomo would reject "${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" as "${option}"`),
      );
    });
  }

  test("the more-contrast options are checked as Matomo checks the others, on their line", () => {
    const error = refusal(
      '"optOutMoreContrast": { "fontColor": "000000"',
      '"optOutMoreContrast": { "fontColor": "#000"',
    );
    assert.equal(error.line, lineOf('"optOutMoreContrast"'));
    assert.match(error.problem, /Matomo would reject "#000" as "fontColor"/);
  });

  test("an option Matomo does not have is refused", () => {
    assert.match(refusal('"fontSize": "16px"', '"fontsize": "16px"').problem, /"fontsize" is not an option/);
  });

  test("the portal origin must be an https: origin too", () => {
    assert.match(
      refusal('"origin": "https://genomes.scilifelab.se"', '"origin": "genomes.scilifelab.se"').problem,
      /"origin" must be an https: origin/,
    );
  });
});
