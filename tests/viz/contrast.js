// Every text element's colour against the background it is painted on (the nearest ancestor with an
// opaque background), as WCAG 2.1 computes contrast; returns those under 4.5:1 (3:1 for large text).
() => {
  const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                     return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
                             if (c.a > 0.99) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const bad = []; let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || el.closest('style')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const s = getComputedStyle(el); if (s.visibility === 'hidden') continue;
    const fg = parse(s.color), bg = background(el);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    checked++;
    if (ratio < need) bad.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${s.color} on ${JSON.stringify(bg)}: ${ratio.toFixed(2)}`);
  }
  return {bad, checked};
}
