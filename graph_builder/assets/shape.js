/*
 * Mental Model Atlas: "find by shape" at /shape/ (graph_builder/site/shape.py writes the page).
 *
 * Input: the page's form (the vocabulary with its definitions), the URL's query
 * (`?patterns=link,splitting&relations=restore,transform/refinement&structure=cycle&level=generic`,
 * plus `kind=`, `domain=`, `category=`) and the catalogue's tags, fetched from `data-shape-src`.
 * Output: every entry with structural tags and a score above 0 against the composed shape, best
 * first (ties by slug), as a list of links with their scores and shared tags; the query follows
 * the form (history.replaceState), so the address is the shape.
 *
 * The score replicates graph_builder's `similarity` exactly (neighbours.py): weights and the
 * sibling credit are whole millionths, so the weighted sums are exact integers; each component
 * is one float division; the four are summed in the same order; and a total next to a
 * 6-decimal rounding boundary is rounded on its exact fraction (BigInt), half to even.
 *
 * Contributor text (names) only ever reaches the page as textContent.
 */
(function () {
  "use strict";

  const PAGE_SIZE = 50;
  const BOUNDARY = 1e-4;
  const SHAPE_KEYS = ["patterns", "relations", "structure", "level"];
  const NARROW_KEYS = ["kind", "domain", "category"];
  const dataCache = new Map(); // absolute URL -> Promise of the model

  // ------------------------------------------------------------------------------------------
  // The model: the data file with its tags indexed

  function parentOf(tag) {
    const at = tag.indexOf("/");
    return at < 0 ? tag : tag.slice(0, at);
  }

  /* A decimal string ("0.35", "1e-05") as an exact fraction [numerator, denominator] of BigInts,
     as Python's Fraction(repr(x)) reads it. */
  function decimalFraction(text) {
    const match = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(String(text));
    if (!match) {
      throw new Error("not a decimal: " + text);
    }
    const digits = (match[1] || "") + (match[2] || "");
    let exponent = (match[3] ? parseInt(match[3], 10) : 0) - (match[2] || "").length;
    let numerator = BigInt(digits || "0");
    let denominator = 1n;
    if (exponent >= 0) {
      numerator *= 10n ** BigInt(exponent);
    } else {
      denominator = 10n ** BigInt(-exponent);
    }
    return [numerator, denominator];
  }

  function facetTable(tags, weights) {
    const parents = new Map();
    const parentId = tags.map(function (tag) {
      const parent = parentOf(tag);
      if (!parents.has(parent)) {
        parents.set(parent, parents.size);
      }
      return parents.get(parent);
    });
    const weightOfParent = new Array(parents.size).fill(0);
    tags.forEach(function (tag, i) {
      weightOfParent[parentId[i]] = weights ? weights[i] : 1;
    });
    return {
      tags: tags,
      index: new Map(tags.map(function (t, i) { return [t, i]; })),
      weight: weights || tags.map(function () { return 1; }),
      parent: parentId,
      parentWeight: weightOfParent,
      parents: parents.size,
    };
  }

  function buildModel(data) {
    const model = {
      unit: data.unit,
      credit: data.credit,
      factors: data.factors.map(Number),
      exactFactors: data.factors.map(decimalFraction),
      patterns: facetTable(data.patterns, data.patternWeights),
      relations: facetTable(data.relations, data.relationWeights),
      structures: facetTable(data.structures, null),
      levels: data.levels,
      kinds: data.kinds,
      kindTitles: data.kindTitles || data.kinds,
      domains: data.domains,
      domainTitles: data.domainTitles || data.domains,
      categories: data.categories,
      entries: [],
    };
    model.entries = data.entries.map(function (row) {
      return {
        slug: row[0],
        name: row[1],
        kind: row[2],
        domain: row[3],
        categories: row[4],
        profile: { patterns: row[5], relations: row[6], structures: row[7], level: row[8] },
        path: row.length > 9 ? row[9] : row[0],
      };
    });
    return model;
  }

  /* Tag names -> a profile of indices; unknown tags are dropped (they match nothing the
     catalogue holds, but they would change the union: the form never produces them). */
  function profileOf(model, tags) {
    function ids(table, values) {
      const out = new Set();
      (values || []).forEach(function (v) {
        if (table.index.has(v)) {
          out.add(table.index.get(v));
        }
      });
      return Array.from(out).sort(function (a, b) { return a - b; });
    }
    const level = tags.level ? model.levels.indexOf(tags.level) : -1;
    return {
      patterns: ids(model.patterns, tags.patterns),
      relations: ids(model.relations, tags.relations),
      structures: ids(model.structures, tags.structure),
      level: level,
    };
  }

  // ------------------------------------------------------------------------------------------
  // The score (graph_builder.analysis.neighbours.similarity)

  /* Side A of one facet, prepared once per shape: membership, per-parent counts, weight sum. */
  function prepareSide(table, ids) {
    const member = new Uint8Array(table.tags.length);
    const perParent = new Int32Array(table.parents);
    let sum = 0;
    ids.forEach(function (t) {
      member[t] = 1;
      perParent[table.parent[t]] += 1;
      sum += table.weight[t];
    });
    return { ids: ids, member: member, perParent: perParent, sum: sum };
  }

  function prepare(model, profile) {
    return {
      profile: profile,
      patterns: prepareSide(model.patterns, profile.patterns),
      relations: prepareSide(model.relations, profile.relations),
      structures: prepareSide(model.structures, profile.structures),
      level: profile.level,
    };
  }

  /* wJ(A, B) as [numerator, denominator] in the integers `_weighted_jaccard_units` uses:
     (U * exact + c * partial, U * union). Sibling pairs per parent: min of the leftovers. */
  function weightedJaccard(model, table, side, ids, scratch) {
    let exact = 0;
    let sumB = 0;
    const touched = [];
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i];
      const w = table.weight[t];
      sumB += w;
      if (side.member[t]) {
        exact += w;
        const p = table.parent[t];
        if (scratch.sharedA[p] === 0 && scratch.leftB[p] === 0) {
          touched.push(p);
        }
        scratch.sharedA[p] += 1;
      } else {
        const p = table.parent[t];
        if (scratch.sharedA[p] === 0 && scratch.leftB[p] === 0) {
          touched.push(p);
        }
        scratch.leftB[p] += 1;
      }
    }
    let partial = 0;
    for (let i = 0; i < touched.length; i++) {
      const p = touched[i];
      const leftA = side.perParent[p] - scratch.sharedA[p];
      const leftB = scratch.leftB[p];
      if (leftA > 0 && leftB > 0) {
        partial += Math.min(leftA, leftB) * table.parentWeight[p];
      }
      scratch.sharedA[p] = 0;
      scratch.leftB[p] = 0;
    }
    const union = side.sum + sumB - exact;
    return [model.unit * exact + model.credit * partial, model.unit * union];
  }

  function ratio(fraction) {
    return fraction[1] ? fraction[0] / fraction[1] : 0;
  }

  function exactTotal(model, parts, level) {
    // Σ factor_i * n_i / d_i (+ level factor), as BigInt fractions, rounded half to even.
    let num = 0n;
    let den = 1n;
    function add(n, d) {
      num = num * d + n * den;
      den = den * d;
    }
    for (let i = 0; i < 3; i++) {
      const f = model.exactFactors[i];
      const part = parts[i];
      if (part[1]) {
        add(f[0] * BigInt(part[0]), f[1] * BigInt(part[1]));
      }
    }
    if (level) {
      add(model.exactFactors[3][0], model.exactFactors[3][1]);
    }
    const scaled = num * 1000000n;
    let k = scaled / den;
    const twice = 2n * (scaled - k * den);
    if (twice > den || (twice === den && k % 2n === 1n)) {
      k += 1n;
    }
    return Number(k) / 1e6;
  }

  function makeScratch(model) {
    const size = Math.max(model.patterns.parents, model.relations.parents, 1);
    return { sharedA: new Int32Array(size), leftB: new Int32Array(size) };
  }

  /* sim(A, B) rounded to 6 decimals, A prepared (`prepare`), B a profile of indices. */
  function score(model, a, b, scratch) {
    const p = weightedJaccard(model, model.patterns, a.patterns, b.patterns, scratch);
    const r = weightedJaccard(model, model.relations, a.relations, b.relations, scratch);
    let sharedS = 0;
    for (let i = 0; i < b.structures.length; i++) {
      if (a.structures.member[b.structures[i]]) {
        sharedS += 1;
      }
    }
    const unionS = a.structures.ids.length + b.structures.length - sharedS;
    const s = [sharedS, unionS];
    const match = a.level >= 0 && a.level === b.level;
    const f = model.factors;
    const total =
      f[0] * ratio(p) + f[1] * ratio(r) + f[2] * (unionS ? sharedS / unionS : 0) + f[3] * (match ? 1 : 0);
    const scaled = total * 1e6;
    if (Math.abs(scaled - Math.floor(scaled) - 0.5) <= BOUNDARY) {
      return exactTotal(model, [p, r, s], match);
    }
    return Math.round(scaled) / 1e6;
  }

  /* Every entry with a score above 0, best first, ties by slug (code-point order, as Python). */
  function rank(model, shape, narrow) {
    const a = prepare(model, shape);
    const scratch = makeScratch(model);
    const out = [];
    const entries = model.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (narrow.kind >= 0 && e.kind !== narrow.kind) continue;
      if (narrow.domain >= 0 && e.domain !== narrow.domain) continue;
      if (narrow.category >= 0 && e.categories.indexOf(narrow.category) < 0) continue;
      const value = score(model, a, e.profile, scratch);
      if (value > 0) {
        out.push({ entry: e, score: value });
      }
    }
    out.sort(function (x, y) {
      if (x.score !== y.score) return y.score - x.score;
      return x.entry.slug < y.entry.slug ? -1 : x.entry.slug > y.entry.slug ? 1 : 0;
    });
    return out;
  }

  /* The tags a shape and an entry share, as text: exact matches, sibling pairs, structure, level. */
  function reasons(model, shape, e) {
    const parts = [];
    function shared(table, mine, theirs) {
      const set = new Set(mine);
      return theirs.filter(function (t) { return set.has(t); }).map(function (t) { return table.tags[t]; });
    }
    function siblings(table, mine, theirs) {
      const setA = new Set(mine);
      const setB = new Set(theirs);
      const leftA = mine.filter(function (t) { return !setB.has(t); }).map(function (t) { return table.tags[t]; }).sort();
      const leftB = theirs.filter(function (t) { return !setA.has(t); }).map(function (t) { return table.tags[t]; }).sort();
      const pairs = [];
      const used = new Set();
      leftA.forEach(function (x) {
        const y = leftB.find(function (c) { return !used.has(c) && parentOf(c) === parentOf(x); });
        if (y !== undefined) {
          used.add(y);
          pairs.push(x + " ~ " + y + " (siblings)");
        }
      });
      return pairs;
    }
    const p = e.profile;
    parts.push.apply(parts, shared(model.patterns, shape.patterns, p.patterns));
    parts.push.apply(parts, siblings(model.patterns, shape.patterns, p.patterns));
    parts.push.apply(parts, shared(model.relations, shape.relations, p.relations));
    parts.push.apply(parts, siblings(model.relations, shape.relations, p.relations));
    parts.push.apply(parts, shared(model.structures, shape.structures, p.structures));
    if (shape.level >= 0 && shape.level === p.level) {
      parts.push("same level (" + model.levels[p.level] + ")");
    }
    return parts.length ? parts.join(" · ") : "no shared tags";
  }

  // ------------------------------------------------------------------------------------------
  // The page

  function splitList(value) {
    return (value || "").split(",").map(function (v) { return v.trim(); }).filter(Boolean);
  }

  function readQuery(search) {
    const params = new URLSearchParams(search);
    const out = {};
    ["patterns", "relations", "structure"].forEach(function (key) {
      out[key] = splitList(params.get(key));
    });
    ["level"].concat(NARROW_KEYS).forEach(function (key) {
      out[key] = (params.get(key) || "").trim();
    });
    return out;
  }

  function writeQuery(state) {
    const parts = [];
    SHAPE_KEYS.concat(NARROW_KEYS).forEach(function (key) {
      const values = Array.isArray(state[key]) ? state[key] : state[key] ? [state[key]] : [];
      if (values.length) {
        const encoded = values.map(function (v) {
          return encodeURIComponent(v).replace(/%2F/gi, "/");
        });
        parts.push(key + "=" + encoded.join(","));
      }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function readForm(form) {
    const state = {};
    ["patterns", "relations", "structure"].forEach(function (key) {
      state[key] = Array.from(form.querySelectorAll('input[name="' + key + '"]:checked'))
        .map(function (input) { return input.value; })
        .sort();
    });
    const level = form.querySelector('input[name="level"]:checked');
    state.level = level ? level.value : "";
    NARROW_KEYS.forEach(function (key) {
      const select = form.querySelector('select[name="' + key + '"]');
      state[key] = select ? select.value : "";
    });
    return state;
  }

  function setForm(form, state) {
    ["patterns", "relations", "structure"].forEach(function (key) {
      const wanted = new Set(state[key]);
      form.querySelectorAll('input[name="' + key + '"]').forEach(function (input) {
        input.checked = wanted.has(input.value);
      });
    });
    let levelSet = false;
    form.querySelectorAll('input[name="level"]').forEach(function (input) {
      input.checked = input.value === state.level;
      levelSet = levelSet || input.checked;
    });
    if (!levelSet) {
      const any = form.querySelector('input[name="level"][value=""]');
      if (any) any.checked = true;
    }
    NARROW_KEYS.forEach(function (key) {
      const select = form.querySelector('select[name="' + key + '"]');
      if (select) {
        const known = Array.from(select.options).some(function (o) { return o.value === state[key]; });
        select.value = known ? state[key] : "";
      }
    });
  }

  function narrowOf(model, state) {
    return {
      kind: state.kind ? model.kinds.indexOf(state.kind) : -1,
      domain: state.domain ? model.domains.indexOf(state.domain) : -1,
      category: state.category ? model.categories.indexOf(state.category) : -1,
    };
  }

  function loadModel(url) {
    const absolute = new URL(url, window.location.href).href;
    if (!dataCache.has(absolute)) {
      const promise = fetch(absolute, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status + " for " + absolute);
          }
          return response.json();
        })
        .then(buildModel);
      promise.catch(function () {
        dataCache.delete(absolute);
      });
      dataCache.set(absolute, promise);
    }
    return dataCache.get(absolute);
  }

  function count(n) {
    return n + (n === 1 ? " entry" : " entries");
  }

  function formatScore(value) {
    return value.toFixed(3);
  }

  function renderItem(model, shape, item, root) {
    const e = item.entry;
    const li = document.createElement("li");
    li.dataset.slug = e.slug;
    li.dataset.score = String(item.score);
    const link = document.createElement("a");
    link.href = new URL(root + "entries/" + encodeURIComponent(e.path) + "/", window.location.href).href;
    const bdi = document.createElement("bdi");
    bdi.textContent = e.name;
    link.appendChild(bdi);
    li.appendChild(link);
    const facts = [];
    if (e.domain >= 0) facts.push(model.domainTitles[e.domain]);
    if (e.kind >= 0) facts.push(model.kindTitles[e.kind]);
    if (facts.length) {
      li.appendChild(document.createTextNode(" · " + facts.join(" · ") + " "));
    } else {
      li.appendChild(document.createTextNode(" "));
    }
    const bar = document.createElement("span");
    bar.className = "gb-score";
    bar.style.setProperty("--score", (Math.max(0, Math.min(1, item.score)) * 100).toFixed(1) + "%");
    bar.title = "structural similarity " + formatScore(item.score);
    bar.textContent = formatScore(item.score);
    li.appendChild(bar);
    const why = document.createElement("span");
    why.className = "gb-shape__why";
    why.textContent = "Shared: " + reasons(model, shape, e);
    li.appendChild(why);
    return li;
  }

  function ShapePage(section) {
    this.section = section;
    this.form = section.querySelector("form");
    this.status = section.querySelector(".gb-shape__status");
    this.list = section.querySelector(".gb-shape__results");
    this.more = section.querySelector(".gb-shape__more");
    this.model = null;
    this.results = [];
    this.shown = 0;
    this.shape = null;
    // The site's root, from the page's own place (/shape/ is one level down).
    this.root = "../";
  }

  ShapePage.prototype.start = function () {
    const page = this;
    page.section.hidden = false;
    setForm(page.form, readQuery(window.location.search));
    page.form.addEventListener("change", function () {
      page.update(true);
    });
    page.form.addEventListener("submit", function (event) {
      event.preventDefault();
      page.update(true);
    });
    page.form.addEventListener("reset", function () {
      // After the browser has reset the controls.
      window.setTimeout(function () {
        page.update(true);
      }, 0);
    });
    // The results' heading takes the focus, so a keyboard or screen reader lands on the list.
    // A button, not an in-page link: Material's instant navigation handles those clicks itself.
    const skip = page.section.querySelector(".gb-shape__skip");
    if (skip) {
      skip.addEventListener("click", function (event) {
        event.preventDefault();
        const heading = page.section.querySelector("#gb-shape-results");
        heading.focus({ preventScroll: true });
        heading.scrollIntoView({ block: "start" });
      });
    }
    page.more.addEventListener("click", function () {
      page.showMore();
    });
    const src = page.section.getAttribute("data-shape-src");
    return loadModel(src).then(
      function (model) {
        if (!page.section.isConnected) return;
        page.model = model;
        page.update(false);
      },
      function (error) {
        if (!page.section.isConnected) return;
        page.section.setAttribute("data-shape-error", String(error && error.message));
        page.status.textContent =
          "The catalogue could not be loaded; the facet pages list the entries of each tag.";
      }
    );
  };

  ShapePage.prototype.update = function (fromForm) {
    const state = readForm(this.form);
    if (fromForm) {
      const query = writeQuery(state);
      if (query !== window.location.search) {
        const url = window.location.pathname + query + window.location.hash;
        window.history.replaceState(window.history.state, "", url);
      }
    }
    if (!this.model) return;
    const started = performance.now();
    const model = this.model;
    const shape = profileOf(model, state);
    this.shape = shape;
    const empty =
      !shape.patterns.length && !shape.relations.length && !shape.structures.length && shape.level < 0;
    this.results = empty ? [] : rank(model, shape, narrowOf(model, state));
    this.list.textContent = "";
    this.shown = 0;
    this.showMore();
    if (empty) {
      this.status.textContent = "Pick a pattern, a relation, a structure or a level to see the entries of that shape.";
    } else if (!this.results.length) {
      this.status.textContent = "No entry shares any tag of this shape.";
    } else {
      this.status.textContent =
        count(this.results.length) + " of this shape, best first" +
        (this.results.length > this.shown ? "; the first " + this.shown + " are listed." : ".");
    }
    this.section.setAttribute("data-shape-results", String(this.results.length));
    this.section.setAttribute("data-shape-ms", (performance.now() - started).toFixed(2));
    this.section.setAttribute("data-shape-ready", "");
  };

  ShapePage.prototype.showMore = function () {
    const end = Math.min(this.results.length, this.shown + PAGE_SIZE);
    const fragment = document.createDocumentFragment();
    for (let i = this.shown; i < end; i++) {
      fragment.appendChild(renderItem(this.model, this.shape, this.results[i], this.root));
    }
    this.list.appendChild(fragment);
    const first = this.shown;
    this.shown = end;
    this.more.hidden = this.shown >= this.results.length;
    this.more.textContent = "Show more (" + (this.results.length - this.shown) + " left)";
    if (first > 0 && this.list.children[first]) {
      const link = this.list.children[first].querySelector("a");
      if (link) link.focus();
    }
    if (first > 0) {
      this.status.textContent = count(this.results.length) + " of this shape; " + this.shown + " listed.";
    }
  };

  function init() {
    const section = document.querySelector(".gb-shape[data-shape-src]");
    if (!section) return;
    const page = new ShapePage(section);
    window.mmaShape.page = page;
    page.start();
  }

  window.mmaShape = {
    page: null,
    buildModel: buildModel,
    loadModel: loadModel,
    profileOf: profileOf,
    rank: rank,
    /* sim(A, B) of two tag sets ({patterns, relations, structure, level}) with the page's data:
       the ranking's own code, for tests that compare it with the Python. */
    similarity: function (model, a, b) {
      return score(model, prepare(model, profileOf(model, a)), profileOf(model, b), makeScratch(model));
    },
    readQuery: readQuery,
    writeQuery: writeQuery,
  };

  /* With Material's instant navigation, document$ emits every new page; without it, the page
     loads once. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
