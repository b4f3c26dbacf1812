/*
 * Crowd HTML Elements: the portal's own implementation of A2I's worker-template elements.
 * Core shared by every element: relaxed attribute parsing, the base class and the contract
 * between elements and <crowd-form>.
 *
 * Contract: an element that contributes to the answer implements
 *   crowdAnswer()   -> the value stored under its `name` attribute, or undefined to omit it
 *   crowdValidate() -> null when it may be submitted, else a message for the reviewer
 *   crowdReset()    -> back to the initial state (form-action="reset")
 * and <crowd-form> collects every descendant with a `name` that implements crowdAnswer().
 */
(function () {
  "use strict";

  const Crowd = (window.Crowd = window.Crowd || {});

  /* ---- Relaxed JSON: what templates write in attributes (CROWD-ELEMENTS §1.2) ---- */

  class RelaxedParser {
    constructor(text) {
      this.text = text;
      this.at = 0;
    }
    fail(why) {
      throw new SyntaxError(`${why} at ${this.at} in ${JSON.stringify(this.text.slice(0, 80))}`);
    }
    skip() {
      for (;;) {
        const rest = this.text.slice(this.at);
        const space = /^\s+/.exec(rest);
        if (space) { this.at += space[0].length; continue; }
        if (rest.startsWith("//")) {
          const end = this.text.indexOf("\n", this.at);
          this.at = end < 0 ? this.text.length : end + 1;
          continue;
        }
        if (rest.startsWith("/*")) {
          const end = this.text.indexOf("*/", this.at + 2);
          if (end < 0) this.fail("unterminated comment");
          this.at = end + 2;
          continue;
        }
        return;
      }
    }
    peek() { this.skip(); return this.text[this.at]; }
    value() {
      const c = this.peek();
      if (c === "{") return this.object();
      if (c === "[") return this.array();
      if (c === '"' || c === "'") return this.string();
      const rest = this.text.slice(this.at);
      const number = /^[+-]?(?:Infinity|NaN|0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(rest);
      if (number) { this.at += number[0].length; return Number(number[0]); }
      const word = /^[A-Za-z_$][\w$]*/.exec(rest);
      if (word) {
        this.at += word[0].length;
        if (word[0] === "true") return true;
        if (word[0] === "false") return false;
        if (word[0] === "null") return null;
        if (word[0] === "undefined") return undefined;
        this.fail(`unexpected word ${word[0]}`);
      }
      this.fail("unexpected character");
    }
    string() {
      const quote = this.text[this.at++];
      let out = "";
      for (;;) {
        if (this.at >= this.text.length) this.fail("unterminated string");
        const c = this.text[this.at++];
        if (c === quote) return out;
        if (c !== "\\") { out += c; continue; }
        const e = this.text[this.at++];
        const simple = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", 0: "\0" };
        if (e in simple) out += simple[e];
        else if (e === "u") {
          out += String.fromCharCode(parseInt(this.text.slice(this.at, this.at + 4), 16));
          this.at += 4;
        } else if (e === "x") {
          out += String.fromCharCode(parseInt(this.text.slice(this.at, this.at + 2), 16));
          this.at += 2;
        } else if (e === "\n") { /* line continuation */ }
        else out += e;
      }
    }
    key() {
      const c = this.peek();
      if (c === '"' || c === "'") return this.string();
      const word = /^[A-Za-z_$\d][\w$-]*/.exec(this.text.slice(this.at));
      if (!word) this.fail("expected a key");
      this.at += word[0].length;
      return word[0];
    }
    object() {
      this.at++;
      const out = {};
      for (;;) {
        if (this.peek() === "}") { this.at++; return out; }
        const key = this.key();
        if (this.peek() !== ":") this.fail("expected ':'");
        this.at++;
        out[key] = this.value();
        const next = this.peek();
        if (next === ",") { this.at++; continue; }
        if (next === "}") { this.at++; return out; }
        this.fail("expected ',' or '}'");
      }
    }
    array() {
      this.at++;
      const out = [];
      for (;;) {
        if (this.peek() === "]") { this.at++; return out; }
        out.push(this.value());
        const next = this.peek();
        if (next === ",") { this.at++; continue; }
        if (next === "]") { this.at++; return out; }
        this.fail("expected ',' or ']'");
      }
    }
  }

  /** Parse an attribute value written as JSON or as a JavaScript literal (single quotes,
   * unquoted keys, trailing commas, comments). An empty value or a failure gives `fallback`. */
  Crowd.parseRelaxed = function (text, fallback) {
    if (text === null || text === undefined) return fallback;
    if (typeof text !== "string") return text;
    if (!text.trim()) return fallback;
    try {
      return JSON.parse(text);
    } catch (_) { /* not strict JSON: try the relaxed form */ }
    try {
      const parser = new RelaxedParser(text);
      const value = parser.value();
      if (parser.peek() !== undefined) parser.fail("unexpected text after the value");
      return value;
    } catch (error) {
      console.warn("crowd-html-elements: cannot parse attribute value", error.message);
      return fallback;
    }
  };

  /* ---- Attributes: kebab-case, with the camelCase spelling accepted too ---- */

  const camel = (kebab) => kebab.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

  Crowd.attr = function (element, kebab, fallback = null) {
    if (element.hasAttribute(kebab)) return element.getAttribute(kebab);
    const other = camel(kebab);
    if (other !== kebab && element.hasAttribute(other)) return element.getAttribute(other);
    return fallback;
  };

  /** A boolean attribute is true when present, whatever its text. */
  Crowd.flag = function (element, kebab) {
    return element.hasAttribute(kebab) || element.hasAttribute(camel(kebab));
  };

  Crowd.jsonAttr = function (element, kebab, fallback) {
    return Crowd.parseRelaxed(Crowd.attr(element, kebab), fallback);
  };

  /* ---- Small DOM helpers ---- */

  Crowd.h = function (tag, props = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2), value);
      } else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  };

  Crowd.addStyle = function (id, css) {
    if (document.getElementById(id)) return;
    const style = document.createElement("style");
    style.id = id;
    style.textContent = css;
    (document.head || document.documentElement).append(style);
  };

  Crowd.loadImage = function (src) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = () => reject(new Error(`cannot load image ${src}`));
      image.src = src;
    });
  };

  /* ---- The base class ---- */

  class CrowdElement extends HTMLElement {
    connectedCallback() {
      if (this._crowdReady) return;
      this._crowdReady = true;
      // Children written in the template are parsed after the opening tag: set up once the
      // document (or this subtree) is complete.
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", () => this.crowdSetup(), { once: true });
      } else {
        this.crowdSetup();
      }
    }
    /** Build the element's UI. Called once, with the template's children in place. */
    crowdSetup() {}
    get name() { return this.getAttribute("name"); }
    set name(value) { this.setAttribute("name", value); }
    crowdValidate() { return null; }
    crowdReset() {}
  }
  Crowd.CrowdElement = CrowdElement;

  Crowd.define = function (name, cls) {
    if (!customElements.get(name)) customElements.define(name, cls);
  };
})();
