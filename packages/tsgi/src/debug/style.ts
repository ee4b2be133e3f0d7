/** The debug page's inline style sheet (no external file: the page must render with the app broken). */
export const DEBUG_PAGE_STYLE = `
body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: #1f2328; background: #fff; }
header { background: #ffc; border-bottom: 1px solid #dda; padding: 16px 24px; }
h1 { margin: 0; font-size: 22px; color: #b00020; font-weight: 600; }
.message { margin: 4px 0 0; font: 17px/1.4 system-ui, sans-serif; white-space: pre-wrap; }
.rule { margin: 8px 0 0; font-weight: 600; color: #8a2be2; }
.request-line, .location { margin: 8px 0 0; color: #555; }
.location code { color: #1f2328; font-weight: 600; }
table.summary { margin-top: 8px; max-width: 60em; }
main { padding: 8px 24px; }
h2 { font-size: 17px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
.hint { color: #777; font-weight: normal; font-size: 13px; }
.cause h3 { font-size: 15px; color: #b00020; margin: 20px 0 4px; }
ol.frames { list-style: none; padding: 0; margin: 0; }
.frame { margin: 6px 0; }
.library-run { margin: 4px 0; color: #888; font-size: 12px; }
.library-run summary { cursor: pointer; }
.library-run ol.frames { padding-left: 16px; }
.frame.library { margin: 2px 0; }
.where { font-weight: 600; }
pre.source { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 6px 0; margin: 4px 0 12px; overflow-x: auto; }
pre.text { margin: 4px 0; white-space: pre-wrap; }
.line { display: block; padding: 0 10px; }
.line.current { background: #ffe3e3; font-weight: 600; }
.line.caret { color: #b00020; font-weight: 700; }
header pre.code-frame { background: #fff; margin: 8px 0 0; font-size: 13px; }
.number { display: inline-block; width: 4em; color: #999; user-select: none; }
details.copy-paste { margin: 16px 0; }
details.copy-paste summary { cursor: pointer; color: #555; }
details.copy-paste textarea { width: 100%; box-sizing: border-box; font: 12px/1.4 ui-monospace, monospace; }
table.pairs { border-collapse: collapse; width: 100%; }
table.pairs th { text-align: left; vertical-align: top; padding: 2px 12px 2px 0; white-space: nowrap; font-weight: 600; width: 1%; }
table.pairs td { padding: 2px 0; word-break: break-all; }
footer { padding: 16px 24px; color: #777; border-top: 1px solid #eee; }
`;
