/*
 * Mental Model Atlas: the neighbourhood graph of an entry page and the explorer at /graph/.
 *
 * Input: a `.mma-graph` block written by graph_builder/site/entry_graph.py or explorer.py, data inline as
 * `<script type="application/json">` (entry pages) or fetched from `data-graph-src` (explorer).
 * Output: a vis-network drawing with fixed positions, a text tooltip beside the pointer,
 * keyboard navigation, and the counts drawn in `data-graph-nodes` / `data-graph-edges` on the
 * block. Labels are not vis-network's: after each frame this file draws them itself at a fixed
 * screen size, the most connected first, each only where its box meets no label already drawn
 * (`placeLabels`), and writes `data-labels-visible` / `data-labels-overlapping`. Nor are the
 * explorer's edges: it has thousands, which this file strokes before vis-network draws the
 * dots (`links`, `ExplorerGraph.prototype.beforeDrawing`). Hovering a node
 * (or selecting it with the keyboard) dims everything but it, its neighbours and their edges.
 * A block that cannot be drawn (broken data, a failed fetch, vis-network missing) shows a line
 * of text in its box instead and carries the reason in `data-graph-error`; the page's other
 * graphs draw anyway.
 * Whatever waits (a fetch, a data load) checks on waking that its graph is still on the page.
 * vis-network (469 KB) is fetched only by a page that has a graph block, once, from beside this
 * file: every page loads this small script, only graph pages pay for the drawing library.
 *
 * Contributor text never becomes HTML here: names and summaries are set with textContent, and
 * no node carries a vis-network `title` (which vis-network would render as HTML).
 */
(function () {
  "use strict";

  // Where vis-network lives: beside this script (its URL is only known while it first runs).
  const OWN_SRC = document.currentScript ? document.currentScript.src : "";
  const VIS_SRC = OWN_SRC.replace(/graph\.js(\?.*)?$/, "vis-network.min.js");
  let visLoading = null;

  /* vis-network, loaded once, when a page first needs it. */
  function loadVis() {
    if (typeof window.vis !== "undefined") {
      return Promise.resolve();
    }
    if (visLoading === null) {
      visLoading = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = VIS_SRC;
        script.onload = function () {
          if (typeof window.vis === "undefined") {
            reject(new Error("vis-network did not load"));
          } else {
            resolve();
          }
        };
        script.onerror = function () {
          visLoading = null; // a later page may try again
          reject(new Error("vis-network did not load"));
        };
        document.head.appendChild(script);
      });
    }
    return visLoading;
  }

  const EDGE_KINDS = ["cross", "same", "related"];
  const NETWORK_NODE_FIELDS = ["id", "x", "y", "size", "color", "borderWidth"];
  const DASHES = { cross: false, same: [8, 5], related: [2, 4] };
  const OTHER = "#999999";
  // The explorer's edges are fainter than an entry page's: thousands of them cross.
  const EXPLORER_EDGE_OPACITY = 0.45;
  // Labels are drawn at a fixed screen size, whatever the zoom: 13 CSS px, 12 in a narrow box
  // (a phone). LABEL_CELL is the side of the grid that finds a label's possible neighbours.
  const LABEL_PX = 13;
  const LABEL_PX_NARROW = 12;
  const NARROW = 600;
  const LABEL_GAP = 3;
  const LABEL_CELL = 96;
  // How much of the background covers what is not in the hovered neighbourhood.
  const DIM = 0.78;
  // Shown in a graph's own box when it cannot be drawn; the page's lists stay the text version.
  const FAILED = {
    entry: "This graph could not be drawn; the lists below carry the same links.",
    explorer: "This graph could not be drawn; every entry page lists the same links.",
  };

  let instances = [];
  const dataCache = new Map(); // absolute URL -> Promise of parsed JSON

  function reducedMotion() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function animation(duration) {
    return reducedMotion() ? false : { duration: duration, easingFunction: "easeInOutQuad" };
  }

  function cssVar(element, name, fallback) {
    const value = getComputedStyle(element).getPropertyValue(name).trim();
    return value || fallback;
  }

  /* Colours of the current scheme, read from CSS custom properties (graph.css sets them for
     Material's light `default` and dark `slate` schemes). */
  function palette(element) {
    return {
      fg: cssVar(element, "--mma-graph-fg", "#1f2328"),
      bg: cssVar(element, "--mma-graph-bg", "#ffffff"),
      cross: cssVar(element, "--mma-graph-edge-cross", "#0072b2"),
      same: cssVar(element, "--mma-graph-edge-same", "#009e73"),
      related: cssVar(element, "--mma-graph-edge-related", "#8a6d9e"),
    };
  }

  function loadJSON(url) {
    const absolute = new URL(url, window.location.href).href;
    if (!dataCache.has(absolute)) {
      const promise = fetch(absolute, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status + " for " + absolute);
        }
        return response.json().then(function (data) {
          return { data: data, url: response.url || absolute };
        });
      });
      promise.catch(function () {
        dataCache.delete(absolute);
      });
      dataCache.set(absolute, promise);
    }
    return dataCache.get(absolute);
  }

  /* The data of one graph, or an error that names what is missing (the reason the block then
     carries in data-graph-error). */
  function graphData(data, where) {
    const ok =
      data !== null &&
      typeof data === "object" &&
      Array.isArray(data.nodes) &&
      Array.isArray(data.edges) &&
      data.nodes.every(function (node) {
        return node !== null && typeof node === "object" && typeof node.id === "string";
      });
    if (!ok) {
      throw new Error(where + " is not graph data: nodes and edges lists, every node with an id");
    }
    return data;
  }

  function hrefFor(template, slug, base) {
    return new URL(template.split("{slug}").join(encodeURIComponent(slug)), base).href;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /* ------------------------------------------------------------------------------------- */

  function Graph(container) {
    this.container = container;
    this.mode = container.getAttribute("data-graph");
    this.canvas = container.querySelector(".mma-graph__canvas");
    this.status = container.querySelector(".mma-graph__status");
    this.hrefs = new Map();
    this.info = new Map(); // id -> {label, summary, kind, domain}
    this.colourBy = "kind";
    this.legend = { kind: [], domain: [] };
    this.filters = {};
    this.selected = null;
    this.hover = null;
    this.network = null;
    this.labelWidths = new Map(); // "size|text" -> width in CSS px
    this.labelStats = { visible: 0, overlapping: 0, ms: 0 };
    this.destroyed = false;
    this.listeners = [];
    this.visible = null; // null: every node is shown; else the Set of ids shown
    this.tooltip = this.makeTooltip();
  }

  /* Whether this graph is still on the page: after any wait (a fetch, a data load) the page
     may have moved on (instant navigation destroys the graph, other code may remove the
     block), and the code after the wait must then stop without touching anything. */
  Graph.prototype.alive = function () {
    return !this.destroyed && this.container.isConnected;
  };

  /* Give up on this graph alone: free what was built, say so inside its own box, and mark the
     block with `data-graph-error` (the reason), so the page's other graphs still draw. A graph
     already gone from the page fails quietly. */
  Graph.prototype.fail = function (error) {
    if (!this.alive()) {
      return;
    }
    const reason = error instanceof Error ? error.name + ": " + error.message : String(error);
    // Not console.error: the page handled it, and the reason stays in the attribute.
    console.warn("Mental Model Atlas: a graph could not be drawn:", error);
    this.destroy();
    this.container.setAttribute("data-graph-error", reason);
    this.container.removeAttribute("data-graph-ready");
    // The box no longer holds an interactive drawing: no tab stop, no application role, no
    // label that promises arrow keys; its text is the message.
    const box = this.canvas || this.container;
    box.removeAttribute("tabindex");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
    const message = element("p", "mma-graph__error", FAILED[this.mode] || FAILED.entry);
    if (this.canvas) {
      this.canvas.replaceChildren(message);
    } else {
      this.container.appendChild(message);
    }
    this.say("");
  };

  Graph.prototype.listen = function (target, type, handler) {
    target.addEventListener(type, handler);
    this.listeners.push([target, type, handler]);
  };

  Graph.prototype.makeTooltip = function () {
    const tip = element("div", "mma-graph__tooltip");
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.appendChild(element("strong", "mma-graph__tooltip-name"));
    tip.appendChild(element("span", "mma-graph__tooltip-meta"));
    tip.appendChild(element("span", "mma-graph__tooltip-summary"));
    this.container.appendChild(tip);
    return tip;
  };

  Graph.prototype.describe = function (id) {
    const info = this.info.get(id) || { label: id, summary: "", kind: "", domain: "" };
    const meta = [info.kindLabel || info.kind, info.domain ? info.domain.replace(/-/g, " ") : ""]
      .filter(Boolean)
      .join(" · ");
    return { name: info.label, meta: meta, summary: info.summary };
  };

  /* The tooltip of a node, beside the pointer (or, from the keyboard, beside the node), on
     whichever side keeps it inside the box and off the node itself. */
  Graph.prototype.showTooltip = function (id, pointer) {
    if (!this.network || !this.nodes.get(id)) {
      return;
    }
    const text = this.describe(id);
    const tip = this.tooltip;
    tip.children[0].textContent = text.name;
    tip.children[1].textContent = text.meta;
    tip.children[2].textContent = text.summary;
    const position = this.network.getPositions([id])[id];
    if (!position) {
      return;
    }
    const centre = this.network.canvasToDOM(position);
    const body = this.network.body.nodes[id];
    const size = body && body.options ? body.options.size || 10 : 10;
    const radius = size * this.network.getScale() + 6;
    const node = {
      left: centre.x - radius,
      right: centre.x + radius,
      top: centre.y - radius,
      bottom: centre.y + radius,
    };
    const at = pointer || centre;
    tip.hidden = false;
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const boxWidth = this.canvas.clientWidth;
    const boxHeight = this.canvas.clientHeight;
    const right = Math.max(at.x, node.right) + 12;
    const left = Math.min(at.x, node.left) - 12 - width;
    const below = Math.max(at.y + 16, node.top);
    const above = Math.min(at.y - 16, node.bottom) - height;
    const candidates = [
      [right, below],
      [right, above],
      [left, below],
      [left, above],
      [right, at.y - height / 2],
      [left, at.y - height / 2],
      [left, below + 40],
      [left, above - 40],
      [right, below + 40],
      [right, above - 40],
      [at.x - width / 2, node.bottom + 12],
      [at.x - width / 2, node.top - 12 - height],
    ];
    const fits = function (c) {
      return c[0] >= 0 && c[1] >= 0 && c[0] + width <= boxWidth && c[1] + height <= boxHeight;
    };
    const clear = function (c) {
      return (
        c[0] >= node.right ||
        c[0] + width <= node.left ||
        c[1] >= node.bottom ||
        c[1] + height <= node.top
      );
    };
    // Of the places that fit and leave the node clear, the one that hides the least of the
    // labels drawn (the hovered neighbourhood's, while one is hovered).
    const drawn = this.drawnBoxes || [];
    const hidden = function (c) {
      let area = 0;
      drawn.forEach(function (b) {
        const w = Math.min(c[0] + width, b.r) - Math.max(c[0], b.l);
        const h = Math.min(c[1] + height, b.b) - Math.max(c[1], b.t);
        if (w > 0 && h > 0) {
          area += w * h;
        }
      });
      return area;
    };
    let chosen = null;
    let least = Infinity;
    candidates.forEach(function (c) {
      if (fits(c) && clear(c)) {
        const area = hidden(c);
        if (area < least) {
          least = area;
          chosen = c;
        }
      }
    });
    if (!chosen) {
      // A box too small for any side: keep it inside, and off the node where it can be.
      chosen = candidates.find(clear) || candidates[0];
      chosen = [
        Math.min(Math.max(0, chosen[0]), Math.max(0, boxWidth - width)),
        Math.min(Math.max(0, chosen[1]), Math.max(0, boxHeight - height)),
      ];
    }
    const canvasBox = this.canvas.getBoundingClientRect();
    const containerBox = this.container.getBoundingClientRect();
    tip.style.left = canvasBox.left - containerBox.left + chosen[0] + "px";
    tip.style.top = canvasBox.top - containerBox.top + chosen[1] + "px";
  };

  Graph.prototype.hideTooltip = function () {
    this.tooltip.hidden = true;
  };

  Graph.prototype.say = function (text) {
    if (this.status) {
      this.status.textContent = text;
    }
  };

  Graph.prototype.addInfo = function (node, base, template, kindLabels) {
    this.info.set(node.id, {
      label: node.label || node.id,
      summary: node.summary || "",
      kind: node.kind || "",
      kindLabel: kindLabels[node.kind] || node.kind || "",
      domain: node.domain || "",
    });
    this.hrefs.set(node.id, hrefFor(template, node.id, base));
  };

  /* Build the network from plain data. `nodes` and `edges` are the pyvis lists. */
  Graph.prototype.draw = function (data, base) {
    const self = this;
    this.data = data;
    this.legend = data.legend || { kind: [] };
    const kindLabels = {};
    (this.legend.kind || []).forEach(function (item) {
      kindLabels[item.key] = item.label;
    });
    this.kindLabels = kindLabels;
    data.nodes.forEach(function (node) {
      self.addInfo(node, base, data.entryUrl, kindLabels);
    });
    this.order = data.nodes.map(function (node) {
      return node.id;
    });
    const colours = palette(this.container);
    this.nodes = new vis.DataSet(
      data.nodes.map(function (node) {
        // No `label`: vis-network would draw it at the zoom's scale; placeLabels draws it.
        const item = {
          id: node.id,
          name: node.label || node.id,
          x: node.x,
          y: node.y,
          size: node.size,
          depth: node.depth || 0,
          kind: node.kind,
          domain: node.domain,
          family: node.family || "",
          patterns: node.patterns || [],
          relations: node.relations || [],
          structure: node.structure || [],
          borderWidth: node.borderWidth,
        };
        item.color = self.nodeColour(item, colours);
        return item;
      })
    );
    this.edges = new vis.DataSet(
      data.edges.map(function (edge, index) {
        return self.edgeStyle(
          {
            id: "e" + index,
            from: edge.from,
            to: edge.to,
            kind: edge.kind,
            score: edge.score,
            width: edge.width,
          },
          colours
        );
      })
    );
    this.visible = this.filtered();
    this.nodeView = new vis.DataView(this.nodes, {
      // vis-network copies every field of a node into its own options; the rest (names,
      // tags, depth) are ours, read from this.nodes.
      fields: NETWORK_NODE_FIELDS,
      filter: function (node) {
        return self.visible === null || self.visible.has(node.id);
      },
    });
    this.edgeView = new vis.DataView(this.edges, {
      filter: function (edge) {
        return (
          self.visible === null || (self.visible.has(edge.from) && self.visible.has(edge.to))
        );
      },
    });
    const options = Object.assign({}, data.options);
    options.autoResize = true;
    options.nodes = Object.assign({}, options.nodes);
    options.nodes.font = Object.assign({}, options.nodes.font, {
      color: colours.fg,
      strokeColor: colours.bg,
    });
    this.colours = colours;
    this.fontFamily = getComputedStyle(this.container).fontFamily || "sans-serif";
    this.degree = new Map();
    this.countDegrees(data.edges);
    this.network = new vis.Network(
      this.canvas,
      { nodes: this.nodeView, edges: this.networkEdges() },
      options
    );
    this.network.on("beforeDrawing", function (ctx) {
      self.frameStart = performance.now();
      self.beforeDrawing(ctx);
    });
    this.network.on("afterDrawing", function (ctx) {
      self.afterDrawing(ctx);
    });
    // One tab stop per graph: ours, which owns the keyboard; vis-network's frame makes itself
    // focusable too, which would add a second, silent stop.
    const frame = this.canvas.querySelector(".vis-network");
    if (frame) {
      frame.setAttribute("tabindex", "-1");
    }
    const canvas = this.canvas.querySelector("canvas");
    if (canvas) {
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", this.canvas.getAttribute("aria-label") || "graph");
    }
    this.network.on("hoverNode", function (params) {
      self.pointer = params.pointer ? params.pointer.DOM : null;
      self.setHover(params.node);
      self.showTooltip(params.node, self.pointer);
    });
    this.network.on("blurNode", function () {
      self.setHover(null);
      if (self.selected === null) {
        self.hideTooltip();
      } else {
        self.showTooltip(self.selected);
      }
    });
    // The tooltip follows the pointer across the hovered node.
    this.listen(this.canvas, "mousemove", function (event) {
      if (self.hover !== null && self.network) {
        const box = self.canvas.getBoundingClientRect();
        self.showTooltip(self.hover, { x: event.clientX - box.left, y: event.clientY - box.top });
      }
    });
    this.listen(this.canvas, "mouseleave", function () {
      if (self.hover !== null) {
        self.setHover(null);
        self.hideTooltip();
      }
    });
    ["dragStart", "zoom"].forEach(function (event) {
      self.network.on(event, function () {
        self.hideTooltip();
      });
    });
    this.network.on("click", function (params) {
      if (params.nodes.length) {
        self.open(params.nodes[0]);
      }
    });
    this.listen(this.canvas, "keydown", function (event) {
      self.onKey(event);
    });
    this.listen(this.canvas, "blur", function () {
      self.hideTooltip();
    });
    this.fit();
    this.afterChange();
  };

  /* Start downloading what `start` will wait for (an entry page has its data inline). */
  Graph.prototype.prefetch = function () {};

  /* The nodes to show when the network is built: all of them (null). */
  Graph.prototype.filtered = function () {
    return null;
  };

  /* The edges vis-network draws: on an entry page all of them, dashed by kind (a few dozen). */
  Graph.prototype.networkEdges = function () {
    return this.edgeView;
  };

  /* Called with vis-network's context, view transform set, before it draws edges and dots. */
  Graph.prototype.beforeDrawing = function () {};

  /* Draw the edges among `lit` again (over the dimmed frame), as vis-network drew them. */
  Graph.prototype.drawLitEdges = function (ctx, lit) {
    const body = this.network.body;
    const drawn = new Set();
    lit.forEach(function (id) {
      (body.nodes[id].edges || []).forEach(function (edge) {
        const inside = lit.has(edge.fromId) && lit.has(edge.toId);
        if (inside && !drawn.has(edge.id) && body.edges[edge.id]) {
          drawn.add(edge.id);
          edge.draw(ctx);
        }
      });
    });
  };

  /* ----------------------------------------------------------------------------------- */
  /* Labels and the hovered neighbourhood, drawn over vis-network's frame. */

  Graph.prototype.countDegrees = function (edges) {
    const degree = this.degree;
    edges.forEach(function (edge) {
      degree.set(edge.from, (degree.get(edge.from) || 0) + 1);
      degree.set(edge.to, (degree.get(edge.to) || 0) + 1);
    });
    this.ranked = null;
  };

  /* Every node, the one whose label matters most first: on an entry page the entry, then its
     neighbours, then theirs; within that, the most links first, then by slug. */
  Graph.prototype.rankedIds = function () {
    if (this.ranked === null || this.ranked === undefined) {
      const degree = this.degree;
      const depth = new Map();
      this.nodes.forEach(function (node) {
        depth.set(node.id, node.depth || 0);
      });
      this.ranked = this.nodes.getIds().sort(function (a, b) {
        return (
          depth.get(a) - depth.get(b) ||
          (degree.get(b) || 0) - (degree.get(a) || 0) ||
          (a < b ? -1 : a > b ? 1 : 0)
        );
      });
    }
    return this.ranked;
  };

  /* A drawn node and the drawn nodes it links to. */
  Graph.prototype.neighbourhood = function (id) {
    const body = this.network.body;
    const members = new Set([id]);
    (body.nodes[id].edges || []).forEach(function (edge) {
      const other = edge.fromId === id ? edge.toId : edge.fromId;
      if (body.nodes[other] && body.edges[edge.id]) {
        members.add(other);
      }
    });
    return members;
  };

  Graph.prototype.setHover = function (id) {
    if (this.hover === id) {
      return;
    }
    this.hover = id;
    if (id === null) {
      this.container.removeAttribute("data-graph-hover");
    } else {
      this.container.setAttribute("data-graph-hover", id);
    }
    if (this.network) {
      this.network.redraw();
    }
  };

  Graph.prototype.pixelRatio = function () {
    return (this.network.canvas && this.network.canvas.pixelRatio) || window.devicePixelRatio || 1;
  };

  /* vis-network has drawn its frame (edges and dots, no labels): dim what is outside the
     hovered or selected neighbourhood, then place and draw the labels. */
  Graph.prototype.afterDrawing = function (ctx) {
    if (!this.network) {
      return;
    }
    const start = performance.now();
    const focus = this.hover !== null ? this.hover : this.selected;
    let lit = null;
    if (focus !== null && this.network.body.nodes[focus]) {
      lit = this.neighbourhood(focus);
      this.dim(ctx, lit);
    }
    this.placeLabels(ctx, lit, focus);
    const end = performance.now();
    this.labelStats.ms = end - start;
    this.labelStats.frameMs = end - (this.frameStart || start);
    this.labelStats.dimmed = lit ? this.network.body.nodeIndices.length - lit.size : 0;
  };

  /* Cover the frame with the background, nearly opaque, and draw the neighbourhood's edges and
     dots again on top (vis-network's own drawing of each, so they look as before). */
  Graph.prototype.dim = function (ctx, lit) {
    const body = this.network.body;
    const frame = this.network.canvas.frame.canvas;
    const ratio = this.pixelRatio();
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.globalAlpha = DIM;
    ctx.fillStyle = this.colours.bg;
    ctx.fillRect(0, 0, frame.clientWidth, frame.clientHeight);
    ctx.restore();
    this.drawLitEdges(ctx, lit);
    lit.forEach(function (id) {
      body.nodes[id].draw(ctx);
    });
  };

  Graph.prototype.labelWidth = function (ctx, size, text) {
    const key = size + "|" + text;
    let width = this.labelWidths.get(key);
    if (width === undefined) {
      width = ctx.measureText(text).width;
      this.labelWidths.set(key, width);
    }
    return width;
  };

  /* Which labels show at this zoom, and drawing them. In order of importance (the focused node
     and its neighbours only, while one is hovered or selected), each label goes under its dot,
     else above, right or left of it, at a fixed screen size, if its box lies inside the canvas
     and meets no box placed before it (nor the explorer's panel); a grid of LABEL_CELL squares
     finds the boxes it could meet. Zooming in spreads the dots
     and so lets more labels in. The container then says how many were drawn and how many pairs
     of drawn boxes meet (measured from the boxes themselves, so a bug here shows there). */
  Graph.prototype.placeLabels = function (ctx, lit, focus) {
    const network = this.network;
    const body = network.body;
    const view = body.view;
    const scale = view.scale;
    const tx = view.translation.x;
    const ty = view.translation.y;
    const frame = network.canvas.frame.canvas;
    const width = frame.clientWidth;
    const height = frame.clientHeight;
    const size = width < NARROW ? LABEL_PX_NARROW : LABEL_PX;
    const lineHeight = Math.ceil(size * 1.3);
    const ratio = this.pixelRatio();
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = size + "px " + this.fontFamily;
    const grid = new Map();
    const boxes = [];
    const meets = function (p, q) {
      return p.l < q.r && q.l < p.r && p.t < q.b && q.t < p.b;
    };
    // The keys of the grid's squares a box touches.
    const cellsOf = function (box) {
      const keys = [];
      const c1 = Math.floor(box.r / LABEL_CELL);
      const r1 = Math.floor(box.b / LABEL_CELL);
      for (let c = Math.floor(box.l / LABEL_CELL); c <= c1; c += 1) {
        for (let r = Math.floor(box.t / LABEL_CELL); r <= r1; r += 1) {
          keys.push(c * 65536 + r);
        }
      }
      return keys;
    };
    const free = function (box) {
      return cellsOf(box).every(function (key) {
        const cell = grid.get(key);
        return !cell || !cell.some(function (other) {
          return meets(box, other);
        });
      });
    };
    const take = function (box) {
      cellsOf(box).forEach(function (key) {
        if (!grid.has(key)) {
          grid.set(key, []);
        }
        grid.get(key).push(box);
      });
    };
    const self = this;
    const dotOf = function (id) {
      const node = body.nodes[id];
      const x = node.x * scale + tx;
      const y = node.y * scale + ty;
      const radius = (node.options.size || 10) * scale;
      return { x: x, y: y, radius: radius };
    };
    // The explorer's panel lies over the canvas: no label goes under it.
    const panel = this.container.querySelector(".mma-graph__panel");
    if (panel) {
      const box = panel.getBoundingClientRect();
      const origin = frame.getBoundingClientRect();
      take({
        l: box.left - origin.left - 4,
        r: box.right - origin.left + 4,
        t: box.top - origin.top - 4,
        b: box.bottom - origin.top + 4,
      });
    }
    const order = this.rankedIds();
    const first = [];
    if (focus !== null && body.nodes[focus]) {
      first.push(focus);
    }
    // Under the dot, else above it, else to its right or left.
    const spots = [
      function (dot, half) {
        const top = dot.y + dot.radius + LABEL_GAP;
        return { l: dot.x - half, r: dot.x + half, t: top, b: top + lineHeight };
      },
      function (dot, half) {
        const bottom = dot.y - dot.radius - LABEL_GAP;
        return { l: dot.x - half, r: dot.x + half, t: bottom - lineHeight, b: bottom };
      },
      function (dot, half) {
        const left = dot.x + dot.radius + LABEL_GAP;
        const top = dot.y - lineHeight / 2;
        return { l: left, r: left + 2 * half, t: top, b: top + lineHeight };
      },
      function (dot, half) {
        const right = dot.x - dot.radius - LABEL_GAP;
        const top = dot.y - lineHeight / 2;
        return { l: right - 2 * half, r: right, t: top, b: top + lineHeight };
      },
    ];
    // A label goes only where neither it nor its own dot meets a label or a labelled dot
    // already placed: every labelled dot stays in sight; an unlabelled one may lie under a
    // label (far out on a large catalogue the dots are packed too close for anything else).
    const consider = function (id) {
      if (!body.nodes[id] || (lit && !lit.has(id))) {
        return;
      }
      const dot = dotOf(id);
      if (dot.x < 0 || dot.x > width || dot.y < 0 || dot.y > height) {
        return;
      }
      const r = Math.max(dot.radius, 2);
      const own = { l: dot.x - r, r: dot.x + r, t: dot.y - r, b: dot.y + r };
      if (!free(own)) {
        return;
      }
      const text = (self.info.get(id) || { label: id }).label;
      const half = self.labelWidth(ctx, size, text) / 2 + 2;
      for (let k = 0; k < spots.length; k += 1) {
        const box = spots[k](dot, half);
        if (box.l >= 0 && box.t >= 0 && box.r <= width && box.b <= height && free(box)) {
          box.text = text;
          box.id = id;
          take(box);
          take(own);
          boxes.push(box);
          return;
        }
      }
    };
    first.forEach(consider);
    // The focused dot stays clear of every label, its own placed or not.
    first.forEach(function (id) {
      const dot = dotOf(id);
      const r = Math.max(dot.radius, 2);
      take({ l: dot.x - r, r: dot.x + r, t: dot.y - r, b: dot.y + r });
    });
    for (let i = 0; i < order.length; i += 1) {
      if (order[i] !== focus) {
        consider(order[i]);
      }
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    // (box.l + box.r) / 2: the box may sit beside its dot rather than under it.
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = this.colours.bg;
    ctx.fillStyle = this.colours.fg;
    const pad = Math.round((lineHeight - size) / 2);
    boxes.forEach(function (box) {
      ctx.strokeText(box.text, (box.l + box.r) / 2, box.t + pad);
    });
    boxes.forEach(function (box) {
      ctx.fillText(box.text, (box.l + box.r) / 2, box.t + pad);
    });
    ctx.restore();
    let overlapping = 0;
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        if (meets(boxes[i], boxes[j])) {
          overlapping += 1;
        }
      }
    }
    this.drawnBoxes = boxes;
    this.labelStats.visible = boxes.length;
    this.labelStats.overlapping = overlapping;
    this.labelStats.size = size;
    this.report("data-labels-visible", boxes.length);
    this.report("data-labels-overlapping", overlapping);
  };

  Graph.prototype.report = function (name, value) {
    const text = String(value);
    if (this.container.getAttribute(name) !== text) {
      this.container.setAttribute(name, text);
    }
  };

  /* The part of the canvas the drawing may fill, in CSS px from its top left: room is left at
     the sides and below for labels, and, on a wide explorer, beside its open panel. */
  Graph.prototype.region = function () {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const side = this.mode === "entry" ? Math.min(70, width / 6) : Math.min(40, width / 12);
    const region = { l: side, r: width - side, t: 16, b: height - 30 };
    const panel = this.container.querySelector(".mma-graph__panel--open");
    if (panel && width >= 900) {
      const box = panel.getBoundingClientRect();
      region.l = Math.max(region.l, box.right - this.canvas.getBoundingClientRect().left + 16);
    }
    return region;
  };

  /* Show every drawn node in `region()`. Not vis-network's fit: it knows nothing of the labels
     (they are not its own any more) nor of the panel. */
  Graph.prototype.fit = function () {
    if (!this.network) {
      return;
    }
    const positions = this.network.getPositions(this.network.body.nodeIndices);
    const ids = Object.keys(positions);
    if (!ids.length) {
      return;
    }
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    let radius = 0;
    const body = this.network.body;
    ids.forEach(function (id) {
      const p = positions[id];
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
      radius = Math.max(radius, (body.nodes[id] && body.nodes[id].options.size) || 10);
    });
    const region = this.region();
    const width = Math.max(region.r - region.l, 40);
    const height = Math.max(region.b - region.t, 40);
    // A graph of two or three nodes would otherwise be blown up to fill the canvas.
    const scale = Math.min(
      1.25,
      width / (maxX - minX + 2 * radius || 1),
      height / (maxY - minY + 2 * radius || 1)
    );
    this.network.moveTo({
      position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 },
      scale: scale,
      offset: {
        x: (region.l + region.r) / 2 - this.canvas.clientWidth / 2,
        y: (region.t + region.b) / 2 - this.canvas.clientHeight / 2,
      },
      animation: false,
    });
  };

  /* Count what is drawn once the frame is on the canvas, and publish it. */
  Graph.prototype.afterChange = function () {
    const self = this;
    const publish = function () {
      self.container.setAttribute("data-graph-nodes", String(self.nodeView.length));
      self.container.setAttribute("data-graph-edges", String(self.edgeView.length));
      if (!self.container.hasAttribute("data-graph-ready")) {
        self.container.setAttribute("data-graph-ready", "true");
        // Time to first draw, read by the benchmarks through the Performance API.
        performance.mark("mma-graph-drawn:" + self.mode);
      }
    };
    this.network.once("afterDrawing", publish);
    this.network.redraw();
  };

  Graph.prototype.nodeColour = function (node, colours) {
    let fill = OTHER;
    const items = this.legend[this.colourBy] || [];
    // The data's attribute of the same name: kind, domain or (on the explorer) family.
    const key = node[this.colourBy] || "";
    for (let i = 0; i < items.length; i += 1) {
      if (items[i].key === key) {
        fill = items[i].color;
        break;
      }
      if (items[i].key === "*") {
        fill = items[i].color;
      }
    }
    const focus = this.mode === "entry" && node.depth === 0;
    return {
      background: fill,
      border: focus ? colours.fg : colours.bg,
      highlight: { background: fill, border: colours.fg },
      hover: { background: fill, border: colours.fg },
    };
  };

  /* An edge's look from its kind: the scheme's colour, and on entry pages a dash pattern. The
     explorer draws solid, fainter lines: dashed lines cost five times as much to draw, which
     at 20,000 edges is the difference between a still and a sluggish first frame. */
  Graph.prototype.edgeStyle = function (edge, colours) {
    const colour = colours[edge.kind] || colours.related;
    if (this.mode === "entry") {
      edge.dashes = DASHES[edge.kind] === undefined ? DASHES.related : DASHES[edge.kind];
    }
    // On an entry page the entry's own links stand out; links among its neighbours recede.
    const own = this.mode === "entry" && (edge.from === this.data.focus || edge.to === this.data.focus);
    edge.color = {
      color: colour,
      highlight: colour,
      hover: colour,
      opacity: this.mode === "explorer" ? EXPLORER_EDGE_OPACITY : own ? 0.95 : 0.3,
    };
    return edge;
  };

  /* Apply the scheme's colours: label text, node borders, edge colours by kind. */
  Graph.prototype.restyle = function (withNetwork) {
    const self = this;
    const colours = palette(this.container);
    this.colours = colours;
    this.nodes.update(
      this.nodes.get().map(function (node) {
        return { id: node.id, color: self.nodeColour(node, colours) };
      })
    );
    this.edges.update(
      this.edges.get().map(function (edge) {
        return self.edgeStyle({ id: edge.id, kind: edge.kind, from: edge.from, to: edge.to }, colours);
      })
    );
    if (withNetwork && this.network) {
      this.network.setOptions({
        nodes: { font: { color: colours.fg, strokeColor: colours.bg } },
      });
    }
  };

  Graph.prototype.visibleOrder = function () {
    const self = this;
    return this.order.filter(function (id) {
      return self.visible === null || self.visible.has(id);
    });
  };

  Graph.prototype.select = function (id, options) {
    const settings = options || {};
    if (!this.nodes.get(id)) {
      return false;
    }
    this.selected = id;
    this.network.selectNodes([id]);
    this.network.redraw();
    this.container.setAttribute("data-graph-selected", id);
    if (settings.zoom) {
      const scale = Math.max(this.network.getScale(), 1.2);
      this.network.focus(id, { scale: scale, animation: animation(300) });
    }
    const self = this;
    const show = function () {
      self.showTooltip(id);
    };
    if (settings.zoom && !reducedMotion()) {
      this.network.once("animationFinished", show);
    } else {
      show();
    }
    const text = this.describe(id);
    this.say(text.name + (text.meta ? " (" + text.meta + ")" : "") + ": " + (text.summary || ""));
    this.showDetails(id);
    return true;
  };

  Graph.prototype.showDetails = function () {};

  Graph.prototype.open = function (id) {
    const href = this.hrefs.get(id);
    if (!href || (this.mode === "entry" && id === this.data.focus)) {
      return;
    }
    window.location.assign(href);
  };

  Graph.prototype.onKey = function (event) {
    const order = this.visibleOrder();
    if (!order.length) {
      return;
    }
    let index = this.selected === null ? -1 : order.indexOf(this.selected);
    switch (event.key) {
      case "ArrowRight":
      case "ArrowDown":
        index = (index + 1) % order.length;
        break;
      case "ArrowLeft":
      case "ArrowUp":
        index = index <= 0 ? order.length - 1 : index - 1;
        break;
      case "Home":
        index = 0;
        break;
      case "End":
        index = order.length - 1;
        break;
      case "Enter":
        if (this.selected !== null) {
          event.preventDefault();
          this.open(this.selected);
        }
        return;
      case "Escape":
        this.selected = null;
        this.network.unselectAll();
        this.network.redraw();
        this.container.removeAttribute("data-graph-selected");
        this.hideTooltip();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.select(order[index], { zoom: this.mode === "explorer" });
  };

  Graph.prototype.destroy = function () {
    this.destroyed = true;
    this.listeners.forEach(function (item) {
      item[0].removeEventListener(item[1], item[2]);
    });
    this.listeners = [];
    if (this.network) {
      this.network.destroy();
      this.network = null;
    }
    if (this.tooltip.parentNode) {
      this.tooltip.parentNode.removeChild(this.tooltip);
    }
  };

  /* ------------------------------------------------------------------------------------- */
  /* Entry page: inline data, depth 2 on demand from the explorer data. */

  function EntryGraph(container) {
    Graph.call(this, container);
    this.depth = 1;
    this.deep = null; // Promise once depth 2 was asked for
  }
  EntryGraph.prototype = Object.create(Graph.prototype);

  EntryGraph.prototype.start = function () {
    const self = this;
    // The data is `[data]`. Material's instant navigation replaces the element with a plain
    // script of the same text (dropping its type and class), hence the bare selector.
    const script = this.container.querySelector("script");
    if (!script) {
      throw new Error("the graph block has no data script");
    }
    const parsed = JSON.parse(script.textContent);
    const data = graphData(Array.isArray(parsed) ? parsed[0] : parsed, "the inline data");
    // The ring is laid out wider than tall; in a narrow canvas (a phone held upright) a round
    // ring uses the space better and keeps the labels apart.
    const aspect = data.ringAspect || 1;
    if (aspect !== 1 && this.canvas.clientWidth < this.canvas.clientHeight * 1.3) {
      data.nodes.forEach(function (node) {
        node.x = node.x / aspect;
      });
    }
    this.draw(data, window.location.href);
    this.setVisible(1);
    const button = this.container.querySelector(".mma-graph__depth");
    if (button) {
      this.listen(button, "click", function () {
        self.toggleDepth(button);
      });
    }
    const fit = this.container.querySelector(".mma-graph__fit");
    if (fit) {
      this.listen(fit, "click", function () {
        self.fit();
      });
    }
  };

  EntryGraph.prototype.setVisible = function (depth) {
    this.depth = depth;
    const visible = new Set();
    this.nodes.forEach(function (node) {
      if (node.depth <= depth) {
        visible.add(node.id);
      }
    });
    this.visible = visible;
    this.nodeView.refresh();
    this.edgeView.refresh();
    this.fit();
    this.afterChange();
  };

  EntryGraph.prototype.toggleDepth = function (button) {
    const self = this;
    const want = this.depth === 1 ? 2 : 1;
    const done = function () {
      self.setVisible(want);
      button.setAttribute("aria-pressed", want === 2 ? "true" : "false");
      button.textContent = want === 2 ? "Show depth 1 only" : "Show depth 2";
      const count = self.nodeView.length - 1;
      self.say("Showing " + count + " connected entries at depth " + want + ".");
    };
    if (want === 1) {
      done();
      return;
    }
    if (!this.deep) {
      this.say("Loading the wider neighbourhood…");
      this.deep = loadJSON(this.data.explorerUrl).then(function (result) {
        if (self.alive()) {
          self.addDepthTwo(result.data, result.url);
        }
      });
      this.deep.catch(function () {
        self.deep = null;
      });
    }
    this.deep
      .then(
        function () {
          if (self.alive()) {
            done();
          }
        },
        function () {
          if (self.alive()) {
            self.say("The wider neighbourhood could not be loaded.");
          }
        }
      )
      .catch(function (error) {
        self.fail(error);
      });
  };

  /* Add the neighbours of the neighbours from the whole graph, on an outer ring, each group
     of new nodes next to the first inner node (clockwise) that links to it. */
  EntryGraph.prototype.addDepthTwo = function (full, base) {
    const self = this;
    graphData(full, this.data.explorerUrl);
    const byId = new Map();
    full.nodes.forEach(function (node) {
      byId.set(node.id, node);
    });
    const adjacent = new Map();
    full.edges.forEach(function (edge) {
      [
        [edge.from, edge.to],
        [edge.to, edge.from],
      ].forEach(function (pair) {
        if (!adjacent.has(pair[0])) {
          adjacent.set(pair[0], []);
        }
        adjacent.get(pair[0]).push(pair[1]);
      });
    });
    const inner = this.order.slice();
    const present = new Set(inner);
    const parent = new Map();
    inner.forEach(function (id, index) {
      (adjacent.get(id) || []).forEach(function (other) {
        if (!present.has(other) && !parent.has(other) && byId.has(other)) {
          parent.set(other, index);
        }
      });
    });
    const outer = Array.from(parent.keys()).sort(function (a, b) {
      return parent.get(a) - parent.get(b) || (a < b ? -1 : a > b ? 1 : 0);
    });
    let radius = 0;
    this.nodes.forEach(function (node) {
      radius = Math.max(radius, Math.hypot(node.x, node.y));
    });
    const outerRadius = Math.max(2 * radius, (outer.length * 70) / (2 * Math.PI));
    const ringSize = Math.max(inner.length - 1, 1);
    const added = outer.map(function (id, k) {
      // Rotate the outer ring so each group sits roughly outside its inner parent.
      const shift = (2 * Math.PI * 0.5) / ringSize;
      const angle = -Math.PI / 2 - shift + (2 * Math.PI * (k + 0.5)) / outer.length;
      const node = byId.get(id);
      self.addInfo(node, base, full.entryUrl, self.kindLabels);
      return {
        id: id,
        name: node.label || id,
        x: outerRadius * Math.cos(angle),
        y: outerRadius * Math.sin(angle),
        size: node.size,
        depth: 2,
        kind: node.kind,
        domain: node.domain,
      };
    });
    (full.legend && full.legend.kind ? full.legend.kind : []).forEach(function (item) {
      self.kindLabels[item.key] = item.label;
      if (
        !self.legend.kind.some(function (known) {
          return known.key === item.key;
        })
      ) {
        self.legend.kind.push(item);
      }
    });
    this.nodes.add(added);
    this.order = this.order.concat(outer);
    const seen = new Set();
    this.edges.forEach(function (edge) {
      seen.add(edge.from < edge.to ? edge.from + "\n" + edge.to : edge.to + "\n" + edge.from);
    });
    const all = new Set(this.order);
    const edges = [];
    full.edges.forEach(function (edge, index) {
      const key = edge.from < edge.to ? edge.from + "\n" + edge.to : edge.to + "\n" + edge.from;
      if (all.has(edge.from) && all.has(edge.to) && !seen.has(key)) {
        seen.add(key);
        edges.push({
          id: "d" + index,
          from: edge.from,
          to: edge.to,
          kind: edge.kind,
          score: edge.score,
          width: edge.width,
        });
      }
    });
    this.edges.add(edges);
    this.countDegrees(edges);
    this.restyle(true);
  };

  /* ------------------------------------------------------------------------------------- */
  /* Explorer: every entry, filters, colour switch, search. */

  function ExplorerGraph(container) {
    Graph.call(this, container);
  }
  ExplorerGraph.prototype = Object.create(Graph.prototype);

  /* The explorer as a map: the canvas fills its stage, and the search, filters, colour switch,
     legends and details go into a panel over its corner that folds away (open at first on a
     wide screen, folded on a phone). The page's introduction, with its link to the A to Z
     index, moves below the map. The controls keep their order for the keyboard. */
  ExplorerGraph.prototype.arrange = function () {
    const container = this.container;
    if (!this.canvas || container.querySelector(".mma-graph__stage")) {
      return;
    }
    const stage = element("div", "mma-graph__stage");
    const panel = element("div", "mma-graph__panel");
    const toggle = element("button", "mma-graph__toggle md-button", "Search and filters");
    toggle.type = "button";
    const body = element("div", "mma-graph__panel-body");
    body.id = "mma-graph-panel";
    toggle.setAttribute("aria-controls", body.id);
    [
      ".mma-graph__search",
      ".mma-graph__filters",
      ".mma-graph__colour",
      ".mma-graph__legend--kinds",
      ".mma-graph__legend--edges",
      ".mma-graph__details",
    ].forEach(function (selector) {
      const part = container.querySelector(selector);
      if (part) {
        body.appendChild(part);
      }
    });
    panel.appendChild(toggle);
    panel.appendChild(body);
    this.canvas.parentNode.insertBefore(stage, this.canvas);
    stage.appendChild(panel);
    stage.appendChild(this.canvas);
    const setOpen = function (open) {
      body.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("mma-graph__panel--open", open);
    };
    setOpen(container.clientWidth >= 900);
    const self = this;
    this.listen(toggle, "click", function () {
      setOpen(body.hidden);
      if (self.network) {
        self.network.redraw(); // the labels that were under the panel may show, or hide
      }
    });
    const intro = container.previousElementSibling;
    if (intro && intro.tagName === "P") {
      intro.classList.add("mma-graph__intro");
      container.insertAdjacentElement("afterend", intro);
    }
  };

  ExplorerGraph.prototype.prefetch = function () {
    const source = this.container.getAttribute("data-graph-src");
    if (!source) {
      return;
    }
    // A failure here is start's to report, in this graph's box: loadJSON forgets a failed
    // fetch, so start asks again.
    try {
      loadJSON(source);
    } catch (error) {
      return;
    }
  };

  ExplorerGraph.prototype.start = function () {
    const self = this;
    this.arrange();
    const source = this.container.getAttribute("data-graph-src");
    return loadJSON(source).then(function (result) {
      if (!self.alive()) {
        return;
      }
      performance.mark("mma-graph-loaded:explorer");
      const data = graphData(result.data, source);
      self.stretch(data.nodes);
      self.links = links(data.edges);
      // The filters a returning reader's browser restored apply from the first frame.
      self.draw(data, result.url);
      self.wire();
      self.fillNames();
      self.renderLegend();
      self.sayShown();
    });
  };

  /* The explorer's edges, drawn by this file rather than by vis-network: building vis-network's
     edge objects (each a copy of every edge option, and a label) took most of the time before
     the first frame, half a second at 19,000 edges, and it strokes each edge on its own. Here
     they are plain arrays, ordered by kind and width so that a frame strokes one path per run
     of equal look (`beforeDrawing`). */
  function links(edges) {
    const count = edges.length;
    const from = new Array(count);
    const to = new Array(count);
    const kind = new Array(count);
    const width = new Float64Array(count);
    const touching = new Map(); // id -> indices of its edges
    for (let i = 0; i < count; i += 1) {
      const edge = edges[i];
      from[i] = edge.from;
      to[i] = edge.to;
      kind[i] = EDGE_KINDS.indexOf(edge.kind) === -1 ? "related" : edge.kind;
      width[i] = edge.width > 0 ? edge.width : 1;
      touch(touching, edge.from, i);
      touch(touching, edge.to, i);
    }
    const order = Array.from({ length: count }, function (_, i) {
      return i;
    }).sort(function (a, b) {
      return kind[a] < kind[b] ? -1 : kind[a] > kind[b] ? 1 : width[a] - width[b] || a - b;
    });
    return { from: from, to: to, kind: kind, width: width, order: order, touching: touching };
  }

  function touch(touching, id, index) {
    const list = touching.get(id);
    if (list === undefined) {
      touching.set(id, [index]);
    } else {
      list.push(index);
    }
  }

  ExplorerGraph.prototype.networkEdges = function () {
    return [];
  };

  /* The shown edges (both ends drawn), under vis-network's dots, in one path per run of the
     same kind and width; none while the view is dragged or zoomed, as vis-network's options
     ask of its own edges. */
  ExplorerGraph.prototype.beforeDrawing = function (ctx) {
    const renderer = this.network && this.network.renderer;
    if (
      !renderer ||
      (renderer.dragging && renderer.options.hideEdgesOnDrag) ||
      (renderer.zooming && renderer.options.hideEdgesOnZoom)
    ) {
      return;
    }
    this.strokeLinks(ctx, this.links.order);
  };

  ExplorerGraph.prototype.strokeLinks = function (ctx, indices) {
    const links = this.links;
    const nodes = this.network.body.nodes;
    const colours = this.colours;
    ctx.save();
    ctx.globalAlpha = EXPLORER_EDGE_OPACITY;
    let open = false;
    let kind = "";
    let width = 0;
    for (let k = 0; k < indices.length; k += 1) {
      const i = indices[k];
      const a = nodes[links.from[i]];
      const b = nodes[links.to[i]];
      if (!a || !b) {
        continue;
      }
      if (!open || links.kind[i] !== kind || links.width[i] !== width) {
        if (open) {
          ctx.stroke();
        }
        kind = links.kind[i];
        width = links.width[i];
        ctx.strokeStyle = colours[kind];
        ctx.lineWidth = width;
        ctx.beginPath();
        open = true;
      }
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
    }
    if (open) {
      ctx.stroke();
    }
    ctx.restore();
  };

  ExplorerGraph.prototype.drawLitEdges = function (ctx, lit) {
    const links = this.links;
    const seen = new Set();
    lit.forEach(function (id) {
      (links.touching.get(id) || []).forEach(function (i) {
        if (lit.has(links.from[i]) && lit.has(links.to[i])) {
          seen.add(i);
        }
      });
    });
    this.strokeLinks(
      ctx,
      Array.from(seen).sort(function (a, b) {
        return a - b;
      })
    );
  };

  ExplorerGraph.prototype.neighbourhood = function (id) {
    const links = this.links;
    const nodes = this.network.body.nodes;
    const members = new Set([id]);
    (links.touching.get(id) || []).forEach(function (i) {
      const other = links.from[i] === id ? links.to[i] : links.from[i];
      if (nodes[other]) {
        members.add(other);
      }
    });
    return members;
  };

  /* The layout is about as tall as wide; the map seldom is (a phone held upright, a wide
     window). Stretch the positions along the canvas's long side, up to 2.5 times, so that the
     map fills it and the dots, and so the labels, have more room. */
  ExplorerGraph.prototype.stretch = function (nodes) {
    if (nodes.length < 3 || !this.canvas) {
      return;
    }
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    nodes.forEach(function (node) {
      minX = Math.min(minX, node.x);
      maxX = Math.max(maxX, node.x);
      minY = Math.min(minY, node.y);
      maxY = Math.max(maxY, node.y);
    });
    const region = this.region();
    const want = (region.r - region.l) / Math.max(region.b - region.t, 1);
    const have = (maxX - minX || 1) / (maxY - minY || 1);
    const factor = Math.min(2.5, Math.max(want / have, have / want));
    if (!(factor > 1.05)) {
      return;
    }
    const wide = want > have;
    nodes.forEach(function (node) {
      if (wide) {
        node.x = node.x * factor;
      } else {
        node.y = node.y * factor;
      }
    });
  };

  ExplorerGraph.prototype.wire = function () {
    const self = this;
    this.container.querySelectorAll("[data-graph-filter]").forEach(function (select) {
      self.listen(select, "change", function () {
        self.applyFilters();
      });
    });
    const reset = this.container.querySelector(".mma-graph__reset");
    if (reset) {
      this.listen(reset, "click", function () {
        self.clearFilters();
        self.applyFilters();
      });
    }
    this.container.querySelectorAll('input[name="mma-graph-colour"]').forEach(function (radio) {
      self.listen(radio, "change", function () {
        if (radio.checked) {
          self.colourBy = radio.value;
          self.restyle(true);
          self.renderLegend();
        }
      });
    });
    const form = this.container.querySelector(".mma-graph__search");
    if (form) {
      this.listen(form, "submit", function (event) {
        event.preventDefault();
        self.search(form.querySelector("input").value);
      });
    }
  };

  ExplorerGraph.prototype.fillNames = function () {
    const list = this.container.querySelector("datalist");
    if (!list) {
      return;
    }
    const names = Array.from(this.info.values())
      .map(function (info) {
        return info.label;
      })
      .sort();
    const fragment = document.createDocumentFragment();
    names.forEach(function (name) {
      const option = document.createElement("option");
      option.value = name;
      fragment.appendChild(option);
    });
    list.replaceChildren(fragment);
  };

  ExplorerGraph.prototype.renderLegend = function () {
    const list = this.container.querySelector(".mma-graph__legend--kinds");
    if (!list) {
      return;
    }
    const items = this.legend[this.colourBy] || [];
    list.replaceChildren.apply(
      list,
      items.map(function (item) {
        const li = element("li");
        const dot = element("span", "mma-graph__dot");
        dot.setAttribute("aria-hidden", "true");
        dot.style.setProperty("--mma-dot", item.color);
        li.appendChild(dot);
        li.appendChild(document.createTextNode(item.label + " (" + item.count + ")"));
        return li;
      })
    );
  };

  ExplorerGraph.prototype.clearFilters = function () {
    this.container.querySelectorAll("[data-graph-filter]").forEach(function (select) {
      select.value = "";
    });
  };

  function matches(node, name, value) {
    switch (name) {
      case "kind":
        return node.kind === value;
      case "domain":
        return node.domain === value;
      case "pattern":
        return node.patterns.indexOf(value) !== -1;
      case "relation":
        return node.relations.some(function (tag) {
          return tag === value || tag.indexOf(value + "/") === 0;
        });
      case "structure":
        return node.structure.indexOf(value) !== -1;
      default:
        return true;
    }
  }

  /* The ids the chosen filters let through, or null when no filter is chosen. */
  ExplorerGraph.prototype.filtered = function () {
    const chosen = [];
    this.container.querySelectorAll("[data-graph-filter]").forEach(function (select) {
      if (select.value) {
        chosen.push([select.getAttribute("data-graph-filter"), select.value]);
      }
    });
    if (!chosen.length) {
      return null;
    }
    const visible = new Set();
    this.nodes.forEach(function (node) {
      if (
        chosen.every(function (pair) {
          return matches(node, pair[0], pair[1]);
        })
      ) {
        visible.add(node.id);
      }
    });
    return visible;
  };

  ExplorerGraph.prototype.applyFilters = function () {
    this.visible = this.filtered();
    this.nodeView.refresh();
    this.edgeView.refresh();
    if (this.selected !== null && this.visible !== null && !this.visible.has(this.selected)) {
      this.selected = null;
      this.network.unselectAll();
      this.container.removeAttribute("data-graph-selected");
      this.hideTooltip();
    }
    this.fit();
    this.afterChange();
    this.sayShown();
  };

  ExplorerGraph.prototype.sayShown = function () {
    this.say(
      "Showing " +
        this.nodeView.length +
        " of " +
        this.nodes.length +
        " entries and " +
        this.edgeView.length +
        " links."
    );
  };

  /* Exact name first, then a name that starts with the query, then one that contains it. */
  ExplorerGraph.prototype.find = function (query) {
    const q = query.trim().toLowerCase();
    if (!q) {
      return null;
    }
    const ids = this.order;
    const tests = [
      function (label, id) {
        return label === q || id === q;
      },
      function (label) {
        return label.indexOf(q) === 0;
      },
      function (label) {
        return label.indexOf(q) !== -1;
      },
    ];
    for (let t = 0; t < tests.length; t += 1) {
      for (let i = 0; i < ids.length; i += 1) {
        const info = this.info.get(ids[i]);
        if (tests[t]((info.label || "").toLowerCase(), ids[i])) {
          return ids[i];
        }
      }
    }
    return null;
  };

  ExplorerGraph.prototype.search = function (query) {
    const id = this.find(query);
    if (id === null) {
      this.say("No entry is named like “" + query.trim() + "”.");
      return;
    }
    if (this.visible !== null && !this.visible.has(id)) {
      this.clearFilters();
      this.applyFilters();
    }
    this.select(id, { zoom: true });
    this.canvas.focus({ preventScroll: true });
  };

  ExplorerGraph.prototype.showDetails = function (id) {
    const panel = this.container.querySelector(".mma-graph__details");
    if (!panel) {
      return;
    }
    const text = this.describe(id);
    const link = element("a", "mma-graph__details-name", text.name);
    link.href = this.hrefs.get(id);
    const children = [link];
    if (text.meta) {
      children.push(element("span", "mma-graph__details-meta", text.meta));
    }
    if (text.summary) {
      children.push(element("p", "mma-graph__details-summary", text.summary));
    }
    panel.replaceChildren.apply(panel, children);
    panel.hidden = false;
  };

  /* ------------------------------------------------------------------------------------- */

  function restyleAll() {
    instances.forEach(function (graph) {
      if (graph.network && graph.alive()) {
        graph.restyle(true);
      }
    });
  }

  function init() {
    instances.forEach(function (graph) {
      graph.destroy();
    });
    instances = [];
    const graphs = [];
    document.querySelectorAll(".mma-graph[data-graph]").forEach(function (container) {
      const mode = container.getAttribute("data-graph");
      const graph = mode === "explorer" ? new ExplorerGraph(container) : new EntryGraph(container);
      instances.push(graph);
      graphs.push(graph);
    });
    if (graphs.length === 0) {
      return;
    }
    // The explorer's data downloads while vis-network does, not after it.
    graphs.forEach(function (graph) {
      graph.prefetch();
    });
    loadVis().then(
      function () {
        graphs.forEach(startOne);
      },
      function (error) {
        graphs.forEach(function (graph) {
          if (graph.alive()) {
            graph.fail(error);
          }
        });
      }
    );
  }

  /* Each graph on its own: a failure, now or once its data arrives, stays in its box. */
  function startOne(graph) {
    if (!graph.alive()) {
      return; // the reader left the page while vis-network loaded
    }
    const fail = function (error) {
      graph.fail(error);
    };
    try {
      const started = graph.start();
      if (started && typeof started.then === "function") {
        started.then(null, fail);
      }
    } catch (error) {
      fail(error);
    }
  }

  /* Material switches the scheme by setting data-md-color-scheme on <body>; the media query
     covers sites that follow the system setting without Material's toggle. */
  new MutationObserver(restyleAll).observe(document.body || document.documentElement, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"],
  });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", restyleAll);

  window.mmaGraph = {
    init: init,
    all: function () {
      return instances.slice();
    },
    /* The page position (CSS pixels) of a node, for tests and tools that drive a pointer. */
    pointOf: function (container, id) {
      const graph = instances.find(function (g) {
        return g.container === container;
      });
      if (!graph || !graph.network) {
        return null;
      }
      const position = graph.network.getPositions([id])[id];
      if (!position) {
        return null;
      }
      const point = graph.network.canvasToDOM(position);
      const box = graph.canvas.getBoundingClientRect();
      return { x: box.left + point.x, y: box.top + point.y };
    },
  };

  /* With Material's instant navigation, document$ emits every new page; without it, the page
     loads once. Either way each page starts from a clean slate. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
