// The HTML report's inline style sheet: system fonts only, readable on screen and in print (A4/Letter, no cut charts or tables).

export const REPORT_CSS = `
:root{--ink:#1d2330;--muted:#5b6473;--line:#d5d9e0;--soft:#f4f6f9;--good:#2e7d32;--bad:#c62828;--accent:#4e79a7}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1080px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 4px;overflow-wrap:anywhere}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:22px 0 6px;overflow-wrap:anywhere}
p{margin:6px 0}
.small{color:var(--muted);font-size:.9em}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:10px 0 0;font-size:13px}
.meta dt{color:var(--muted)}
.meta dd{margin:0;overflow-wrap:anywhere}
.verdict{padding:10px 14px;border-radius:6px;border-left:6px solid var(--muted);background:var(--soft);font-size:15px}
.verdict.passed{border-color:var(--good);background:#edf7ee}
.verdict.failed{border-color:var(--bad);background:#fdeeee}
ol.failures li{margin:3px 0;overflow-wrap:anywhere}
.note{color:#6d4c00;background:#fff8e1;padding:6px 10px;border-radius:4px}
blockquote.note{margin:8px 0;white-space:pre-wrap;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:8px 0 12px;font-size:12.5px;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);font-size:12px;padding-bottom:4px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:middle;overflow-wrap:break-word}
thead th{background:var(--soft);font-weight:600;border-bottom:2px solid var(--line);vertical-align:bottom}
thead th,table.metrics th,td.nw{white-space:nowrap}
table.confusion thead th{white-space:normal;min-width:4em;max-width:14em}
table.compact{justify-self:start}
td.n{text-align:right;white-space:nowrap}
td.strong{font-weight:600}
table.metrics th,table.metrics td{padding:4px 6px}
tr.fail td{background:#fdeeee}
tr.muted{color:var(--muted)}
tr.avg th,tr.avg td{background:var(--soft)}
tr.chosen td{background:#e8f0fa;font-weight:600}
table.confusion td.diag{font-weight:600}
table.confusion th.corner{font-weight:400;color:var(--muted);font-size:11px}
.dir{color:var(--muted);font-weight:400;margin-left:4px}
.tag{display:inline-block;font-size:10.5px;font-weight:500;color:var(--muted);border:1px solid var(--line);border-radius:8px;padding:0 6px;margin-left:4px}
.scroll{overflow-x:auto}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:12px 24px;align-items:start}
figure{margin:6px 0;break-inside:avoid;page-break-inside:avoid}
figcaption{color:var(--muted);font-size:11.5px}
svg.chart{display:block;width:100%;max-width:560px;height:auto;font-size:11px;fill:var(--ink)}
svg.chart text{fill:var(--muted)}
svg.chart text.axis{fill:var(--ink);font-size:11.5px}
svg.chart .grid{stroke:#eceef2;stroke-width:1}
svg.chart .frame{fill:none;stroke:var(--line)}
svg.chart .line{fill:none;stroke-width:2;stroke-linejoin:round}
svg.chart .dashed{stroke-dasharray:5 3}
svg.chart .diagonal{fill:none;stroke:#9aa3b0;stroke-width:1.2;stroke-dasharray:4 4}
svg.chart .mark{stroke:var(--ink);stroke-width:1.2;stroke-dasharray:2 2}
svg.chart text.mark-label{fill:var(--ink);font-weight:600}
svg.chart .points{fill:none;stroke-width:7;stroke-linecap:round}
svg.chart .dots{fill:none;stroke:var(--accent);stroke-opacity:.45;stroke-width:4;stroke-linecap:round}
svg.chart .bar{fill:var(--accent)}
svg.chart .bar.negative{fill:#e15759}
svg.chart .whisker{stroke:var(--ink);stroke-width:1.2;fill:none}
svg.chart .zero{stroke:var(--ink);stroke-width:1}
svg.chart text.value{fill:var(--ink);font-size:10.5px}
svg.glyph{vertical-align:middle}
svg.glyph .ref{stroke:#9aa3b0;stroke-width:1}
svg.glyph .ci{stroke:#7a8391;stroke-width:3;stroke-linecap:round}
svg.glyph circle{fill:#39414e}
svg.glyph.good .ci{stroke:var(--good)}svg.glyph.good circle{fill:var(--good)}
svg.glyph.bad .ci{stroke:var(--bad)}svg.glyph.bad circle{fill:var(--bad)}
ul.legend{list-style:none;padding:0;margin:2px 0 0;display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px}
ul.legend li{overflow-wrap:anywhere}
.swatch{display:inline-block;width:18px;height:0;border-top:3px solid;vertical-align:middle;margin-right:5px}
.swatch.dashed{border-top-style:dashed}
.fairness{margin-bottom:18px}
footer{margin-top:36px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media print{
  body{font-size:11.5px}
  main{max-width:none;padding:0}
  h2{break-after:avoid;page-break-after:avoid;margin-top:20px}
  h3{break-after:avoid;page-break-after:avoid}
  table,tr,.verdict{break-inside:avoid;page-break-inside:avoid}
  .figures{grid-template-columns:1fr 1fr}
  .scroll{overflow:visible}
  table.metrics{font-size:10px}
  table.metrics th,table.metrics td{padding:3px 4px}
  table.metrics tbody th{white-space:normal}
  svg.glyph{width:52px}
  .verdict,.note,thead th,tr.fail td,tr.chosen td,table.confusion td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
@page{margin:14mm}
`;
