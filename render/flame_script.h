/* The style and script embedded in every flame graph tph draws: click a
 * call to zoom to its time span, "Reset zoom" (or Escape) to zoom out,
 * "Search" (or Ctrl-F or /) to highlight calls whose name matches a regular
 * expression, hover for the details line. The URL fragment
 * #search=REGEX or #zoom=START_MS,END_MS applies one on load. When the
 * script has run, the root <svg> gets data-ready="1". */
#ifndef TPH_FLAME_SCRIPT_H
#define TPH_FLAME_SCRIPT_H

#define TP_FLAME_STYLE \
    "text { font-family: monospace; font-size: 12px; fill: #000; }\n" \
    "g.c text { pointer-events: none; }\n" \
    "g.c:hover rect { stroke: #000; stroke-width: 0.5; cursor: pointer; }\n" \
    ".button { cursor: pointer; fill: #304880; text-decoration: underline; }\n" \
    ".thread { font-weight: bold; }\n" \
    "#details, #matched { fill: #222; }\n"

#define TP_FLAME_SCRIPT \
    "(function () {\n" \
    "  var svg = document.documentElement;\n" \
    "  var X0 = +svg.getAttribute('data-x0'), W = +svg.getAttribute('data-width');\n" \
    "  var TOTAL = +svg.getAttribute('data-total');\n" \
    "  var calls = Array.prototype.slice.call(document.querySelectorAll('g.c'));\n" \
    "  var details = document.getElementById('details');\n" \
    "  var matched = document.getElementById('matched');\n" \
    "  var z0 = 0, z1 = TOTAL > 0 ? TOTAL : 1;\n" \
    "  function fit(t, name, w) {\n" \
    "    var n = Math.floor((w - 6) / 7.2);\n" \
    "    t.textContent = n < 3 ? '' : name.length <= n ? name : name.slice(0, n - 3) + '...';\n" \
    "  }\n" \
    "  function place(g) {\n" \
    "    var s = +g.getAttribute('data-s'), d = +g.getAttribute('data-d');\n" \
    "    var r = g.firstElementChild.nextElementSibling, t = r.nextElementSibling;\n" \
    "    var x = (s - z0) / (z1 - z0) * W, w = d / (z1 - z0) * W;\n" \
    "    if (x + w < 0 || x > W || (w < 0.1 && (x < 0 || x > W))) { g.style.display = 'none'; return; }\n" \
    "    if (x < 0) { w += x; x = 0; }\n" \
    "    if (x + w > W) w = W - x;\n" \
    "    g.style.display = '';\n" \
    "    r.setAttribute('x', (X0 + x).toFixed(2));\n" \
    "    r.setAttribute('width', Math.max(w, 0.1).toFixed(2));\n" \
    "    t.setAttribute('x', (X0 + x + 3).toFixed(2));\n" \
    "    fit(t, g.getAttribute('data-n'), w);\n" \
    "  }\n" \
    "  function zoom(a, b) {\n" \
    "    z0 = a; z1 = b > a ? b : a + 1e-6;\n" \
    "    calls.forEach(place);\n" \
    "    svg.setAttribute('data-zoom', z0 + ',' + z1);\n" \
    "  }\n" \
    "  function search(pattern) {\n" \
    "    var re, n = 0;\n" \
    "    try { re = pattern ? new RegExp(pattern) : null; } catch (e) { re = null; }\n" \
    "    calls.forEach(function (g) {\n" \
    "      var r = g.firstElementChild.nextElementSibling;\n" \
    "      var hit = re && re.test(g.getAttribute('data-n'));\n" \
    "      r.setAttribute('fill', hit ? 'rgb(230,0,230)' : g.getAttribute('data-f'));\n" \
    "      if (hit) n++;\n" \
    "    });\n" \
    "    matched.textContent = re ? 'Matched: ' + n + ' of ' + calls.length + ' calls' : '';\n" \
    "  }\n" \
    "  function ask() { var p = window.prompt('Search (regular expression)', ''); if (p !== null) search(p); }\n" \
    "  calls.forEach(function (g) {\n" \
    "    g.addEventListener('click', function () {\n" \
    "      zoom(+g.getAttribute('data-s'), +g.getAttribute('data-s') + +g.getAttribute('data-d'));\n" \
    "    });\n" \
    "    g.addEventListener('mouseover', function () {\n" \
    "      details.textContent = g.firstElementChild.textContent.split('\\n').join('  ');\n" \
    "    });\n" \
    "    g.addEventListener('mouseout', function () { details.textContent = ' '; });\n" \
    "  });\n" \
    "  document.getElementById('reset').addEventListener('click', function () { zoom(0, TOTAL); });\n" \
    "  document.getElementById('search').addEventListener('click', ask);\n" \
    "  window.addEventListener('keydown', function (e) {\n" \
    "    if (e.key === 'Escape') zoom(0, TOTAL);\n" \
    "    else if ((e.ctrlKey && e.key === 'f') || e.key === '/') { e.preventDefault(); ask(); }\n" \
    "  });\n" \
    "  var hash = decodeURIComponent(window.location.hash.slice(1));\n" \
    "  if (hash.indexOf('search=') === 0) search(hash.slice(7));\n" \
    "  if (hash.indexOf('zoom=') === 0) { var p = hash.slice(5).split(','); zoom(+p[0], +p[1]); }\n" \
    "  svg.setAttribute('data-ready', '1');\n" \
    "})();\n"

#endif
