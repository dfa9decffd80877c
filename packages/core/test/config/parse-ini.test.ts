// The INI grammar on its own: configparser's rules as botocore relies on them, and the
// 1-based line of every malformed-line error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigFileError } from "../../src/errors/index.ts";
import { parseIni, type IniSection } from "../../src/config/parse-ini.ts";

function plain(sections: IniSection[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    sections.map((s) => [
      s.name,
      Object.fromEntries([...s.settings].map(([k, v]) => [k, typeof v.value === "string" ? v.value : { ...v.value }])),
    ]),
  );
}

function parseError(text: string): ConfigFileError {
  try {
    parseIni(text, "/x/config");
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, `expected ConfigFileError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a ConfigFileError");
}

test("keeps # and ; inside values and skips only whole-line comments", () => {
  const text = [
    "# top comment",
    "; another",
    "[default]",
    "region = us-east-1 # not a comment",
    "   # indented comment line",
    "output = json;text",
    "secret = a#b;c",
  ].join("\n");
  assert.deepEqual(plain(parseIni(text, "f")), {
    default: { region: "us-east-1 # not a comment", output: "json;text", secret: "a#b;c" },
  });
});

test("accepts key: value and splits at the first = or :", () => {
  const text = "[default]\nregion: eu-west-1\nendpoint_url = http://localhost:4566\nodd:key = v\n";
  assert.deepEqual(plain(parseIni(text, "f")), {
    default: { region: "eu-west-1", endpoint_url: "http://localhost:4566", odd: "key = v" },
  });
});

test("lower-cases keys, trims keys and values, keeps quotes and literal true/false", () => {
  const text = "[Mixed Case]\n  AWS_Access_Key_ID   =   AKIDEXAMPLE  \nquoted = \"abc\"\nflag = true\narr[] = 1\n";
  assert.deepEqual(plain(parseIni(text, "f")), {
    "Mixed Case": { aws_access_key_id: "AKIDEXAMPLE", quoted: '"abc"', flag: "true", "arr[]": "1" },
  });
});

test("an empty value followed by indented lines is a nested block; blank and comment lines inside are skipped", () => {
  const text = [
    "[profile dev]",
    "s3 =",
    "  addressing_style = path",
    "",
    "  # a comment inside the block",
    "  signature_version = s3v4",
    "region = us-west-2",
  ].join("\n");
  const [section] = parseIni(text, "f");
  assert.ok(section);
  assert.deepEqual(plain([section]), {
    "profile dev": { s3: { addressing_style: "path", signature_version: "s3v4" }, region: "us-west-2" },
  });
  assert.deepEqual([...(section.settings.get("s3")?.nestedLines ?? [])], [["addressing_style", 3], ["signature_version", 6]]);
  assert.equal(section.settings.get("region")?.line, 7);
});

test("nested keys keep their case and the value may contain = and #", () => {
  const text = "[services local]\ns3 =\n  Endpoint_URL = http://h:1/?a=b#frag\n";
  assert.deepEqual(plain(parseIni(text, "f")), {
    "services local": { s3: { Endpoint_URL: "http://h:1/?a=b#frag" } },
  });
});

test("an indented line after a non-empty value continues it, as configparser does", () => {
  const text = "[default]\nregion = us-east-1\n    more\n\n    again\nnext = 1\n";
  assert.deepEqual(plain(parseIni(text, "f")), { default: { region: "us-east-1\nmore\n\nagain", next: "1" } });
});

test("an empty value followed only by blank lines stays an empty string", () => {
  assert.deepEqual(plain(parseIni("[default]\ns3 =\n\n\n[other]\na = 1\n", "f")), { default: { s3: "" }, other: { a: "1" } });
});

test("an indented line right after a header is an ordinary setting", () => {
  assert.deepEqual(plain(parseIni("[default]\n   region = us-east-1\n", "f")), { default: { region: "us-east-1" } });
});

test("repeated sections merge and the later key wins; dotted names stay flat", () => {
  const text = "[profile my.dev]\na = 1\nb = 2\n[other]\nx = y\n[profile my.dev]\nb = 3\nb = 4\n";
  const sections = parseIni(text, "f");
  assert.deepEqual(plain(sections), { "profile my.dev": { a: "1", b: "4" }, other: { x: "y" } });
  assert.equal(sections[0]?.line, 1);
  assert.equal(sections[0]?.settings.get("b")?.line, 8);
});

test("section headers are trimmed, text after the closing bracket is ignored, CRLF and a BOM are fine", () => {
  const text = "\uFEFF[ default ] ; trailing\r\nregion = us-east-1\r\n[a]]\r\nk = v\r\n";
  assert.deepEqual(plain(parseIni(text, "f")), { default: { region: "us-east-1" }, "a]": { k: "v" } });
});

test("a key named __proto__ is kept as plain data", () => {
  const text = "[services s]\nx =\n  __proto__ = polluted\n";
  const value = parseIni(text, "f")[0]?.settings.get("x")?.value;
  assert.ok(typeof value === "object");
  assert.equal(Object.hasOwn(value, "__proto__"), true);
  assert.equal(value["__proto__"], "polluted");
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
});

test("an empty file and a file of comments have no sections", () => {
  assert.deepEqual(parseIni("", "f"), []);
  assert.deepEqual(parseIni("# only\n\n; comments\n", "f"), []);
});

test("malformed lines throw ConfigFileError with the file and 1-based line", () => {
  const cases: [string, number, RegExp][] = [
    ["# c\n\nregion = us-east-1\n[default]\n", 3, /before any \[section\] header/],
    ["   indented = before\n[default]\n", 1, /before any \[section\] header/],
    ["[default]\nregion = x\njust some words\n", 3, /expected "key = value"/],
    ["[default]\n\n[profile dev\nregion = x\n", 3, /no closing "\]"/],
    ["[default]\n[]\n", 2, /no name/],
    ["[default]\n= value\n", 2, /no key before "="/],
    ["[default]\n  : value\n", 2, /no key before ":"/],
    ["[default]\ns3 =\n  addressing_style = path\n  oops\n", 4, /nested setting under "s3" must be "key = value"/],
    ["[default]\ns3 =\n  addressing_style: path\n", 3, /nested setting under "s3" must be "key = value"/],
    ["[default]\ns3 =\n  = path\n", 3, /nested setting under "s3" has no key/],
    ["[default]\r\nok = 1\r\nbad\r\n", 3, /expected "key = value"/],
  ];
  for (const [text, line, problem] of cases) {
    const error = parseError(text);
    assert.equal(error.file, "/x/config", text);
    assert.equal(error.line, line, text);
    assert.match(error.message, problem, text);
    assert.ok(error.message.startsWith(`/x/config:${line}: `), error.message);
  }
});

test("a malformed line's text is never echoed (it could be a secret)", () => {
  const error = parseError("[default]\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n");
  assert.equal(error.message.includes("wJalr"), false, error.message);
});
